/* mod_order.h — which module load goes first when the workers are busy.
 *
 * A coldplug asks for a hundred loads within a second; the workers take
 * them by class, then in arrival order.  What finishes a coldplug last is
 * not the heaviest load but the longest chain: a USB host controller's
 * driver, then the kernel enumerating each port (debounce and reset timers,
 * a few tenths of a second each), then usb-storage, which waits a second
 * before scanning, then the disk.  Storage controllers are alike (link
 * resets, bus scans), and the disk behind them is what an initramfs waits
 * for.  PS/2 is alike (psmouse probes the mouse's protocols one by one,
 * each with its timeout, for half a second and more), and HD audio (the
 * controller probes its codecs, then asks for their modules).  So:
 *   MOD_ORDER_BUS   storage, USB, SD and HD audio controllers (PCI classes
 *                   01, 0c03, 0805, 0403) and serio ports: their timers
 *                   start at once and run while everything else loads
 *   MOD_ORDER_NEW   devices the kernel just added (the children of a driver
 *                   loaded a moment ago): the next link of a chain
 *   MOD_ORDER_COLD  devices a coldplug replays or triggers (no SEQNUM, or
 *                   SYNTH_UUID): they have waited since boot, they can wait
 *                   for the chains
 *   MOD_ORDER_CPU   a CPU's feature modalias ("cpu:..."): crypto, kvm; no
 *                   device waits for them (threads of their own, niced:
 *                   eng_pool.h)
 */
#ifndef UEVBOX_MOD_ORDER_H
#define UEVBOX_MOD_ORDER_H

enum mod_order { MOD_ORDER_BUS, MOD_ORDER_NEW, MOD_ORDER_COLD, MOD_ORDER_CPU, MOD_ORDER_N };

/* Does device `name` of bus `bus` go first in a coldplug walk (sysfs.h)?
 * dir: SYSFS/bus/BUS/devices, where name links to the device. */
int mod_order_first(int dir, const char *bus, const char *name);

/* The class of loading `alias` for a device whose event was synthetic
 * (replayed or triggered: 1) or the kernel's own (0). */
enum mod_order mod_order(const char *alias, int synthetic);

#endif
