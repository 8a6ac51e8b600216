/* udev_pub.c — composing and publishing what libudev clients see (see
 * udev_pub.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "udev_msg.h"
#include "udev_pub.h"

int udev_pub_props(struct uprops *out, const struct udev_pub *p)
{
	const struct uevent *ev = p->ev;
	char v[UPROPS_MAX], num[24], key[128];
	const char *e;
	size_t i, pos = 0, vlen;
	int r = 0;

	if (!ev->action || !ev->devpath || !ev->subsystem || !ev->seqnum)
		return -EINVAL;
	uprops_init(out);
	/* the kernel's variables first, in its order */
	for (i = 0; i < ev->nvars && !r; i++) {
		const struct uev_var *var = &ev->vars[i];

		if (var->klen >= sizeof key)
			continue;
		memcpy(key, var->key, var->klen);
		key[var->klen] = '\0';
		vlen = strlen(var->val);
		/* A property list holds no newline (it is also the database's
		 * line format).  Some kernel values end in one: hdaudio's
		 * MODALIAS shares its formatter with the sysfs attribute
		 * (kernel: sound/hda/hdac_device.c:snd_hdac_codec_modalias),
		 * so it arrives as "hdaudio:v...a01\n"; the newline is dropped.
		 * A value with a newline inside is left out, not the event. */
		while (vlen && var->val[vlen - 1] == '\n')
			vlen--;
		if (memchr(var->val, '\n', vlen))
			continue;
		if (!strcmp(key, "DEVNAME") && var->val[0] != '/') {
			snprintf(v, sizeof v, "/dev/%.*s", (int)vlen, var->val);
			r = uprops_set(out, key, v);
		} else
			r = uprops_setn(out, key, var->val, vlen);
	}
	if (!r && p->usec_initialized) {
		snprintf(num, sizeof num, "%llu", (unsigned long long)p->usec_initialized);
		r = uprops_set(out, "USEC_INITIALIZED", num);
	}
	while (!r && p->props && (e = uprops_next(p->props, &pos))) {
		const char *eq = strchr(e, '=');

		if (!eq || (size_t)(eq - e) >= sizeof key)
			continue;
		memcpy(key, e, (size_t)(eq - e));
		key[eq - e] = '\0';
		r = uprops_set(out, key, eq + 1);
	}
	if (!r && p->nlinks) {
		size_t len = 0;

		for (i = 0; i < p->nlinks; i++) {
			const char *l = p->links[i];
			int n;

			if (!strncmp(l, "/dev/", 5))
				l += 5;
			n = snprintf(v + len, sizeof v - len, "%s/dev/%s", i ? " " : "", l);
			if (n < 0 || (size_t)n >= sizeof v - len)
				return -ENOSPC;
			len += (size_t)n;
		}
		r = uprops_set(out, "DEVLINKS", v);
	}
	if (!r && p->ntags)
		r = uprops_set_list(out, "TAGS", p->tags, p->ntags, ':', 1);
	if (!r && p->ntags)
		r = uprops_set_list(out, "CURRENT_TAGS", p->tags, p->ntags, ':', 1);
	return r;
}

int udev_pub_db_id(char *buf, size_t size, const struct uevent *ev)
{
	const char *maj = uev_get(ev, "MAJOR"), *min = uev_get(ev, "MINOR");
	const char *ifi = uev_get(ev, "IFINDEX");

	return udev_db_id(buf, size, ev->subsystem, ev->devpath, maj && min,
			  maj ? (unsigned)strtoul(maj, NULL, 10) : 0,
			  min ? (unsigned)strtoul(min, NULL, 10) : 0,
			  ifi ? atoi(ifi) : 0);
}

int udev_pub_db(struct udev_db *db, const struct udev_pub *p)
{
	struct udev_db_entry e;
	char id[300];
	int r = udev_pub_db_id(id, sizeof id, p->ev);

	if (r < 0)
		return r;
	if (!strcmp(p->ev->action, "remove"))
		return udev_db_remove(db, id);
	memset(&e, 0, sizeof e);
	e.id = id;
	e.has_devnum = uev_get(p->ev, "MAJOR") != NULL;
	e.links = p->links;
	e.nlinks = p->nlinks;
	e.usec_initialized = p->usec_initialized;
	e.props = p->props;
	e.tags = p->tags;
	e.ntags = p->ntags;
	e.cur_tags = p->tags;
	e.ncur = p->ntags;
	return udev_db_write(db, &e);
}

ssize_t udev_pub_send(struct nl_sock *s, const struct uprops *props)
{
	unsigned char buf[UDEV_MSG_MAX];	/* 8 KiB on the stack */
	ssize_t n = udev_msg_encode(buf, sizeof buf, props->buf, props->len);

	if (n < 0)
		return n;
	return nl_send(s, buf, (size_t)n, 0, 1u << (UDEV_MSG_GROUP - 1));
}
