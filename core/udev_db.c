/* udev_db.c — writer of the udev database clients read (see udev_db.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "udev_db.h"

static int read_old(struct udev_db *db, const char *id, char *buf, size_t size);

#define DB_FILE_MAX UDEV_DB_FILE_MAX	/* UPROPS_MAX of E: lines plus links and tags */

static int name_ok(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..") &&
	       strlen(s) < 256;
}

int udev_db_id(char *buf, size_t size, const char *subsystem, const char *devpath,
	       int has_devnum, unsigned major, unsigned minor, int ifindex)
{
	const char *name, *bus = NULL;
	size_t buslen = 0;
	int n;

	if (!subsystem || !*subsystem)
		return -EINVAL;
	if (has_devnum)
		n = snprintf(buf, size, "%c%u:%u",
			     strcmp(subsystem, "block") ? 'c' : 'b', major, minor);
	else if (ifindex > 0)
		n = snprintf(buf, size, "n%d", ifindex);
	else {
		/* The sysname with its '!' kept: straight from DEVPATH. */
		if (!devpath || !(name = strrchr(devpath, '/')) || !name_ok(++name))
			return -EINVAL;
		if (!strcmp(subsystem, "drivers")) {
			/* "/bus/<bus>/drivers/<name>": the bus is the
			 * component before "drivers". */
			const char *d = name - 1, *b;

			if (d - devpath < 9 || memcmp(d - 8, "/drivers", 8))
				return -EINVAL;
			d -= 8;
			for (b = d; b > devpath && b[-1] != '/'; b--)
				;
			bus = b;
			buslen = (size_t)(d - b);
			if (!buslen)
				return -EINVAL;
			n = snprintf(buf, size, "+drivers:%.*s:%s", (int)buslen, bus, name);
		} else
			n = snprintf(buf, size, "+%s:%s", subsystem, name);
	}
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= size || n >= 256)
		return -ENAMETOOLONG;
	if (!name_ok(buf))
		return -EINVAL;
	return n;
}

static int mkdir_at(int dirfd, const char *name)
{
	if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int udev_db_open(struct udev_db *db, const char *rundir)
{
	int r;

	db->dirfd = -1;
	db->scratch = NULL;
	if (mkdir(rundir, 0755) < 0 && errno != EEXIST)
		return -errno;
	db->dirfd = open(rundir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (db->dirfd < 0)
		return -errno;
	db->scratch = malloc(2 * DB_FILE_MAX);
	if (!db->scratch)
		r = -ENOMEM;
	else if ((r = mkdir_at(db->dirfd, "data")) < 0)
		;
	else
		r = mkdir_at(db->dirfd, "tags");
	if (r < 0) {
		udev_db_close(db);
		return r;
	}
	return 0;
}

void udev_db_close(struct udev_db *db)
{
	if (db->dirfd >= 0)
		close(db->dirfd);
	db->dirfd = -1;
	free(db->scratch);
	db->scratch = NULL;
}

int udev_db_set_running(struct udev_db *db, int on)
{
	int fd;

	if (!on)
		return unlinkat(db->dirfd, "control", 0) < 0 && errno != ENOENT ? -errno : 0;
	fd = openat(db->dirfd, "control", O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Append to buf at *len; -ENOSPC when it does not fit. */
static int put(char *buf, size_t size, size_t *len, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (*len + la + lb + 2 > size)
		return -ENOSPC;
	memcpy(buf + *len, a, la);
	memcpy(buf + *len + la, b, lb);
	buf[*len + la + lb] = '\n';
	*len += la + lb + 1;
	buf[*len] = '\0';
	return 0;
}

int udev_db_format(char *buf, size_t size, const struct udev_db_entry *e)
{
	size_t len = 0, i, pos = 0;
	const char *p;
	char num[32];
	int r = 0;

	if (size)
		buf[0] = '\0';
	/* sd-device's device_has_info(): links, a link priority, db
	 * properties, tags.  Without any the file stays empty. */
	if (!((e->has_devnum && (e->nlinks || e->link_priority)) ||
	      (e->props && e->props->len) || e->ntags || e->ncur))
		return 0;
	if (e->has_devnum) {
		for (i = 0; i < e->nlinks && !r; i++) {
			const char *l = e->links[i];

			if (!strncmp(l, "/dev/", 5))
				l += 5;
			r = put(buf, size, &len, "S:", l);
		}
		if (e->link_priority && !r) {
			snprintf(num, sizeof num, "%d", e->link_priority);
			r = put(buf, size, &len, "L:", num);
		}
	}
	if (e->usec_initialized && !r) {
		snprintf(num, sizeof num, "%llu", (unsigned long long)e->usec_initialized);
		r = put(buf, size, &len, "I:", num);
	}
	while (e->props && !r && (p = uprops_next(e->props, &pos)))
		r = put(buf, size, &len, "E:", p);
	for (i = 0; i < e->ntags && !r; i++)
		r = put(buf, size, &len, "G:", e->tags[i]);
	for (i = 0; i < e->ncur && !r; i++)
		r = put(buf, size, &len, "Q:", e->cur_tags[i]);
	if (!r)
		r = put(buf, size, &len, "V:", "1");
	return r < 0 ? r : (int)len;
}

/* Write DIR/NAME (below dirfd) atomically with the given content. */
static int write_atomic(int dirfd, const char *dir, const char *name, const char *data,
			size_t len, mode_t mode)
{
	char tmp[300], path[300];
	int fd, r = 0;
	unsigned tries;

	for (tries = 0;; tries++) {
		/* Same directory, so rename() is atomic; a dot name readers
		 * scanning data/ skip. */
		snprintf(tmp, sizeof tmp, "%s/.#%s.%ld.%u", dir, name, (long)getpid(), tries);
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
		if (fd >= 0)
			break;
		if (errno != EEXIST || tries > 16)
			return -errno;
	}
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		data += n;
		len -= (size_t)n;
	}
	/* umask may have cut the mode; readers need 0644. */
	if (!r && fchmod(fd, mode) < 0)
		r = -errno;
	if (close(fd) < 0 && !r)
		r = -errno;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!r && renameat(dirfd, tmp, dirfd, path) < 0)
		r = -errno;
	if (r)
		unlinkat(dirfd, tmp, 0);
	return r;
}

/* Read data/<id> into buf (NUL-terminated).  0 with buf "" if absent. */
int udev_db_read(struct udev_db *db, const char *id, char *buf, size_t size)
{
	if (!name_ok(id))
		return -EINVAL;
	return read_old(db, id, buf, size);
}

static int read_old(struct udev_db *db, const char *id, char *buf, size_t size)
{
	char path[300];
	size_t len = 0;
	int fd;

	buf[0] = '\0';
	snprintf(path, sizeof path, "data/%s", id);
	fd = openat(db->dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	while (len + 1 < size) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	return 0;
}

static int tag_file(struct udev_db *db, const char *tag, const char *id, int add)
{
	char path[600];
	int fd, r;

	if (!name_ok(tag))
		return -EINVAL;
	snprintf(path, sizeof path, "tags/%s/%s", tag, id);
	if (!add)
		return unlinkat(db->dirfd, path, 0) < 0 && errno != ENOENT ? -errno : 0;
	snprintf(path, sizeof path, "tags/%s", tag);
	if ((r = mkdir_at(db->dirfd, path)) < 0)
		return r;
	snprintf(path, sizeof path, "tags/%s/%s", tag, id);
	/* an empty marker: only its existence counts, so never ask for write
	 * access — rewriting an entry must work on the 0444 file it made
	 * before, whoever we run as */
	fd = openat(db->dirfd, path, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0444);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Unlink the tag entries for the G: lines of old that keep (may be NULL)
 * does not list. */
static int drop_old_tags(struct udev_db *db, const char *id, char *old,
			 const struct udev_db_entry *keep)
{
	char *line, *save = NULL;
	int r = 0, q;
	size_t i;

	for (line = strtok_r(old, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int kept = 0;

		if (strncmp(line, "G:", 2))
			continue;
		for (i = 0; keep && i < keep->ntags; i++)
			kept |= !strcmp(keep->tags[i], line + 2);
		if (!kept && name_ok(line + 2) && (q = tag_file(db, line + 2, id, 0)) < 0 && !r)
			r = q;
	}
	return r;
}

int udev_db_write(struct udev_db *db, const struct udev_db_entry *e)
{
	char *buf, *old;
	size_t i;
	int r, len;

	if (!name_ok(e->id))
		return -EINVAL;
	for (i = 0; i < e->ntags; i++)
		if (!name_ok(e->tags[i]))
			return -EINVAL;
	buf = db->scratch;
	old = buf + DB_FILE_MAX;
	len = udev_db_format(buf, DB_FILE_MAX, e);
	if (len < 0) {
		r = len;
		goto out;
	}
	if ((r = read_old(db, e->id, old, DB_FILE_MAX)) < 0)
		goto out;
	if ((r = write_atomic(db->dirfd, "data", e->id, buf, (size_t)len, 0644)) < 0)
		goto out;
	for (i = 0; i < e->ntags && !r; i++)
		r = tag_file(db, e->tags[i], e->id, 1);
	if (!r)
		r = drop_old_tags(db, e->id, old, e);
out:
	return r;
}

int udev_db_remove(struct udev_db *db, const char *id)
{
	char path[300], *old;
	int r;

	if (!name_ok(id))
		return -EINVAL;
	old = db->scratch;
	r = read_old(db, id, old, DB_FILE_MAX);
	if (!r)
		r = drop_old_tags(db, id, old, NULL);
	snprintf(path, sizeof path, "data/%s", id);
	if (unlinkat(db->dirfd, path, 0) < 0 && errno != ENOENT && !r)
		r = -errno;
	return r;
}
