# uevbox coldplug -R: replay every device's uevent file in-process (rules,
# nodes under ROOT, in-process modalias loading).  One call; whatever it
# leaves undone (devices that its own loading made appear) shows up as a
# difference to the kmod reference.
. /vmtest/lib.sh
need_applet coldplug || exit 0
ROOT=/run/uevroot
mkdir -p "$ROOT"
kernel_modprobe
t0=$(now)
/bin/uevbox coldplug -R -t 60 -r "$ROOT" $UEVBOX_CONF > /run/coldplug.out 2>&1 &
cpid=$!
hang_report "$cpid" 90 /run/coldplug.out
wait "$cpid"
rc=$?
t1=$(now)
sed 's/^/INFO coldplug: /' /run/coldplug.out | head -n 40
report replay "$t1" rc=$rc run_t=$(since "$t0" "$t1")
check_nodes "$ROOT"
