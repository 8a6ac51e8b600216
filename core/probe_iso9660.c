/* probe_iso9660.c — ISO 9660 (CD images).  Volume descriptors from byte
 * 32768, 2048 each: type (+0), "CD001" (+1); the primary (type 1) has the
 * volume id[32] (+40), creation date (+813) and modification date (+830),
 * 17 bytes "YYYYMMDDHHMMSScc" + zone.  A Joliet supplementary descriptor
 * (type 2, escape "%/@", "%/C" or "%/E" at +88) carries the volume id in
 * UTF-16BE.  As libblkid (superblocks/iso9660.c): UUID is the modification
 * date, else the creation date, as "YYYY-MM-DD-HH-MM-SS-cc"; the label
 * merges the Joliet name with the primary one (Joliet's characters where
 * they agree ignoring case or the primary has '_', then the rest of the
 * primary beyond Joliet's 16 characters). */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "probe.h"

#define ISO_VD_MAX 16

static int date_set(const unsigned char *d)
{
	int i;

	for (i = 0; i < 16; i++)
		if (d[i] != '0' && d[i] != 0)
			return 1;
	return 0;
}

static void date_uuid(char out[23], const unsigned char *d)
{
	static const int pos[] = { 0, 1, 2, 3, -1, 4, 5, -1, 6, 7, -1, 8, 9, -1, 10, 11,
				   -1, 12, 13, -1, 14, 15 };
	size_t i;

	for (i = 0; i < sizeof pos / sizeof *pos; i++)
		out[i] = pos[i] < 0 ? '-' : (char)d[pos[i]];
	out[i] = '\0';
}

/* Merge a Joliet field (UTF-16BE, len bytes) with the primary's ASCII one
 * (len bytes) into UTF-16BE in m (2 * len bytes); returns its length. */
static size_t merge(unsigned char *m, const unsigned char *u, const unsigned char *a, size_t len)
{
	size_t o = 0, ai = 0, ui = 0;

	for (; ui + 1 < len && ai < len; ai++, ui += 2) {
		if (u[ui] >= 0xd8 && u[ui] <= 0xdb && ui + 3 < len &&
		    u[ui + 2] >= 0xdc && u[ui + 2] <= 0xdf) {
			m[o++] = u[ui++];
			m[o++] = u[ui++];
		}
		if (a[ai] == '_' || u[ui] != 0 ||
		    (u[ui + 1] != '_' && toupper(a[ai]) != toupper(u[ui + 1]))) {
			m[o] = u[ui];
			m[o + 1] = u[ui + 1];
		} else {
			m[o] = 0;
			m[o + 1] = (u[ui + 1] != '_' && isupper(a[ai])) ? u[ui + 1] : a[ai];
		}
		o += 2;
	}
	for (; ai < len; ai++, o += 2) {
		m[o] = 0;
		m[o + 1] = a[ai];
	}
	return o;
}

/* The merged (or primary) text of a field at off, len bytes. */
static void field_text(char *out, size_t size, const unsigned char *pvd,
		       const unsigned char *jol, size_t off, size_t len)
{
	unsigned char m[512];
	size_t l;

	if (jol) {
		l = merge(m, jol + off, pvd + off, len);
		probe_utf16_to_utf8(out, size, m, l, 0);
	} else
		probe_field(out, size, pvd + off, len);
	l = strlen(out);
	while (l && out[l - 1] == ' ')
		out[--l] = '\0';
}

/* The descriptive ids libblkid reports, encoded as blkid -o udev does. */
static const struct { unsigned short off, len; const char *key; } ids[] = {
	{ 8, 32, "ID_FS_SYSTEM_ID" },
	{ 190, 128, "ID_FS_VOLUME_SET_ID" },
	{ 318, 128, "ID_FS_PUBLISHER_ID" },
	{ 446, 128, "ID_FS_DATA_PREPARER_ID" },
	{ 574, 128, "ID_FS_APPLICATION_ID" },
};

static int probe_iso9660(const struct probe_src *s, struct uprops *out)
{
	static unsigned char vd[2048], pvd[2048], jol[2048];
	char label[400], enc[1600], uuid[23];
	unsigned char *pvd_dates = pvd + 813;
	size_t k;
	int r, i, have_pvd = 0, have_joliet = 0;
	unsigned lbs = 2048;

	for (i = 0; i < ISO_VD_MAX; i++) {
		if ((r = probe_read(s, 32768 + (uint64_t)i * 2048, vd, sizeof vd)) <= 0)
			return r;
		if (memcmp(vd + 1, "CD001", 5))
			return have_pvd ? 0 : 0;
		if (vd[0] == 255)
			break;
		if (vd[0] == 1 && !have_pvd) {
			memcpy(pvd, vd, sizeof pvd);
			lbs = probe_le16(vd + 128);	/* logical block size */
			have_pvd = 1;
		} else if (vd[0] == 2 && !have_joliet && vd[88] == '%' && vd[89] == '/' &&
			   (vd[90] == '@' || vd[90] == 'C' || vd[90] == 'E')) {
			memcpy(jol, vd, sizeof jol);
			have_joliet = 1;
		}
	}
	if (!have_pvd)
		return 0;
	field_text(label, sizeof label, pvd, have_joliet ? jol : NULL, 40, 32);
	if (date_set(pvd_dates + 17))
		date_uuid(uuid, pvd_dates + 17);
	else if (date_set(pvd_dates))
		date_uuid(uuid, pvd_dates);
	else
		uuid[0] = '\0';
	r = probe_set_fs(out, "iso9660", "filesystem", have_joliet ? "Joliet Extension" : NULL,
			 uuid, label);
	if (r > 0 && probe_set_blocksize(out, lbs) < 0)
		r = -ENOSPC;
	for (k = 0; r > 0 && k < sizeof ids / sizeof *ids; k++) {
		field_text(label, sizeof label, pvd, have_joliet ? jol : NULL, ids[k].off, ids[k].len);
		if (!label[0])
			continue;
		probe_encode_string(enc, sizeof enc, label);
		if (uprops_set(out, ids[k].key, enc) < 0)
			r = -ENOSPC;
	}
	return r;
}

const struct probe_def probe_iso9660_def = { "iso9660", PROBE_FS, probe_iso9660, NULL };
