/* probe_luks.c — LUKS1 and LUKS2 headers: magic "LUKS\xba\xbe" at 0,
 * version be16 (+6), uuid as a string[40] (+168); LUKS2 also a label[48]
 * (+24) and subsystem[48] (+208). */
#include <string.h>

#include "probe.h"

static int probe_luks(const struct probe_src *s, struct uprops *out)
{
	unsigned char h[256];
	char uuid[41], label[49], ver[8];
	unsigned v;
	int r = probe_read(s, 0, h, sizeof h);

	if (r <= 0)
		return r;
	if (memcmp(h, "LUKS\xba\xbe", 6))
		return 0;
	v = probe_be16(h + 6);
	if (v != 1 && v != 2)
		return 0;
	probe_field(uuid, sizeof uuid, h + 168, 40);
	label[0] = '\0';
	if (v == 2)
		probe_field(label, sizeof label, h + 24, 48);
	ver[0] = (char)('0' + v);
	ver[1] = '\0';
	return probe_set_fs(out, "crypto_LUKS", "crypto", ver, uuid, label);
}

const struct probe_def probe_luks_def = { "luks", PROBE_FS, probe_luks, NULL };
