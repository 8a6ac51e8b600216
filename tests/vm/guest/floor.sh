# The floor: what the kernel itself needs.  One uevbox process loads the
# module set of an earlier udevd run (/vmtest/floor.list, put there by
# bench-vm.sh) one after the other, with no events, rules or nodes at all.
# Its "cpu busy" is the emulated CPU that loading these modules and
# probing the devices they drive costs, whoever asks for it; divided by
# the number of vCPUs, no coldplug can finish sooner.
. /vmtest/lib.sh
need_applet modalias-load || exit 0
[ -s /vmtest/floor.list ] || { echo "SKIP no /vmtest/floor.list (bench-vm.sh makes it from a udevd run)"; exit 0; }
kernel_modprobe
t0=$(now)
/bin/uevbox modalias-load -q -f /vmtest/floor.list
rc=$?
t1=$(now)
report floor "$t1" rc=$rc run_t=$(since "$t0" "$t1")
