#!/bin/sh
# bench-probe.sh — the built-in block probes against util-linux's blkid:
# wall time of N probes of the same image (process start included, as a
# device manager pays it per event when it forks blkid), and what the
# data gatherer adds to the binary.
#   sh scripts/bench-probe.sh BUILD_DIR [N]
# BUILD_DIR holds uevbox built with configs/default; the script builds a
# twin without the gatherer (GATHER empty) in BUILD_DIR-nogather.
B=${1:?usage: bench-probe.sh BUILD_DIR [N]}
N=${2:-200}
U=$B/uevbox
T=$(mktemp -d "${TMPDIR:-/tmp}/uevbox-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

ms() { date +%s%N; }
run() {	# LABEL IMAGE CMD... : N runs of CMD IMAGE, prints µs per run
	l=$1 img=$2; shift 2
	s=$(ms); i=0
	while [ $i -lt "$N" ]; do "$@" "$img" >/dev/null 2>&1; i=$((i + 1)); done
	e=$(ms)
	printf '  %-8s %-12s %8d us/probe\n' "$l" "$(basename "$img")" $(( (e - s) / 1000 / N ))
}

truncate -s 64M "$T/ext4.img" && mkfs.ext4 -q -F -L bench "$T/ext4.img"
truncate -s 64M "$T/vfat.img" && mkfs.vfat -n BENCH "$T/vfat.img" >/dev/null
truncate -s 256M "$T/btrfs.img" && mkfs.btrfs -q -L bench "$T/btrfs.img" >/dev/null 2>&1
truncate -s 64M "$T/empty.img"
echo "probe time, $N runs each (lower is better):"
for img in "$T"/ext4.img "$T"/vfat.img "$T"/btrfs.img "$T"/empty.img; do
	run uevbox "$img" "$U" blkprobe
	run blkid "$img" blkid -p -o udev
done

echo "binary size (stripped):"
make -s B="$B-nogather" GATHER= >/dev/null 2>&1 || { echo "  build without gatherer failed"; exit 1; }
for b in "$U" "$B-nogather/uevbox"; do
	cp "$b" "$T/s" && strip "$T/s" && printf '  %-30s %8d bytes\n' "$b" "$(wc -c < "$T/s")"
done
