/* sysfs.c — bounded attribute reads and the device-tree walk.  The walk
 * works on directory fds (openat/fdopendir), never follows symlinks, and
 * bounds both depth and path length, so a strange or hostile tree (a test
 * fixture, a bind mount) cannot make it loop or overflow. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mod_order.h"
#include "sysfs.h"

#define WALK_MAX_DEPTH 64

ssize_t sysfs_read_attr(int dirfd, const char *name, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	char extra;
	int fd, err = 0;

	if (size == 0)
		return -EINVAL;
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0)
		return -errno;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	/* a full buffer is only fine if the attribute ends exactly there */
	if (!err && len == size - 1) {
		do
			n = read(fd, &extra, 1);
		while (n < 0 && errno == EINTR);
		if (n > 0)
			err = -EFBIG;
	}
	close(fd);
	if (err)
		return err;
	if (len && buf[len - 1] == '\n')
		len--;
	buf[len] = '\0';
	return (ssize_t)len;
}

struct walk {
	char path[PATH_MAX];	/* DEVPATH being visited, "/devices/..." */
	sysfs_walk_cb cb;
	void *arg;
};

/* Visit the directory dfd (takes ownership: it is closed on return). */
static int walk_dir(struct walk *w, int dfd, size_t plen, int depth)
{
	DIR *d;
	struct dirent *de;
	int r = 0;

	if (faccessat(dfd, "uevent", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		r = w->cb(w->path, dfd, w->arg);
	if (r || depth >= WALK_MAX_DEPTH) {
		close(dfd);
		return r;
	}
	d = fdopendir(dfd);
	if (!d) {
		r = -errno;
		close(dfd);
		return r;
	}
	while ((de = readdir(d))) {
		size_t nlen = strlen(de->d_name);
		int cfd;

		if (de->d_name[0] == '.')
			continue;	/* ".", "..", and no device is hidden */
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;	/* symlinks (subsystem, driver, ...) too */
		if (plen + 1 + nlen >= sizeof w->path)
			continue;
		cfd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (cfd < 0)
			continue;	/* vanished or a symlink: not ours to walk */
		w->path[plen] = '/';
		memcpy(w->path + plen + 1, de->d_name, nlen + 1);
		r = walk_dir(w, cfd, plen + 1 + nlen, depth + 1);
		w->path[plen] = '\0';
		if (r)
			break;
	}
	closedir(d);
	return r;
}

/* ---- the device list: SYSFS/bus/X/devices/ and SYSFS/class/X/ ----
 *
 * Every device with a subsystem is linked from its bus's devices/ or its
 * class's directory; those lists hold nothing else, so reading them costs
 * a readlink per device, where the recursive walk reads every attribute
 * name of every device (and its power/, queue/... groups): about 2.5x the
 * directories, and under emulation the walk was the better part of a
 * second of a coldplug.  Devices without a subsystem send no events, so
 * nothing is lost.  Sorted by DEVPATH, a parent (a prefix) comes first.
 *
 * Storage, USB, SD and HD audio controllers and PS/2 ports (mod_order.h) come
 * before all the rest, with their parents: their drivers start scans that
 * run on timers (port resets, link debounce, usb-storage's one-second
 * wait, psmouse's protocol probes, codec probes), and the sooner those start, the sooner
 * the devices behind them appear. */

struct entry {
	char *path;
	int first;
};

struct devlist {
	struct entry *v;
	size_t n, cap;
};

static int list_add(struct devlist *l, const char *devpath, int first)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 512;
		struct entry *v = realloc(l->v, nc * sizeof *v);

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = nc;
	}
	if (!(l->v[l->n].path = strdup(devpath)))
		return -ENOMEM;
	l->v[l->n++].first = first;
	return 0;
}

/* Add the target of every symlink in dir (relative to parent) that points
 * into /devices/; bus: dir is bus/BUS/devices (else NULL).  A missing dir
 * is no error (a bus without devices/). */
static int list_links(struct devlist *l, int parent, const char *dir, const char *bus)
{
	char link[PATH_MAX];
	struct dirent *de;
	int r = 0, fd;
	DIR *d;

	fd = openat(parent, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	if (!(d = fdopendir(fd))) {
		r = -errno;
		close(fd);
		return r;
	}
	while (!r && (de = readdir(d))) {
		const char *dp;
		ssize_t n;

		if (de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
			continue;
		/* "../../../devices/pci0000:00/0000:00:01.0" */
		n = readlinkat(dirfd(d), de->d_name, link, sizeof link - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if ((dp = strstr(link, "/devices/")))
			r = list_add(l, dp, bus && mod_order_first(dirfd(d), bus, de->d_name));
	}
	closedir(d);
	return r;
}

/* Every subsystem directory under SYSFS/top ("bus" or "class"); sub is
 * the list's directory inside each ("devices" for a bus, "." for a class). */
static int list_subsystems(struct devlist *l, int sysfd, const char *top, const char *sub, int *found)
{
	char path[NAME_MAX + 16];
	struct dirent *de;
	int r = 0, fd;
	DIR *d;

	fd = openat(sysfd, top, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	*found = 1;
	if (!(d = fdopendir(fd))) {
		r = -errno;
		close(fd);
		return r;
	}
	while (!r && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", de->d_name, sub);
		r = list_links(l, dirfd(d), path, strcmp(top, "bus") ? NULL : de->d_name);
	}
	closedir(d);
	return r;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

/* Sort, merge twins (a device is linked from its bus and its class), and
 * mark the listed parents of every first device first too. */
static void list_order(struct devlist *l)
{
	size_t i, n = 0;

	qsort(l->v, l->n, sizeof *l->v, cmp_entry);
	for (i = 0; i < l->n; i++) {
		if (n && !strcmp(l->v[i].path, l->v[n - 1].path)) {
			l->v[n - 1].first |= l->v[i].first;
			free(l->v[i].path);
			continue;
		}
		l->v[n++] = l->v[i];
	}
	l->n = n;
	for (i = 0; i < l->n; i++) {
		char parent[PATH_MAX], *slash;
		struct entry key = { parent, 0 }, *e;

		if (!l->v[i].first || strlen(l->v[i].path) >= sizeof parent)
			continue;
		strcpy(parent, l->v[i].path);
		while ((slash = strrchr(parent, '/')) && slash > parent) {
			*slash = '\0';
			if ((e = bsearch(&key, l->v, l->n, sizeof *l->v, cmp_entry)))
				e->first = 1;
		}
	}
}

/* Call cb for every listed device, the first ones first; *found is
 * cleared when SYSFS has neither bus/ nor class/ (a fixture tree: the
 * caller walks the directories instead).  0, -errno, or cb's non-zero
 * return. */
static int walk_lists(int sysfd, sysfs_walk_cb cb, void *arg, int *found)
{
	struct devlist l = { 0 };
	size_t i;
	int r, pass;

	*found = 0;
	r = list_subsystems(&l, sysfd, "bus", "devices", found);
	if (!r)
		r = list_subsystems(&l, sysfd, "class", ".", found);
	if (!r && *found)
		list_order(&l);
	for (pass = 1; pass >= 0; pass--)
		for (i = 0; !r && i < l.n; i++) {
			int fd;

			if (l.v[i].first != pass)
				continue;
			/* DEVPATH is a real directory path: nothing to follow */
			fd = openat(sysfd, l.v[i].path + 1,
				    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0)
				continue;	/* gone since it was listed */
			r = cb(l.v[i].path, fd, arg);
			close(fd);
		}
	for (i = 0; i < l.n; i++)
		free(l.v[i].path);
	free(l.v);
	return r;
}

int sysfs_walk_devices(const char *sysfs, sysfs_walk_cb cb, void *arg)
{
	struct walk w;
	int fd, root, r, found;

	w.cb = cb;
	w.arg = arg;
	root = open(sysfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -errno;
	r = walk_lists(root, cb, arg, &found);
	if (r || found) {
		close(root);
		return r;
	}
	fd = openat(root, "devices", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	close(root);
	if (fd < 0)
		return -errno;
	strcpy(w.path, "/devices");
	return walk_dir(&w, fd, strlen(w.path), 0);
}
