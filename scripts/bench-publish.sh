#!/bin/sh
# bench-publish.sh BIN [PAIRS] — what `uevd -U` costs per event: PAIRS
# (500) veth pairs created then deleted in a private network namespace
# (~14 uevents a pair: net, queues), uevd in that namespace with a rule
# that makes no nodes, run three ways:
#   plain        uevd
#   -U           uevd -U -u RUN (gather ID_NET_*, n<ifindex>
#                database entries, libudev message on group 2)
#   -U +client   the same with a libudev-format listener on group 2
#                (uevdump -u) so every message is really delivered
# CPU time of the uevd process (user+sys from /proc) divided by the events
# it handled.  RUN is below /dev/shm when that is a tmpfs (as /run is on
# a real system; a disk file system makes the database writes dominate).
# Net events stay in the namespace; nothing else is touched.
bin=${1:?usage: bench-publish.sh BIN [PAIRS]}
pairs=${2:-500}
[ "$(id -u)" = 0 ] || { echo "bench-publish: needs root (skipped)"; exit 0; }
tmp=$(mktemp -d /tmp/uevbox-pub.XXXXXX)
run=$tmp/run
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
	run=$(mktemp -d /dev/shm/uevbox-pub.XXXXXX)
fi
ns=uevpub$$
pid= lpid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	[ -n "$lpid" ] && kill "$lpid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null; rm -rf "$tmp" "$run"
}
trap cleanup EXIT
ip netns add "$ns" || { echo "bench-publish: cannot make a netns"; exit 1; }
tck=$(getconf CLK_TCK)
# only the marker runs a command: it says everything before it is handled
cat > "$tmp/pub.conf" <<CONF
SUBSYSTEM=net;zmark.*	0:0 0600 ! @touch $tmp/mark.\$MDEV
.*	0:0 0600 !
CONF
i=0; : > "$tmp/add"; : > "$tmp/del"
while [ $i -lt "$pairs" ]; do
	echo "link add pa$i type veth peer name pb$i" >> "$tmp/add"
	echo "link del pa$i" >> "$tmp/del"
	i=$((i + 1))
done
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
wait_file() { n=0; while [ ! -e "$1" ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n + 1)); done; [ -e "$1" ]; }

run() {	# run LABEL LISTEN(0|1) UEVD-OPTIONS...
	label=$1 listen=$2; shift 2
	rm -rf "$tmp/dev" "$run"/* "$tmp"/mark.*; mkdir -p "$tmp/dev"
	if [ "$listen" = 1 ]; then
		ip netns exec "$ns" "$bin" uevdump -u -f env > "$tmp/heard" 2>/dev/null &
		lpid=$!
	fi
	ip netns exec "$ns" "$bin" uevd -r "$tmp/dev" -f "$tmp/pub.conf" -D 3 "$@" \
		3> "$tmp/ready" 2> "$tmp/uevd.log" &
	pid=$!
	n=0; while [ ! -s "$tmp/ready" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
	c0=$(cpu "$pid")
	ip -n "$ns" -batch "$tmp/add"
	ip -n "$ns" link add zmark1 type veth peer name zmark1p
	wait_file "$tmp/mark.zmark1" || echo "$label: marker 1 never handled"
	ip -n "$ns" -batch "$tmp/del"
	ip -n "$ns" link del zmark1
	ip -n "$ns" link add zmark2 type veth peer name zmark2p
	wait_file "$tmp/mark.zmark2" || echo "$label: marker 2 never handled"
	c1=$(cpu "$pid")
	ip -n "$ns" link del zmark2
	sleep 0.3
	kill "$pid"; wait "$pid" 2>/dev/null; pid=
	events=$(sed -n 's/.*exiting: \([0-9]*\) event.*/\1/p' "$tmp/uevd.log")
	heard=
	if [ -n "$lpid" ]; then
		kill "$lpid"; wait "$lpid" 2>/dev/null; lpid=
		heard=", libudev messages heard $(grep -c '^ACTION=' "$tmp/heard")"
	fi
	entries=
	# n<ifindex>: the namespace's net devices (block devices of other
	# programs on this machine come and go in data/ too)
	[ -d "$run/data" ] && entries=", net database entries left $(ls "$run/data" | grep -c '^n')"
	echo "$c0 $c1 $events" | awk -v l="$label" -v t="$tck" '{
		d = ($2 - $1) / t
		printf "%s: uevd CPU %.2f s for %d events: %.1f us/event", l, d, $3, $3 ? d * 1e6 / $3 : 0 }'
	echo "$heard$entries"
	grep -v -e exiting -e 'receive buffer' "$tmp/uevd.log" | head -3 | sed "s/^/$label:   log: /"
}

echo "publish: $pairs veth pairs created then deleted in netns $ns ($(nproc) CPUs), database on $(stat -f -c %T "$run")"
run "plain     " 0
run "-U        " 0 -U -u "$run"
run "-U +client" 1 -U -u "$run"
