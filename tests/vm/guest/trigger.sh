# uevbox uevd + coldplug -w: the daemon listens (nodes under ROOT, in-process
# module loading), coldplug writes "add" to every uevent file and waits until
# the daemon has handled them all (settle: uevd keeps ROOT/.uevd.seq, so
# coldplug gets the same -r ROOT).
. /vmtest/lib.sh
need_applet uevd || exit 0
need_applet coldplug || exit 0
ROOT=/run/uevroot
mkdir -p "$ROOT"
mkfifo /run/uevd.ready
kernel_modprobe
t0=$(now)
/bin/uevbox uevd -r "$ROOT" -D 3 $UEVBOX_CONF 3> /run/uevd.ready > /run/uevd.out 2>&1 &
upid=$!
# -D 3: uevd writes a line when its socket is open; EOF if it died first
timeout 30 sh -c 'read -r x < /run/uevd.ready' || echo "INFO uevd gave no readiness line"
t_ready=$(now)
/bin/uevbox coldplug -w -t 120 -r "$ROOT" > /run/coldplug.out 2>&1
rc=$?
t1=$(now)
sed 's/^/INFO coldplug: /' /run/coldplug.out | head -n 40
report trigger "$t1" rc=$rc ready_t=$(since "$t0" "$t_ready") run_t=$(since "$t0" "$t1")
check_nodes "$ROOT"
if kill -0 "$upid" 2>/dev/null; then
	kill -TERM "$upid"; wait "$upid"; echo "INFO uevd exit=$? after SIGTERM"
else
	wait "$upid"; echo "ERROR uevd died early, exit $?"
fi
sed 's/^/INFO uevd: /' /run/uevd.out | head -n 40
