/* fuzz_uev.c — libFuzzer target for the uevent classifier.  The first
 * input byte picks the sender (kernel, spoofed, libudev, uid) and the
 * parser (classify or vars); the rest is the datagram.  Besides not
 * crashing under ASan/UBSan, an accepted event must keep the classifier's
 * promises (see core/uev.c), checked here with abort(). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "uev.h"

static void promises(const struct uevent *ev)
{
	unsigned i;

	if (!ev->action || !ev->devpath || !ev->subsystem || ev->nvars > UEV_MAX_VARS)
		abort();
	if (!uev_path_ok(ev->devpath, 1) || (ev->devname && !uev_path_ok(ev->devname, 0)))
		abort();
	for (i = 0; i < ev->nvars; i++)
		if (!ev->vars[i].klen || ev->vars[i].key[ev->vars[i].klen] != '=')
			abort();
	if (strcmp(uev_get(ev, "ACTION"), ev->action))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_from from = { 0 };
	struct uevent ev;
	char *buf;
	int r;

	if (size < 1)
		return 0;
	from.portid = (data[0] & 1) ? 1234 : 0;
	from.groups = (data[0] & 2) ? 2 : 1;
	from.has_cred = !!(data[0] & 4);
	from.uid = (data[0] & 8) ? 1000 : 0;
	/* an exact-size heap copy so ASan sees any read past the end */
	buf = malloc(size - 1 ? size - 1 : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	if (data[0] & 16)
		r = uev_parse_vars(&ev, buf, size - 1);
	else
		r = uev_classify(&ev, buf, size - 1, &from);
	if (r == UEV_OK)
		promises(&ev);
	else if (!uev_reason_str(r))
		abort();
	free(buf);
	return 0;
}
