/* rt_mon.h — netwatch's monitor lines: which events to show (groups,
 * families, -i/-x on the interface's name) and the line for each, with an
 * optional timestamp.  Owns a small ifindex -> name cache: names are
 * learnt from link events and kept after RTM_DELLINK, so the deletions of
 * addresses and routes that follow still show a name; others are asked of
 * the kernel once (if_indextoname).  Never prints, never exits.
 */
#ifndef UEVBOX_RT_MON_H
#define UEVBOX_RT_MON_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "rt_state.h"

#define RT_MON_NAMES 64		/* cache entries, replaced round-robin */
#define RT_MON_LINE 1024	/* an event line is cut to this, stamp aside */
#define RT_MON_BUF (RT_MON_LINE + 64)	/* room for a line and its stamp */

struct rt_mon {
	const struct rt_filter *f;	/* groups, families, globs */
	int json, stamp;		/* JSON objects; wall-clock stamps */
	struct { int32_t idx; char name[IFNAMSIZ]; } names[RT_MON_NAMES];
	unsigned next;
};

/* f must outlive m. */
void rt_mon_init(struct rt_mon *m, const struct rt_filter *f, int json, int stamp);
/* The monitor line for event nlh, NUL-terminated without a newline, in
 * buf (RT_MON_BUF bytes keep every line whole up to RT_MON_LINE).
 * Returns its length (> 0; a line cut to RT_MON_LINE still counts), 0 if
 * the event is filtered out or not one we show, -EBADMSG if malformed.
 * Stamped lines: text "[STAMP] LINE", JSON {"time":"STAMP",...}. */
int rt_mon_line(struct rt_mon *m, const struct nlmsghdr *nlh, char *buf, size_t size);

#endif
