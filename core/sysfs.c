/* sysfs.c — bounded attribute reads and the device-tree walk.  The walk
 * works on directory fds (openat/fdopendir), never follows symlinks, and
 * bounds both depth and path length, so a strange or hostile tree (a test
 * fixture, a bind mount) cannot make it loop or overflow. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int sysfs_walk_devices(const char *sysfs, sysfs_walk_cb cb, void *arg)
{
	struct walk w;
	int fd, root;

	w.cb = cb;
	w.arg = arg;
	root = open(sysfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -errno;
	fd = openat(root, "devices", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	close(root);
	if (fd < 0)
		return -errno;
	strcpy(w.path, "/devices");
	return walk_dir(&w, fd, strlen(w.path), 0);
}
