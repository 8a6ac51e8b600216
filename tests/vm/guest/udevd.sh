# systemd-udevd as Debian's initramfs starts it: daemon, trigger subsystems
# then devices, settle.  Binaries from Debian's udev package (never run on
# the host).
. /vmtest/lib.sh
t0=$(now)
SYSTEMD_LOG_LEVEL=notice /lib/systemd/systemd-udevd --daemon --resolve-names=never
udevadm trigger --type=subsystems --action=add
udevadm trigger --type=devices --action=add
udevadm settle --timeout=120 || echo "INFO udevadm settle failed"
t1=$(now)
report udevd "$t1" run_t=$(since "$t0" "$t1")
