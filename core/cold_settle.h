/* cold_settle.h — coldplug -w: wait until the daemon has handled what a
 * trigger caused.  Protocol (see eng_daemon.h): before triggering, open a
 * kernel uevent socket; after, read events until the one for the last
 * DEVPATH written with our SYNTH_UUID arrives and take its SEQNUM S; then
 * wait until ROOT/.uevd.seq holds a number >= S.  Never prints. */
#ifndef UEVBOX_COLD_SETTLE_H
#define UEVBOX_COLD_SETTLE_H

#include <stdint.h>

#include "nl_sock.h"

int cold_watch_open(struct nl_sock *s);

/* -ETIMEDOUT when the event did not come within timeout_ms. */
int cold_watch_seq(struct nl_sock *s, const char *devpath, const char *uuid, int timeout_ms,
		   uint64_t *seq);

/* 0 when ROOT/.uevd.seq >= seq, -ETIMEDOUT, or -errno (no daemon file). */
int cold_settle(const char *root, uint64_t seq, int timeout_ms, uint64_t *seen);

#endif
