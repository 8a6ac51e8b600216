#!/bin/sh
# bench-storm.sh BIN [PAIRS] — a uevent storm: PAIRS (2000) veth pairs
# created and then deleted in a private network namespace (~14 uevents a
# pair), with uevd running in that namespace and a rule that runs a small
# command for every net device (it keeps one state file per device).
#   run 1: default settings -> events received, overflows (must be 0),
#          final state, CPU time per event (daemon alone, and with commands)
#   run 2: -b 65536 -> it overflows, resyncs, and the state must still end
#          right: after creating all and deleting half, then after deleting all
# Nodes go to a scratch root; nothing outside the namespace is touched.
bin=${1:?usage: bench-storm.sh BIN [PAIRS]}
pairs=${2:-2000}
[ "$(id -u)" = 0 ] || { echo "bench-storm: needs root (skipped)"; exit 0; }
tmp=$(mktemp -d /tmp/uevbox-storm.XXXXXX)
ns=uevstorm$$
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; ip netns del "$ns" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
ip netns add "$ns" || { echo "bench-storm: cannot make a netns"; exit 1; }
tck=$(getconf CLK_TCK)

# the rule: a trivial command per net device, keeping state/<ifname>
cat > "$tmp/storm.conf" <<CONF
SUBSYSTEM=net;.*	0:0 0600 *case \$ACTION in add) : > $tmp/state/\$MDEV;; remove) rm -f $tmp/state/\$MDEV;; esac
CONF

i=0; : > "$tmp/add"; : > "$tmp/delhalf"; : > "$tmp/delrest"
while [ $i -lt "$pairs" ]; do
	echo "link add sa$i type veth peer name sb$i" >> "$tmp/add"
	if [ $((i % 2)) = 0 ]; then echo "link del sa$i" >> "$tmp/delhalf"; else echo "link del sa$i" >> "$tmp/delrest"; fi
	i=$((i + 1))
done

cpu() { awk -v t="$tck" '{ printf "%.3f %.3f", ($14 + $15) / t, ($16 + $17) / t }' "/proc/$1/stat"; }
now() { date +%s.%N; }
# settle: a marker device's state file appears only after everything before
# it (events arrive in order, the marker is the last) has been read
settle() {	# settle NAME: wait for state/NAME to be $2 (present/absent)
	n=0
	while [ $n -lt 1200 ]; do
		if [ "$2" = present ]; then [ -e "$tmp/state/$1" ] && return 0; else [ ! -e "$tmp/state/$1" ] && return 0; fi
		sleep 0.05; n=$((n + 1))
	done
	return 1
}
want_state() { ip -n "$ns" -o link show | sed -n 's/^[0-9]*: \([a-z0-9]*\)[@:].*/\1/p' | grep -v '^lo$' | sort; }
have_state() { ls "$tmp/state" | grep -v "^lo$" | sort; }	# lo exists: a resync rightly replays it

# right_within SECONDS START: "yes (N s after START)" once the state files
# match the devices that exist (checked every 0.2 s), else "NO"
right_within() {
	n=0
	while [ $n -lt $(($1 * 5)) ]; do
		if [ "$(want_state)" = "$(have_state)" ]; then
			awk -v a="$2" -v b="$(now)" 'BEGIN { printf "yes (%.1f s after the batch started)", b - a }'
			return
		fi
		sleep 0.2; n=$((n + 1))
	done
	echo NO
}

run() {	# run LABEL UEVD-OPTIONS...
	label=$1; shift
	rm -rf "$tmp/state" "$tmp/dev"; mkdir -p "$tmp/state" "$tmp/dev"
	ip netns exec "$ns" "$bin" uevd -r "$tmp/dev" -f "$tmp/storm.conf" -D 3 "$@" \
		3> "$tmp/ready" 2> "$tmp/uevd.log" &
	pid=$!
	n=0; while [ ! -s "$tmp/ready" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
	c0=$(cpu "$pid"); t0=$(now)
	ip -n "$ns" -batch "$tmp/add"
	ip -n "$ns" link add zmark1 type veth peer name zmark1p; settle zmark1 present
	t1=$(now)
	ip -n "$ns" -batch "$tmp/delhalf"
	ip -n "$ns" link del zmark1; settle zmark1 absent
	# after an overflow the state is right only once the resync (and the
	# commands it reruns) is through: poll for it, report when it was
	half_ok=$(right_within 180 "$t0")
	t1b=$(now)
	ip -n "$ns" -batch "$tmp/delrest"
	ip -n "$ns" link add zmark2 type veth peer name zmark2p; settle zmark2 present
	ip -n "$ns" link del zmark2; settle zmark2 absent
	end_ok=$(right_within 180 "$t1b")
	t2=$(now)
	c1=$(cpu "$pid")
	kill "$pid"; wait "$pid" 2>/dev/null; pid=
	summary=$(grep exiting "$tmp/uevd.log")
	events=$(echo "$summary" | sed -n 's/.*exiting: \([0-9]*\) event.*/\1/p')
	overflows=$(echo "$summary" | sed -n 's/.* \([0-9]*\) overflow.*/\1/p')
	resyncs=$(echo "$summary" | sed -n 's/.* \([0-9]*\) resync.*/\1/p')
	cmds=$(echo "$summary" | sed -n 's/.* \([0-9]*\) command.*/\1/p')
	lost=$(grep -o 'up to [0-9]* event' "$tmp/uevd.log" | awk '{ s += $3 } END { print s + 0 }')
	echo "$c0 $c1 $events" | awk -v label="$label" '{
		d = $3 - $1; c = $4 - $2;
		printf "%s: daemon CPU %.3f s (%.1f us/event), commands CPU %.3f s, together %.1f us/event\n",
			label, d, $5 ? d * 1e6 / $5 : 0, c, $5 ? (d + c) * 1e6 / $5 : 0 }'
	awk -v a="$t0" -v b="$t1" -v c="$t2" -v l="$label" 'BEGIN { printf "%s: wall %.2f s until the last creation was handled; whole run %.2f s\n", l, b - a, c - a }'
	echo "$label: events received $events, overflows $overflows, resyncs $resyncs, commands $cmds, SEQNUM-gap estimate of lost events $lost"
	echo "$label: state right after creating all and deleting half: $half_ok; after deleting all: $end_ok"
	grep -E "overflow|resync" "$tmp/uevd.log" | head -4 | sed "s/^/$label:   log: /"
}

echo "storm: $pairs veth pairs created then deleted in netns $ns ($(nproc) CPUs)"
run "default" 
run "-b 65536" -b 65536
