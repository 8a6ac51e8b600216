#!/bin/sh
# bench-netwatch.sh BINARY [CHANGES] — CPU netwatch spends per rtnetlink
# event in a storm, inside a scratch network namespace (uevbox-nwb-PID,
# always deleted).  A storm of CHANGES address adds + deletes (default
# 2000 each) is made with `ip -batch`; watched at the same time by
#   - netwatch with a COMMAND (debounced re-dumps),
#   - netwatch -m > file (prints every event; 8 MiB buffer: no loss),
#   - ip monitor > /dev/null (reference).
# CPU = utime + stime from /proc/PID/stat.  Needs root.
set -u
BIN=${1:?usage: bench-netwatch.sh BINARY [CHANGES]}
N=${2:-2000}
[ "$(id -u)" = 0 ] || { echo "bench-netwatch: needs root (network namespaces)" >&2; exit 1; }
NS=uevbox-nwb-$$
TMP=$(mktemp -d)
PIDS=
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; ip netns del $NS 2>/dev/null; rm -rf "$TMP"' EXIT
ip netns add $NS || exit 1
ip -n $NS link add nwb0 type veth peer name nwb1 || exit 1
ip -n $NS link set nwb0 up; ip -n $NS link set nwb1 up
HZ=$(getconf CLK_TCK)
cpu_ms() { awk -v hz="$HZ" '{ sub(/^.*\) /, ""); print ($12 + $13) * 1000 / hz }' "/proc/$1/stat"; }

cat > "$TMP/cmd.sh" <<'X'
echo x >> "$RUNS"
X
RUNS=$TMP/runs; export RUNS
"$BIN" netwatch -N $NS -- sh "$TMP/cmd.sh" & A=$!
"$BIN" netwatch -N $NS -m -b 8388608 > "$TMP/mon" & B=$!
ip netns exec $NS ip monitor address route link > /dev/null & C=$!
PIDS="$A $B $C"
sleep 1
a0=$(cpu_ms $A); b0=$(cpu_ms $B); c0=$(cpu_ms $C)
i=0; : > "$TMP/batch"
while [ $i -lt "$N" ]; do
	echo "addr add 10.$((i / 250 + 20)).$((i % 250)).1/32 dev nwb0" >> "$TMP/batch"; i=$((i + 1))
done
sed 's/^addr add/addr del/' "$TMP/batch" >> "$TMP/batch2"
t0=$(date +%s%N)
ip -n $NS -batch "$TMP/batch"
ip -n $NS -batch "$TMP/batch2"
t1=$(date +%s%N)
sleep 3	# debounce and the last re-dump
a1=$(cpu_ms $A); b1=$(cpu_ms $B); c1=$(cpu_ms $C)
ev=$(wc -l < "$TMP/mon")
runs=$(cat "$RUNS" 2>/dev/null | wc -l)
echo "(CPU from /proc/PID/stat, resolution $((1000 / HZ)) ms)"
echo "storm: $N adds + $N deletes in $(( (t1 - t0) / 1000000 )) ms, $ev events seen by netwatch -m"
awk -v ev="$ev" -v a=$((a1 - a0)) -v b=$((b1 - b0)) -v c=$((c1 - c0)) -v runs="$runs" 'BEGIN {
	printf "netwatch COMMAND mode: %d ms CPU, %.2f us/event, %d COMMAND runs\n", a, a * 1000 / ev, runs
	printf "netwatch -m:           %d ms CPU, %.2f us/event\n", b, b * 1000 / ev
	printf "ip monitor:            %d ms CPU, %.2f us/event\n", c, c * 1000 / ev
}'
