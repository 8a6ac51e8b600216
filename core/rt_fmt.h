/* rt_fmt.h — one rtnetlink event as one line of text, for netwatch's
 * monitor mode: the `ip monitor` layout (text) or a JSON object.  Pure:
 * formats into the caller's buffer, never prints.
 *
 * text (as `ip monitor link address route` prints the first line):
 *   [Deleted ]IDX: NAME: <FLAGS> mtu N state OPER
 *   [Deleted ]IDX: NAME    inet|inet6 ADDR/LEN scope S [flags] [LABEL]
 *   [Deleted ][TYPE ]DST|default [via GW] dev NAME [table T] [proto P]
 *            [scope S] [src A] [metric M]
 *   [Deleted ]rule inet|inet6 priority N table T
 * json: {"event":"link|addr|route|rule","action":"new|del", ...} with the
 * same fields, strings escaped.
 */
#ifndef UEVBOX_RT_FMT_H
#define UEVBOX_RT_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <linux/netlink.h>

/* Resolves an interface index to a name for addresses and routes (may
 * return NULL: "if<N>" is printed). */
typedef const char *(*rt_ifname_fn)(int32_t ifindex, void *arg);

/* Writes one NUL-terminated line (no newline) to buf.  Returns its
 * length, 0 for a message type that is not an event we print, -EBADMSG
 * if malformed, -ENOSPC if it did not fit (buf then holds a prefix). */
int rt_fmt_event(const struct nlmsghdr *nlh, int json, rt_ifname_fn ifname, void *arg,
		 char *buf, size_t size);

/* Wall-clock time t as 2026-01-02T03:04:05.123456Z (UTC, proleptic
 * Gregorian), for stamped monitor lines.  By hand: localtime()'s time-zone
 * machinery would double netwatch's size. */
void rt_fmt_utc(const struct timespec *t, char *buf, size_t size);

/* The interface an event is about (ifindex, 0 if none) — for -i/-x. */
int32_t rt_event_ifindex(const struct nlmsghdr *nlh);

#endif
