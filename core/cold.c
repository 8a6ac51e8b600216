/* cold.c — coldplug replay and trigger (see cold.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "cold.h"
#include "sysfs.h"

/* Last component of the `subsystem` symlink: "../../bus/pci" -> "pci".
 * *bus is set when it points into /sys/bus. */
static int subsystem_of(int dirfd, char *out, size_t size, int *bus)
{
	char link[PATH_MAX];
	ssize_t n = readlinkat(dirfd, "subsystem", link, sizeof link - 1);
	const char *slash;

	if (n < 0)
		return -errno;
	link[n] = 0;
	slash = strrchr(link, '/');
	slash = slash ? slash + 1 : link;
	if (!*slash || strlen(slash) >= size)
		return -EINVAL;
	strcpy(out, slash);
	if (bus)
		*bus = strstr(link, "/bus/") != NULL;
	return 0;
}

int cold_event(int dirfd, const char *devpath, const char *action, char *buf, size_t size,
	       size_t *len, struct uevent *ev)
{
	char sub[256], file[4096];
	ssize_t n;
	size_t l = 0;
	char *line, *nl;
	int r;

	if ((r = subsystem_of(dirfd, sub, sizeof sub, NULL)) < 0)
		return r;
	n = sysfs_read_attr(dirfd, "uevent", file, sizeof file);
	if (n < 0)
		return (int)n;
	if (uev_buf_add(buf, size, &l, "ACTION", action) ||
	    uev_buf_add(buf, size, &l, "DEVPATH", devpath) ||
	    uev_buf_add(buf, size, &l, "SUBSYSTEM", sub))
		return -ENOSPC;
	for (line = file; *line; line = nl) {
		char *eq;

		nl = strchr(line, '\n');
		if (nl)
			*nl++ = 0;
		else
			nl = line + strlen(line);
		eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = 0;
		/* the file never has these, but a fake tree might: ours win */
		if (!strcmp(line, "ACTION") || !strcmp(line, "DEVPATH") || !strcmp(line, "SUBSYSTEM"))
			continue;
		if (uev_buf_add(buf, size, &l, line, eq + 1))
			return -ENOSPC;
	}
	*len = l;
	return uev_parse_vars(ev, buf, l);
}

struct replay {
	cold_cb cb;
	void *arg;
	unsigned *skipped;
	char buf[COLD_EVBUF];
	struct uevent ev;
};

static int replay_one(const char *devpath, int dirfd, void *arg)
{
	struct replay *rp = arg;
	size_t len;
	int r = cold_event(dirfd, devpath, "add", rp->buf, sizeof rp->buf, &len, &rp->ev);

	if (r != UEV_OK) {
		if (rp->skipped)
			(*rp->skipped)++;
		return 0;
	}
	return rp->cb(rp->arg, &rp->ev, rp->buf, len);
}

int cold_replay(const char *sysfs, cold_cb cb, void *arg, unsigned *skipped)
{
	struct replay *rp = malloc(sizeof *rp);	/* 8 KiB + a struct uevent */
	int r;

	if (!rp)
		return -ENOMEM;
	rp->cb = cb;
	rp->arg = arg;
	rp->skipped = skipped;
	r = sysfs_walk_devices(sysfs, replay_one, rp);
	free(rp);
	return r;
}

int cold_replay_dev(const char *sysfs, cold_cb cb, void *arg, unsigned *skipped)
{
	static const char *const kinds[] = { "dev/block", "dev/char" };
	struct replay *rp;
	char path[PATH_MAX], link[PATH_MAX];
	unsigned k;
	int r = 0;

	rp = malloc(sizeof *rp);
	if (!rp)
		return -ENOMEM;
	for (k = 0; k < 2 && !r; k++) {
		struct dirent *de;
		DIR *d;

		if (snprintf(path, sizeof path, "%s/%s", sysfs, kinds[k]) >= (int)sizeof path) {
			r = -ENAMETOOLONG;
			break;
		}
		d = opendir(path);
		if (!d) {
			r = -errno;
			break;
		}
		while (!r && (de = readdir(d))) {
			const char *dp;
			ssize_t n;
			size_t len;
			int fd;

			if (de->d_name[0] == '.')
				continue;
			/* "../../devices/virtual/mem/null" -> "/devices/virtual/mem/null" */
			n = readlinkat(dirfd(d), de->d_name, link, sizeof link - 1);
			if (n <= 0)
				continue;
			link[n] = 0;
			dp = strstr(link, "/devices/");
			if (!dp)
				continue;
			fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fd < 0)
				continue;	/* gone meanwhile */
			r = cold_event(fd, dp, "add", rp->buf, sizeof rp->buf, &len, &rp->ev);
			close(fd);
			if (r != UEV_OK) {
				r = 0;
				if (skipped)
					(*skipped)++;
				continue;
			}
			r = cb(arg, &rp->ev, rp->buf, len);
		}
		closedir(d);
	}
	free(rp);
	return r;
}

/* One walk: devices on a bus are written as they are met (pre-order, so
 * parents first); the others are remembered and written afterwards in the
 * same order. */
struct trig {
	const char *sysfs;
	const char *msg;
	size_t mlen;
	char *last;
	unsigned *failed;
	int count;
	char *later;		/* DEVPATHs, NUL-separated */
	size_t llen, lcap;
	int nomem;
};

static int write_uevent(struct trig *t, int dirfd, const char *devpath)
{
	ssize_t n;
	int fd = openat(dirfd, "uevent", O_WRONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0) {
		(*t->failed)++;
		return 0;
	}
	do
		n = write(fd, t->msg, t->mlen);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n != (ssize_t)t->mlen) {
		(*t->failed)++;
		return 0;
	}
	t->count++;
	if (t->last)
		snprintf(t->last, PATH_MAX, "%s", devpath);
	return 0;
}

static int trigger_one(const char *devpath, int dirfd, void *arg)
{
	struct trig *t = arg;
	char sub[256];
	int bus = 0;
	size_t l;

	if (subsystem_of(dirfd, sub, sizeof sub, &bus) < 0)
		return 0;	/* not a device with a subsystem: no event */
	if (bus)
		return write_uevent(t, dirfd, devpath);
	l = strlen(devpath) + 1;
	if (t->llen + l > t->lcap) {
		size_t nc = (t->llen + l) * 2 + 4096;
		char *p = realloc(t->later, nc);

		if (!p) {
			t->nomem = 1;
			return -ENOMEM;
		}
		t->later = p;
		t->lcap = nc;
	}
	memcpy(t->later + t->llen, devpath, l);
	t->llen += l;
	return 0;
}

int cold_trigger(const char *sysfs, const char *action, const char *uuid, char *last,
		 unsigned *failed)
{
	char msg[128], path[PATH_MAX];
	unsigned nf = 0;
	struct trig t;
	size_t off;
	int r, n;

	n = snprintf(msg, sizeof msg, "%s%s%s", action, uuid ? " " : "", uuid ? uuid : "");
	if (n < 0 || (size_t)n >= sizeof msg)
		return -EINVAL;
	memset(&t, 0, sizeof t);
	t.sysfs = sysfs;
	t.msg = msg;
	t.mlen = (size_t)n;
	t.last = last;
	t.failed = &nf;
	r = sysfs_walk_devices(sysfs, trigger_one, &t);
	for (off = 0; r >= 0 && off < t.llen; off += strlen(t.later + off) + 1) {
		const char *dp = t.later + off;
		int dfd;

		if (snprintf(path, sizeof path, "%s%s", sysfs, dp) >= (int)sizeof path)
			continue;
		dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0) {
			nf++;	/* gone since the walk */
			continue;
		}
		write_uevent(&t, dfd, dp);
		close(dfd);
	}
	free(t.later);
	if (r < 0)
		return r;
	if (failed)
		*failed = nf;
	return t.count;
}

int cold_uuid(char out[37])
{
	unsigned char b[16];
	ssize_t n;
	int i, o = 0;

	do
		n = getrandom(b, sizeof b, 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof b)
		return n < 0 ? -errno : -EIO;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		o += sprintf(out + o, "%02x", b[i]);
	}
	out[o] = 0;
	return 0;
}
