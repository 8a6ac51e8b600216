#!/bin/sh
# bench-modpool.sh BIN [OLDBIN] — slow module loads against the event
# loop.  N (16) fake devices (a scratch sysfs, replayed with uevd -C) ask
# for a module whose modprobe.d `install` command takes 0.5 s (modprobe.d
# is a tmpfs in a private mount namespace; nothing real is touched).
# 0.3 s after the start a real kernel event (change of mem/null) is sent.
# Figures per binary: time until every load has run, and how long that
# kernel event waited before its node existed under the scratch root.
# OLDBIN (e.g. a build before module workers) runs the same for contrast.
bin=${1:?usage: bench-modpool.sh BIN [OLDBIN]}
old=${2:-}
n=${N:-16}
[ "$(id -u)" = 0 ] || { echo "bench-modpool: needs root (skipped)"; exit 0; }
unshare -m --propagation private true 2>/dev/null && [ -d /etc/modprobe.d ] ||
	{ echo "bench-modpool: no private mount namespace (skipped)"; exit 0; }
tmp=$(mktemp -d /tmp/uevbox-modpool.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
md=$tmp/mods s=$tmp/sys
mkdir -p "$md/k" "$s/bus/platform" "$tmp/mp"
: > "$md/k/uvbslow.ko"
printf 'k/uvbslow.ko:\n' > "$md/modules.dep"
printf 'alias platform:uvbslow* uvbslow\n' > "$md/modules.alias"
printf 'install uvbslow sleep 0.5; echo x >> %s/slow.log\n' "$tmp" > "$tmp/mp/slow.conf"
i=1
while [ $i -le "$n" ]; do
	mkdir -p "$s/devices/platform/uvbslow$i"
	printf 'MODALIAS=platform:uvbslow%s\n' $i > "$s/devices/platform/uvbslow$i/uevent"
	ln -s ../../../bus/platform "$s/devices/platform/uvbslow$i/subsystem"
	i=$((i + 1))
done
now() { date +%s%N; }

run() {	# run LABEL BIN
	rm -rf "$tmp/root" "$tmp/slow.log"
	mkdir -p "$tmp/root"
	t0=$(now)
	unshare -m --propagation private sh -c 'mount -t tmpfs uvbb /etc/modprobe.d &&
		cp "$1"/slow.conf /etc/modprobe.d/ && shift && exec "$@"' sh "$tmp/mp" \
		"$2" uevd -C -s "$s" -d "$md" -r "$tmp/root" 2> "$tmp/err" &
	pid=$!
	sleep 0.3
	te=$(now)
	echo change > /sys/class/mem/null/uevent
	tn= tl=
	k=0
	while [ $k -lt 3000 ]; do	# at most 30 s
		[ -z "$tn" ] && [ -c "$tmp/root/null" ] && tn=$(now)
		[ -z "$tl" ] && [ "$(cat "$tmp/slow.log" 2>/dev/null | wc -l)" -ge "$n" ] && tl=$(now)
		[ -n "$tn" ] && [ -n "$tl" ] && break
		sleep 0.01
		k=$((k + 1))
	done
	kill "$pid"; wait "$pid" 2>/dev/null; pid=
	echo "$1: $n loads of 0.5 s: all done after $(( (${tl:-$(now)} - t0) / 1000000 )) ms;" \
	     "a kernel event sent meanwhile handled after $(( (${tn:-$(now)} - te) / 1000000 )) ms" \
	     "$([ -z "$tn$tl" ] && echo '(timed out)')"
}

run "uevbox (module workers)" "$bin"
[ -n "$old" ] && run "uevbox (old: loads inline)" "$old"
exit 0
