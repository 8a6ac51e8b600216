# The USB disk's chain alone: the least time any coldplug can take on this
# device set, however fast it is.  Nothing else is loaded: the USB host
# controllers' modules at once, then (when the kernel has enumerated the
# ports, each behind its debounce and reset timers) the mass-storage
# interface's, then (after usb-storage's own wait, delay_use, 1 s by
# default) the SCSI disk's; "last" is the disk's block device (or its
# partition).  Builtins only while waiting, so the emulated CPU is the
# kernel's.
. /vmtest/lib.sh
need_applet modalias-load || exit 0
kernel_modprobe
t0=$(now)
# every USB host controller (PCI class 0c03)
for d in /sys/bus/pci/devices/*; do
	read -r c < "$d/class"
	case $c in 0x0c03*) read -r m < "$d/modalias"; set -- "$@" "$m" ;; esac
done
/bin/uevbox modalias-load -q -a "$@"
rc=$?
# wait (at most 30 s) for the mass-storage interface (class 08), load its
# modules, then wait for a disk behind it
found=
for i in $(seq 300); do
	for c in /sys/bus/usb/devices/*:*/bInterfaceClass; do
		[ -e "$c" ] || continue
		read -r v < "$c"
		[ "$v" = 08 ] && { found=${c%/bInterfaceClass}; break 2; }
	done
	read -r -t 0.1 -u 9 _ 9<> /run/watch.fifo
done
if [ -z "$found" ]; then echo "ERROR no USB mass-storage interface in 30 s"; exit 1; fi
read -r m < "$found/modalias"
/bin/uevbox modalias-load -q "$m" || rc=$?
# the SCSI disk device, after usb-storage's wait: its modules (sd_mod)
sdev=
for i in $(seq 300); do
	for a in "$found"/host*/target*/*/modalias; do
		[ -e "$a" ] && { sdev=$a; break 2; }
	done
	read -r -t 0.1 -u 9 _ 9<> /run/watch.fifo
done
[ -n "$sdev" ] || { echo "ERROR no SCSI device behind $found in 30 s"; exit 1; }
read -r m < "$sdev"
/bin/uevbox modalias-load -q "$m" || rc=$?
disk=
for i in $(seq 300); do
	for b in "$found"/host*/target*/*/block/*; do
		[ -e "$b" ] && { disk=${b##*/}; break 2; }
	done
	read -r -t 0.1 -u 9 _ 9<> /run/watch.fifo
done
t1=$(now)
[ -n "$disk" ] || { echo "ERROR no disk behind $found in 30 s"; exit 1; }
report chain "$t1" rc=$rc disk=$disk
