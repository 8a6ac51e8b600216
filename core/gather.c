/* gather.c — dispatch a device event to the built-in gatherer parts (see
 * gather.h); parts left out of the build are simply not run. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gather.h"
#include "gather.gen.h"
#include "probe.h"
#include "sysfs.h"
#ifdef GATHER_HAVE_input_id
#include "input_id.h"
#endif
#ifdef GATHER_HAVE_net_id
#include "net_id.h"
#endif
#ifdef GATHER_HAVE_disk_links
#include "disk_links.h"
#endif

static int open_sysdir(const struct gather_ctx *g, const char *devpath, const char *sub)
{
	char p[PATH_MAX];
	int fd;

	if (snprintf(p, sizeof p, "%s%s%s", g->sysfs, devpath, sub) >= (int)sizeof p)
		return -ENAMETOOLONG;
	fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int open_dev(const struct gather_ctx *g, const char *devname)
{
	char p[PATH_MAX];
	int fd;

	if (!uev_path_ok(devname, 0))
		return -EINVAL;
	if (snprintf(p, sizeof p, "%s/%s", g->devdir, devname) >= (int)sizeof p)
		return -ENAMETOOLONG;
	/* O_NONBLOCK: a removable drive without medium must not stall us */
	fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	return fd < 0 ? -errno : fd;
}

static int gather_block(const struct gather_ctx *g, const struct uevent *ev, struct gather_out *o)
{
	struct probe_src dev, disk;
	char buf[512], start[32] = "", ddev[32] = "", dname[256];
	int fd, dfd = -1, dir, r;
	unsigned long long partn = 0;
	int is_part = ev->devtype && !strcmp(ev->devtype, "partition");
	const char *d;

	if (!ev->devname)
		return 0;
	fd = open_dev(g, ev->devname);
	if (fd < 0)
		return fd == -ENOMEDIUM || fd == -ENXIO ? 0 : fd;
	r = probe_src_init(&dev, fd);
	if (r >= 0 && is_part) {
		/* the disk: the parent sysfs directory's DEVNAME */
		dir = open_sysdir(g, ev->devpath, "/..");
		r = dir < 0 ? dir : 0;
		if (r >= 0 && sysfs_read_attr(dir, "uevent", buf, sizeof buf) > 0 &&
		    (d = strstr(buf, "DEVNAME=")) && sysfs_read_attr(dir, "dev", ddev, sizeof ddev) > 0) {
			snprintf(dname, sizeof dname, "%.*s", (int)strcspn(d + 8, "\n"), d + 8);
			dfd = open_dev(g, dname);
		}
		if (dir >= 0)
			close(dir);
		dir = open_sysdir(g, ev->devpath, "");
		if (dir >= 0) {
			if (sysfs_read_attr(dir, "start", start, sizeof start) <= 0)
				start[0] = '\0';
			if (sysfs_read_attr(dir, "partition", buf, sizeof buf) > 0)
				partn = strtoull(buf, NULL, 10);
			close(dir);
		}
	}
	if (r >= 0) {
		if (dfd >= 0 && start[0] && probe_src_init(&disk, dfd) >= 0) {
			r = probe_device(&dev, &disk, strtoull(start, NULL, 10), &o->props);
			if (r >= 0 && uprops_get(&o->props, "ID_PART_ENTRY_SCHEME"))
				r = uprops_set(&o->props, "ID_PART_ENTRY_DISK", ddev);
		} else
			r = probe_device(&dev, NULL, 0, &o->props);
	}
	close(fd);
	if (dfd >= 0)
		close(dfd);
	if (r < 0)
		return r;
	(void)partn;	/* used by disk_links only */
#ifdef GATHER_HAVE_disk_links
	{
		struct disk_links l;
		char id[300], path[300], tag[300], diskpath[PATH_MAX];
		int has_id = 0, has_path = 0;
		size_t i;

		snprintf(diskpath, sizeof diskpath, "%s", ev->devpath);
		if (is_part && strrchr(diskpath, '/'))
			*strrchr(diskpath, '/') = '\0';
		dir = open_sysdir(g, diskpath, "");
		if (dir >= 0) {
			has_id = disk_by_id(dir, strrchr(diskpath, '/') + 1, id, sizeof id,
					    &o->props) > 0;
			close(dir);
		}
		has_path = disk_by_path(g->sysfs, diskpath, path, sizeof path) > 0;
		if (has_path) {
			disk_path_tag(tag, sizeof tag, path);
			if ((r = uprops_set(&o->props, "ID_PATH", path)) < 0 ||
			    (r = uprops_set(&o->props, "ID_PATH_TAG", tag)) < 0)
				return r;
		}
		r = disk_links_compute(&o->props, has_id ? id : NULL, has_path ? path : NULL,
				       (unsigned)partn, &l);
		if (r < 0)
			return r;
		for (i = 0; i < l.n && i < GATHER_LINKS_MAX; i++) {
			snprintf(o->links[i], sizeof o->links[i], "%s", l.name[i]);
			o->link_ptr[i] = o->links[i];
		}
		o->nlinks = i;
	}
#endif
	return 0;
}

int gather_event(const struct gather_ctx *g, const struct uevent *ev, struct gather_out *out)
{
	int r = 0, dir;

	uprops_init(&out->props);
	out->nlinks = 0;
	out->ntags = 0;
	if (!ev->action || !ev->subsystem || !ev->devpath || !strcmp(ev->action, "remove"))
		return 0;
	if (!uev_path_ok(ev->devpath, 1))
		return -EINVAL;
	if (!strcmp(ev->subsystem, "block"))
		return gather_block(g, ev, out);
#ifdef GATHER_HAVE_input_id
	if (!strcmp(ev->subsystem, "input")) {
		const char *name = strrchr(ev->devpath, '/') + 1;

		dir = open_sysdir(g, ev->devpath, "");
		if (dir < 0)
			return dir == -ENOENT ? 0 : dir;
		r = input_id_sysfs(dir, &out->props);
		close(dir);
		if (r > 0)
			out->ntags = input_id_tags(&out->props, name, out->tags, GATHER_TAGS_MAX);
		return r < 0 ? r : 0;
	}
#endif
#ifdef GATHER_HAVE_net_id
	if (!strcmp(ev->subsystem, "net")) {
		const char *ifname = uev_get(ev, "INTERFACE");

		dir = open_sysdir(g, ev->devpath, "");
		if (dir < 0)
			return dir == -ENOENT ? 0 : dir;
		r = net_id_gather(dir, ifname ? ifname : strrchr(ev->devpath, '/') + 1,
				  ev->devtype, &out->props);
		close(dir);
		return r;
	}
#endif
	(void)dir;
	return r;
}
