/* udev_msg.h — the libudev netlink wire format: what systemd-udevd sends
 * on NETLINK_KOBJECT_UEVENT group 2 and every libudev / sd-device monitor
 * reads.  Encoder, decoder, the hashes clients filter on, and sending.
 * Never prints, never exits: >= 0 or -errno.
 *
 * Layout (40-byte header, then the properties; checked against systemd
 * src/libsystemd/sd-device/device-monitor.c, struct monitor_netlink_header,
 * device_monitor_send_device, device_monitor_receive_device and
 * sd_device_monitor_filter_update):
 *   off  size  field
 *     0     8  "libudev\0"
 *     8     4  magic 0xfeedcafe, big-endian     (BPF reads it: LD W ABS 8)
 *    12     4  header size = 40, host order
 *    16     4  properties offset = 40, host order
 *    20     4  properties length, host order
 *    24     4  MurmurHash2(SUBSYSTEM, seed 0), big-endian (BPF: ABS 24)
 *    28     4  MurmurHash2(DEVTYPE) big-endian, 0 without DEVTYPE (ABS 28)
 *    32     4  tag bloom bits 63..32, big-endian (BPF: ABS 32)
 *    36     4  tag bloom bits 31..0, big-endian  (BPF: ABS 36)
 *    40     …  KEY=VAL\0KEY=VAL\0...
 * The BPF loads words in network order, so hashes are stored big-endian and
 * compared with the host-order value the client computes.  MurmurHash2
 * reads 4-byte blocks in host order (src/basic/MurmurHash2.c), so sender
 * and client agree because they run on the same machine.
 * A receiver drops datagrams under 32 bytes, with properties_off + 32 past
 * the end, longer than 8192 bytes (truncated), without SCM_CREDENTIALS or
 * from uid != 0, and properties lacking ACTION, DEVPATH, SUBSYSTEM or a
 * non-zero SEQNUM (device-private.c: device_verify). */
#ifndef UEVBOX_UDEV_MSG_H
#define UEVBOX_UDEV_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define UDEV_MSG_MAGIC 0xfeedcafeU
#define UDEV_MSG_HDR_SIZE 40
#define UDEV_MSG_MAX 8192	/* sd-device's receive buffer */
#define UDEV_MSG_GROUP 2	/* MONITOR_GROUP_UDEV */

/* MurmurHash2 (Austin Appleby), blocks read in host byte order. */
uint32_t udev_murmur2(const void *key, size_t len, uint32_t seed);
/* MurmurHash2(s, strlen(s), 0): sd-device's string_hash32. */
uint32_t udev_hash32(const char *s);
/* Bits (h & 63), (h >> 6 & 63), (h >> 12 & 63), (h >> 18 & 63) of
 * h = udev_hash32(tag): sd-device's string_bloom64. */
uint64_t udev_bloom64(const char *tag);

struct udev_msg_hdr {
	uint32_t header_size;
	uint32_t properties_off;
	uint32_t properties_len;
	uint32_t subsystem_hash;	/* host order */
	uint32_t devtype_hash;
	uint64_t tag_bloom;
};

/* Encode the properties nulstr props (plen bytes, every entry KEY=VAL\0)
 * into buf.  The filter fields come from the properties themselves:
 * SUBSYSTEM, DEVTYPE, and the tags in TAGS (":a:b:", all tags, as
 * sd-device's FOREACH_DEVICE_TAG).  Returns the datagram length, or
 *   -EINVAL  not a nulstr, an entry without '=', or ACTION, DEVPATH,
 *            SUBSYSTEM missing / SEQNUM missing or 0 (a client drops it)
 *   -EMSGSIZE longer than UDEV_MSG_MAX or size */
ssize_t udev_msg_encode(void *buf, size_t size, const char *props, size_t plen);

/* Decode a datagram: check prefix, magic, offsets, that the properties
 * are a nulstr inside the datagram.  On success fills h (may be NULL) and
 * points *props / *plen at the properties in buf.  Returns 0 or -EINVAL
 * (not libudev format / bad magic), -EBADMSG (inconsistent lengths). */
int udev_msg_decode(const void *buf, size_t len, struct udev_msg_hdr *h,
		    const char **props, size_t *plen);

/* Value of KEY in a properties nulstr, or NULL. */
const char *udev_nulstr_get(const char *props, size_t plen, const char *key);

#endif
