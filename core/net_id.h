/* net_id.h — the basic ID_NET_* properties udev gives a network
 * interface, without renaming anything.  Optional part (GATHER = ...
 * net_id).  Never prints; >= 0 or -errno.
 *   ID_NET_DRIVER     the driver, as udev's net_setup_link builtin reads it
 *                     (ethtool ETHTOOL_GDRVINFO), else the sysfs
 *                     device/driver link's name
 *   ID_NET_NAME_MAC   "en"/"wl"/"ww" + the MAC in lower-case hex, as udev's
 *                     net_id builtin: Ethernet-type (ARPHRD_ETHER) devices
 *                     with a permanent address (addr_assign_type 0) that
 *                     are not stacked on another (iflink == ifindex)
 * The device's udev database entry is "n<ifindex>" (udev_db_id()). */
#ifndef UEVBOX_NET_ID_H
#define UEVBOX_NET_ID_H

#include "udev_props.h"

/* dirfd: /sys/class/net/<ifname>; devtype: the uevent's DEVTYPE or NULL.
 * Returns 0 or -errno (a missing attribute is not an error). */
int net_id_gather(int dirfd, const char *ifname, const char *devtype, struct uprops *out);

/* ETHTOOL_GDRVINFO for ifname into buf; 1, 0 (no driver info), -errno. */
int net_id_driver(const char *ifname, char *buf, size_t size);

#endif
