/* disk_links.c — /dev/disk/by-* names (see disk_links.h). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "disk_links.h"
#include "sysfs.h"
#include "utf8.h"

void disk_link_escape(char *out, size_t size, const char *in)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = strlen(in), i = 0, o = 0;

	if (!size)
		return;
	while (n && isspace(s[n - 1]))
		n--;
	while (i < n && o + 1 < size) {
		int l;

		if ((s[i] < 0x80 && isalnum(s[i])) || strchr("#+-.:=@_", s[i])) {
			out[o++] = (char)s[i++];
		} else if (s[i] == '\\' && i + 1 < n && s[i + 1] == 'x' && o + 2 < size) {
			out[o++] = '\\';
			out[o++] = 'x';
			i += 2;
		} else if ((l = utf8_char_len(s + i, n - i)) > 1 && o + (size_t)l < size) {
			memcpy(out + o, s + i, (size_t)l);
			o += (size_t)l;
			i += (size_t)l;
		} else {
			out[o++] = '_';
			i++;
		}
	}
	out[o] = '\0';
}

/* Read an attribute, escaped; 0 if absent or empty. */
static int attr(int dir, const char *name, char *out, size_t size)
{
	char raw[256];
	ssize_t r = sysfs_read_attr(dir, name, raw, sizeof raw);

	if (r < 0)
		return r == -ENOENT ? 0 : (int)r;
	disk_link_escape(out, size, raw);
	return out[0] != '\0';
}

int disk_by_id(int diskdir, const char *kname, char *out, size_t size,
	       struct uprops *props)
{
	char a[256], b[256], serial[520];
	int r;

	if (!strncmp(kname, "vd", 2)) {
		if ((r = attr(diskdir, "serial", a, sizeof a)) <= 0)
			return r;
		snprintf(out, size, "virtio-%s", a);
		if (props)
			uprops_set(props, "ID_SERIAL", a);
		return 1;
	}
	if (!strncmp(kname, "nvme", 4)) {
		if ((r = attr(diskdir, "device/model", a, sizeof a)) <= 0 ||
		    (r = attr(diskdir, "device/serial", b, sizeof b)) <= 0)
			return r;
		snprintf(serial, sizeof serial, "%s_%s", a, b);
		snprintf(out, size, "nvme-%s", serial);
		if (props) {
			uprops_set(props, "ID_MODEL", a);
			uprops_set(props, "ID_SERIAL_SHORT", b);
			uprops_set(props, "ID_SERIAL", serial);
		}
		return 1;
	}
	if (!strncmp(kname, "mmcblk", 6)) {
		if ((r = attr(diskdir, "device/name", a, sizeof a)) <= 0 ||
		    (r = attr(diskdir, "device/serial", b, sizeof b)) <= 0)
			return r;
		snprintf(out, size, "mmc-%s_%s", a, b);
		if (props) {
			uprops_set(props, "ID_NAME", a);
			uprops_set(props, "ID_SERIAL", b);
		}
		return 1;
	}
	return 0;
}

/* Subsystem name of the device directory at path, "" if none. */
static void subsystem_of(const char *path, char *out, size_t size)
{
	char link[PATH_MAX + 16], target[PATH_MAX];
	ssize_t n;
	const char *slash;

	out[0] = '\0';
	snprintf(link, sizeof link, "%s/subsystem", path);
	n = readlink(link, target, sizeof target - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	slash = strrchr(target, '/');
	snprintf(out, size, "%.63s", slash ? slash + 1 : target);
}

/* Prepend "part-" to path (kept '\0'-terminated in size bytes). */
static int prepend(char *path, size_t size, const char *part)
{
	size_t lp = strlen(part), l = strlen(path), extra = l ? 1 : 0;

	if (lp + extra + l + 1 > size)
		return -ENAMETOOLONG;
	memmove(path + lp + extra, path, l + 1);
	memcpy(path, part, lp);
	if (extra)
		path[lp] = '-';
	return 0;
}

int disk_by_path(const char *sysfs, const char *devpath, char *out, size_t size)
{
	char dir[PATH_MAX], sub[64], item[300], nsid[32], *slash;
	int supported = 0, r = 0, start_dev = 1;
	const char *name;
	char skip[64] = "";

	out[0] = '\0';
	if (!strncmp(devpath, "/devices/virtual/", 17))
		return 0;
	if (snprintf(dir, sizeof dir, "%s%s", sysfs, devpath) >= (int)sizeof dir)
		return -ENAMETOOLONG;
	/* the namespace id, for an nvme parent */
	{
		int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		nsid[0] = '\0';
		if (fd >= 0) {
			if (sysfs_read_attr(fd, "nsid", nsid, sizeof nsid) < 0)
				nsid[0] = '\0';
			close(fd);
		}
	}
	while ((slash = strrchr(dir + strlen(sysfs), '/')) && slash > dir + strlen(sysfs)) {
		char uev[PATH_MAX + 8];

		if (!start_dev) {
			snprintf(uev, sizeof uev, "%s/uevent", dir);
			if (access(uev, F_OK) < 0)
				goto up;	/* not a device ("block", "nvme" dirs) */
		}
		name = slash + 1;
		subsystem_of(dir, sub, sizeof sub);
		if (start_dev) {
			start_dev = 0;
			goto up;	/* the block device itself */
		}
		if (skip[0] && !strcmp(sub, skip))
			goto up;
		skip[0] = '\0';
		if (!strcmp(sub, "pci") || !strcmp(sub, "platform") || !strcmp(sub, "acpi")) {
			snprintf(item, sizeof item, "%s-%s", sub, name);
			r = prepend(out, size, item);
			snprintf(skip, sizeof skip, "%s", sub);
			supported = 1;
		} else if (!strcmp(sub, "virtio")) {
			snprintf(skip, sizeof skip, "virtio");
		} else if (!strcmp(sub, "nvme") && nsid[0]) {
			snprintf(item, sizeof item, "nvme-%s", nsid);
			r = prepend(out, size, item);
			snprintf(skip, sizeof skip, "nvme");
		} else if (sub[0]) {
			/* scsi, usb, ata, mmc, ...: not composed here */
			out[0] = '\0';
			return 0;
		}
		if (r < 0)
			return r;
up:
		*slash = '\0';
	}
	if (!supported) {
		out[0] = '\0';
		return 0;
	}
	return 1;
}

void disk_path_tag(char *out, size_t size, const char *path)
{
	size_t o = 0;

	for (; *path && o + 1 < size; path++) {
		if (isalnum((unsigned char)*path) || *path == '-')
			out[o++] = *path;
		else if (o > 0 && out[o - 1] != '_')
			out[o++] = '_';
	}
	while (o > 0 && out[o - 1] == '_')
		o--;
	if (size)
		out[o] = '\0';
}

static int add(struct disk_links *l, const char *dir, const char *name, const char *base,
	       unsigned partn)
{
	int n;

	/* a name must stay one path component below its by-* directory */
	if (!name || !*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	if (l->n >= DISK_LINKS_MAX)
		return -ENOSPC;
	if (base && partn)
		n = snprintf(l->name[l->n], DISK_LINK_LEN, "disk/%s/%s-part%u", dir, name, partn);
	else
		n = snprintf(l->name[l->n], DISK_LINK_LEN, "disk/%s/%s", dir, name);
	if (n < 0 || n >= DISK_LINK_LEN)
		return 0;	/* too long: udev would fail it too; skip */
	l->n++;
	return 0;
}

int disk_links_compute(const struct uprops *props, const char *by_id,
		       const char *by_path, unsigned partn, struct disk_links *out)
{
	const char *usage = uprops_get(props, "ID_FS_USAGE");
	const char *scheme = uprops_get(props, "ID_PART_ENTRY_SCHEME");
	int r = 0;

	out->n = 0;
	if (by_id)
		r = add(out, "by-id", by_id, by_id, partn);
	if (!r && by_path)
		r = add(out, "by-path", by_path, by_path, partn);
	if (!r && usage && (!strcmp(usage, "filesystem") || !strcmp(usage, "other") ||
			    !strcmp(usage, "crypto")))
		r = add(out, "by-uuid", uprops_get(props, "ID_FS_UUID_ENC"), NULL, 0);
	if (!r && usage && (!strcmp(usage, "filesystem") || !strcmp(usage, "other") ||
			    !strcmp(usage, "crypto")))
		r = add(out, "by-label", uprops_get(props, "ID_FS_LABEL_ENC"), NULL, 0);
	if (!r)
		r = add(out, "by-partuuid", uprops_get(props, "ID_PART_ENTRY_UUID"), NULL, 0);
	if (!r && scheme && !strcmp(scheme, "gpt"))
		r = add(out, "by-partlabel", uprops_get(props, "ID_PART_ENTRY_NAME"), NULL, 0);
	return r < 0 ? r : (int)out->n;
}

/* mkdir -p of the directories in rel (up to its last '/'), below devfd. */
static int mkdirs(int devfd, const char *rel)
{
	char p[DISK_LINK_LEN];
	char *s;

	snprintf(p, sizeof p, "%s", rel);
	for (s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdirat(devfd, p, 0755) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	return 0;
}

int disk_links_apply(int devfd, const struct disk_links *l, const char *devname, int add_)
{
	char target[PATH_MAX], cur[PATH_MAX], tmp[DISK_LINK_LEN + 32];
	size_t i, depth;
	const char *c;
	int r = 0;

	for (i = 0; i < l->n; i++) {
		const char *name = l->name[i];
		ssize_t n;

		/* "disk/by-uuid/X" -> "../../devname" */
		target[0] = '\0';
		for (depth = 0, c = name; (c = strchr(c, '/')); c++, depth++)
			strcat(target, "../");
		if (strlen(target) + strlen(devname) >= sizeof target)
			return -ENAMETOOLONG;
		strcat(target, devname);
		n = readlinkat(devfd, name, cur, sizeof cur - 1);
		if (n >= 0)
			cur[n] = '\0';
		if (!add_) {
			if (n >= 0 && !strcmp(cur, target) && unlinkat(devfd, name, 0) < 0 &&
			    errno != ENOENT && !r)
				r = -errno;
			continue;
		}
		if (n >= 0 && !strcmp(cur, target))
			continue;
		if ((r = mkdirs(devfd, name)) < 0)
			return r;
		snprintf(tmp, sizeof tmp, "%s.uevbox-%ld", name, (long)getpid());
		unlinkat(devfd, tmp, 0);
		if (symlinkat(target, devfd, tmp) < 0)
			return -errno;
		if (renameat(devfd, tmp, devfd, name) < 0) {
			r = -errno;
			unlinkat(devfd, tmp, 0);
			return r;
		}
	}
	return r;
}
