#!/bin/sh
# bench-coldplug.sh BIN [RUNS] — coldplug of this machine's /sys, three ways,
# in one run, each into its own scratch root (the real /dev is never used):
#   trigger+settle  uevd running (built-in rules) + `coldplug -w`: the kernel
#                   resends every device's add event, uevd handles them, and
#                   coldplug returns once ROOT/.uevd.seq says all are done
#   replay          `coldplug -R`: uevent files read and applied in process
#   mdev -s         uevbox `mdev -s` and Debian busybox-static `mdev -s` with
#                   the same mdev.conf (the built-in rules), busybox in a
#                   private mount namespace with scratch /dev and /etc
# Wall time and CPU time (user+sys, including children) per run, every run
# into an empty root (emptied outside the timing); each sample averages
# ITER (10) runs, and the median of RUNS (5) samples is printed.  Trigger mode sends real "add" events for every
# device to every listener on the machine (harmless, as udevadm trigger).
bin=${1:?usage: bench-coldplug.sh BIN [RUNS]}
runs=${2:-5}
[ "$(id -u)" = 0 ] || { echo "bench-coldplug: needs root (skipped)"; exit 0; }
# scratch roots on a tmpfs (as /dev is) in a private mount namespace, so
# mknod costs what it costs on a device directory, not on a journaled disk
if [ -z "$UEVBOX_BENCH_NS" ]; then
	UEVBOX_BENCH_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi
tmp=$(mktemp -d /tmp/uevbox-cold.XXXXXX)
mount -t tmpfs -o mode=0755 uevbox-bench "$tmp" || { echo "bench-coldplug: cannot mount a tmpfs"; exit 1; }
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; umount "$tmp"; rm -rf "$tmp"' EXIT
tck=$(getconf CLK_TCK)
files=$(find /sys/devices -name uevent | wc -l)
bb=$(command -v busybox)
for c in /bin/busybox /usr/bin/busybox; do [ -x "$c" ] && bb=$c; done
"$bin" uevd -N >/dev/null 2>&1 || { echo "bench-coldplug: built-in rules do not parse"; exit 1; }
# the built-in rules as a file, for both mdev -s
mkdir -p "$tmp/etc"
sed -n '/^#/d; /^$/d; p' "$(dirname "$0")/../configs/mdev.conf" > "$tmp/etc/mdev.conf"
cp /etc/passwd /etc/group "$tmp/etc/"

now() { date +%s.%N; }
# children's CPU seconds (user + sys) in a `times` output file; `times`
# must run in this shell itself (not a $(...) subshell) to see them
ccpu() { tail -1 "$1" | awk '{ n = split($0, f, " "); s = 0
	for (i = 1; i <= n; i++) { split(f[i], m, "m"); sub("s", "", m[2]); s += m[1] * 60 + m[2] }
	printf "%.4f", s }'; }
# measure PREP COMMAND...: run PREP (untimed: e.g. empty the root), then the
# command; repeated $iter times; prints "wall cpu" per command (seconds).
# `times` counts in clock ticks, so many repetitions make the CPU figure.
iter=${ITER:-10}
measure() {
	prep=$1; shift
	w=0; c=0; k=0
	while [ $k -lt "$iter" ]; do
		eval "$prep"
		times > "$tmp/times0"; t0=$(now)
		"$@" >/dev/null 2>&1
		t1=$(now); times > "$tmp/times1"
		c0=$(ccpu "$tmp/times0"); c1=$(ccpu "$tmp/times1")
		w=$(echo "$w $t0 $t1" | awk '{ printf "%.6f", $1 + $3 - $2 }')
		c=$(echo "$c $c0 $c1" | awk '{ printf "%.6f", $1 + $3 - $2 }')
		k=$((k + 1))
	done
	echo "$w $c" | awk -v n="$iter" '{ printf "%.6f %.6f\n", $1 / n, $2 / n }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
report() {	# report LABEL FILE(wall cpu per line) [extra]
	w=$(cut -d' ' -f1 "$2" | median); c=$(cut -d' ' -f2 "$2" | median)
	awk -v l="$1" -v w="$w" -v c="$c" -v x="$3" 'BEGIN { printf "  %-34s wall %7.1f ms   CPU %7.1f ms %s\n", l, w * 1000, c * 1000, x }'
}

echo "coldplug of /sys: $files uevent files, $(nproc) CPUs, median of $runs samples of $iter runs"

# -- trigger + settle: uevd's CPU is read from /proc around each run
: > "$tmp/trig"; : > "$tmp/trigd"
mkdir -p "$tmp/dt"
"$bin" uevd -r "$tmp/dt" -D 3 3> "$tmp/ready" 2> "$tmp/uevd.log" &
pid=$!
n=0; while [ ! -s "$tmp/ready" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
i=0
while [ $i -lt "$runs" ]; do
	d0=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pid/stat")
	measure 'rm -rf "$tmp/dt"/*' "$bin" coldplug -w -t 60 -r "$tmp/dt" >> "$tmp/trig"
	d1=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pid/stat")
	echo "$d0 $d1" | awk -v t="$tck" -v n="$iter" '{ printf "0 %.6f\n", ($2 - $1) / t / n }' >> "$tmp/trigd"
	i=$((i + 1))
done
kill "$pid"; wait "$pid" 2>/dev/null; pid=
ud=$(cut -d' ' -f2 "$tmp/trigd" | median)
report "trigger+settle (coldplug -w)" "$tmp/trig" "$(awk -v u="$ud" 'BEGIN { printf "+ uevd CPU %.1f ms", u * 1000 }')"
echo "    nodes made: $(find "$tmp/dt" \( -type c -o -type b \) | wc -l)"

# -- replay.  -i 0: on a running machine no module load makes devices
# appear, so the walk is the whole job; the default -i 1000 would only add
# a second of listening for them (tests/vm measures that case).
: > "$tmp/rep"; i=0
while [ $i -lt "$runs" ]; do
	measure 'rm -rf "$tmp/dr"; mkdir -p "$tmp/dr"' "$bin" coldplug -R -i 0 -r "$tmp/dr" >> "$tmp/rep"
	i=$((i + 1))
done
report "replay (coldplug -R -i 0)" "$tmp/rep"
echo "    nodes made: $(find "$tmp/dr" \( -type c -o -type b \) | wc -l)"

# -- mdev -s, ours and busybox's, same rules
: > "$tmp/um"; i=0
while [ $i -lt "$runs" ]; do
	measure 'rm -rf "$tmp/u"; mkdir -p "$tmp/u/dev"; cp -r "$tmp/etc" "$tmp/u/etc"' env MDEV_ROOT="$tmp/u" "$bin" mdev -s >> "$tmp/um"
	i=$((i + 1))
done
report "uevbox mdev -s" "$tmp/um"
echo "    nodes made: $(find "$tmp/u/dev" \( -type c -o -type b \) | wc -l)"
if [ -n "$bb" ] && "$bb" mdev --help >/dev/null 2>&1; then
	: > "$tmp/bm"; i=0
	while [ $i -lt "$runs" ]; do
		measure 'rm -rf "$tmp/b"; mkdir -p "$tmp/b/dev"' unshare -m sh -c "mount --make-rprivate / && mount --bind '$tmp/b/dev' /dev && mount --bind '$tmp/etc' /etc && exec '$bb' mdev -s" >> "$tmp/bm"
		i=$((i + 1))
	done
	report "busybox mdev -s ($($bb | head -1 | cut -d' ' -f2))" "$tmp/bm" "(incl. unshare+mount, measured alone below)"
	echo "    nodes made: $(find "$tmp/b/dev" \( -type c -o -type b \) | wc -l)"
	: > "$tmp/bx"; i=0
	while [ $i -lt "$runs" ]; do
		measure : unshare -m sh -c "mount --make-rprivate / && mount --bind '$tmp/b/dev' /dev && mount --bind '$tmp/etc' /etc && exec true" >> "$tmp/bx"
		i=$((i + 1))
	done
	report "  (unshare+mount+exec overhead)" "$tmp/bx"
else
	echo "  busybox mdev: not installed (apt-get install busybox-static)"
fi
