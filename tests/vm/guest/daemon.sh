# uevbox uevd -C: the daemon opens its socket, replays every device itself
# (no kernel round trip), then handles what that makes appear.  It has no
# "done" signal of its own beyond readiness, so the end is the last change
# before calm (t_last).
. /vmtest/lib.sh
need_applet uevd || exit 0
ROOT=/run/uevroot
mkdir -p "$ROOT"
mkfifo /run/uevd.ready
kernel_modprobe
t0=$(now)
/bin/uevbox uevd -C -r "$ROOT" -D 3 $UEVBOX_CONF 3> /run/uevd.ready > /run/uevd.out 2>&1 &
upid=$!
timeout 60 sh -c 'read -r x < /run/uevd.ready' || echo "INFO uevd gave no readiness line"
t1=$(now)
report daemon "$t1" ready_t=$(since "$t0" "$t1")
check_nodes "$ROOT"
if kill -0 "$upid" 2>/dev/null; then
	# CPU-seconds of the event loop thread and of the whole daemon (its
	# module workers' loads included): how much of "cpu busy" is uevd's
	echo "INFO uevd cpu: $(awk '{ printf "%s=%.2f+%.2f ", FILENAME ~ /task/ ? "loop" : "all", $14 / 100, $15 / 100 }' \
		"/proc/$upid/task/$upid/stat" "/proc/$upid/stat")(user+sys)"
	kill -TERM "$upid"; wait "$upid"; echo "INFO uevd exit=$? after SIGTERM"
else
	wait "$upid"; echo "ERROR uevd died early, exit $?"
fi
sed 's/^/INFO uevd: /' /run/uevd.out | head -n 40
