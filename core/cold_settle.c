/* cold_settle.c — see cold_settle.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "cold_settle.h"
#include "eng_daemon.h"
#include "uev.h"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int cold_watch_open(struct nl_sock *s)
{
	int r = nl_open(s, NETLINK_KOBJECT_UEVENT, 1u << (UEV_GROUP_KERNEL - 1), NL_NONBLOCK);

	if (r < 0)
		return r;
	r = nl_set_rcvbuf(s, ENG_DEFAULT_RCVBUF);
	if (r < 0) {
		nl_close(s);
		return r;
	}
	return 0;
}

int cold_watch_seq(struct nl_sock *s, const char *devpath, const char *uuid, int timeout_ms,
		   uint64_t *seq)
{
	long long end = now_ms() + timeout_ms;
	char *buf = malloc(65536);
	int r = -ETIMEDOUT;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		struct pollfd p = { s->fd, POLLIN, 0 };
		struct nl_from from;
		struct uevent ev;
		long long left = end - now_ms();
		ssize_t n;
		const char *u;

		if (left <= 0)
			break;
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR) {
			r = -errno;
			break;
		}
		while ((n = nl_recv(s, buf, 65536, &from)) != -EAGAIN) {
			if (n < 0)
				continue;	/* ENOBUFS: keep looking, the last one may still come */
			if (uev_classify(&ev, buf, (size_t)n, &from) != UEV_OK)
				continue;
			u = uev_get(&ev, "SYNTH_UUID");
			if (u && !strcmp(u, uuid) && !strcmp(ev.devpath, devpath)) {
				*seq = ev.seqnum;
				free(buf);
				return 0;
			}
		}
	}
	free(buf);
	return r;
}

int cold_settle(const char *root, uint64_t seq, int timeout_ms, uint64_t *seen)
{
	long long end = now_ms() + timeout_ms;
	char path[PATH_MAX], b[32];
	int fd;

	if (snprintf(path, sizeof path, "%s/%s", root, ENG_SEQ_FILE) >= (int)sizeof path)
		return -ENAMETOOLONG;
	*seen = 0;
	for (;;) {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd >= 0) {
			ssize_t n = read(fd, b, sizeof b - 1);

			close(fd);
			if (n > 0) {
				b[n] = 0;
				*seen = strtoull(b, NULL, 10);
				if (*seen >= seq)
					return 0;
			}
		} else if (now_ms() >= end) {
			return -errno;
		}
		if (now_ms() >= end)
			return -ETIMEDOUT;
		/* the daemon rewrites the file after each batch: a short poll */
		{
			struct timespec ts = { 0, 5 * 1000 * 1000 };

			nanosleep(&ts, NULL);
		}
	}
}
