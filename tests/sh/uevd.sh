#!/bin/sh
# uevd.sh — the daemon on the real kernel, nodes under a scratch root:
# loop and zram add/change/remove, veth and tap in a network namespace,
# SIGHUP reload, -n, -N, overflow + resync, SIGTERM.  Only devices this
# test makes are looked at (other tests run at the same time).
. ./lib.sh

if ! is_root; then skip all "needs root (netlink, mknod, loop, zram, netns)"; exit 0; fi

# wait_for SECONDS COMMAND...: poll until the command succeeds
wait_for() { t=$(($1 * 20)); shift; while [ $t -gt 0 ]; do "$@" && return 0; sleep 0.05; t=$((t - 1)); done; return 1; }

R=$TMPD/dev LOG=$TMPD/cmd.log
mkdir -p "$R"
cat > "$TMPD/uevd.conf" <<CONF
# test rules
loop([0-9]+)	0:6 0640 >disk/loop%1 *echo \$ACTION \$MDEV \$DEVNAME >> $LOG
zram([0-9]+)	0:6 0660 =zr/%1 @echo zadd \$MDEV >> $LOG
CONF
"$UEVBOX" uevd -r "$R" -f "$TMPD/uevd.conf" -D 3 3> "$TMPD/ready" 2> "$TMPD/uevd.err" &
PID=$!
NS=
cleanup() {
	kill "$PID" 2>/dev/null; [ -n "$NSPID" ] && kill "$NSPID" 2>/dev/null
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null
	[ -n "$LOOPN" ] && { losetup -d "/dev/loop$LOOPN" 2>/dev/null; perl -e 'open(F,"+<","/dev/loop-control") or exit 1; ioctl(F,0x4C81,$ARGV[0]+0)' "$LOOPN" 2>/dev/null; }
	[ -n "$ZN" ] && echo "$ZN" > /sys/class/zram-control/hot_remove 2>/dev/null
	[ -n "$NS" ] && ip netns del "$NS" 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT
check "readiness newline on -D" wait_for 5 test -s "$TMPD/ready"
check "settle file written" test -f "$R/.uevd.seq"

# ---- loop: add (via loop-control), change (losetup), remove
if [ -e /dev/loop-control ] && command -v perl >/dev/null && command -v losetup >/dev/null; then
	LOOPN=$(perl -e 'open(F,"+<","/dev/loop-control") or die; for $i (300..399) { $r = ioctl(F,0x4C80,$i); if (defined $r) { print $i; exit 0 } } exit 1')
	if [ -z "$LOOPN" ]; then
		fail "loop add" "LOOP_CTL_ADD failed"
	else
		check "loop add: node at =path" wait_for 5 test -b "$R/disk/loop$LOOPN"
		expect_eq "loop add: mode and group" "$(stat -c '%a %g %t:%T' "$R/disk/loop$LOOPN")" "640 6 7:$(printf %x "$LOOPN")"
		expect_eq "loop add: > link" "$(readlink "$R/loop$LOOPN")" "disk/loop$LOOPN"
		check "loop add: command with MDEV, DEVNAME" wait_for 5 grep -qx "add disk/loop$LOOPN loop$LOOPN" "$LOG"
		truncate -s 1M "$TMPD/img"
		losetup "/dev/loop$LOOPN" "$TMPD/img"
		check "loop attach: change command ran" wait_for 5 grep -qx "change disk/loop$LOOPN loop$LOOPN" "$LOG"
		losetup -d "/dev/loop$LOOPN"
		# reload with a stricter mode, then a change event makes it so
		sed -i 's/0:6 0640 >disk/0:6 0600 >disk/' "$TMPD/uevd.conf"
		kill -HUP "$PID"
		check "SIGHUP reload logged" wait_for 5 grep -q "reloaded" "$TMPD/uevd.err"
		echo change > "/sys/block/loop$LOOPN/uevent"
		check "reloaded rule applies (mode fixed)" wait_for 5 sh -c "[ \"\$(stat -c %a '$R/disk/loop$LOOPN')\" = 600 ]"
		perl -e 'open(F,"+<","/dev/loop-control") or die; ioctl(F,0x4C81,$ARGV[0]+0) or die "$!"' "$LOOPN" && rm_ok=1
		check "loop remove: node gone" wait_for 5 test ! -e "$R/disk/loop$LOOPN"
		check "loop remove: link and empty dir gone" wait_for 5 test ! -L "$R/loop$LOOPN" -a ! -e "$R/disk"
		check "loop remove: command ran before" grep -qx "remove disk/loop$LOOPN loop$LOOPN" "$LOG"
		[ -n "$rm_ok" ] && LOOPN=
	fi
else
	skip "loop" "no /dev/loop-control, perl or losetup"
fi

# ---- zram: hot_add / hot_remove
if [ -w /sys/class/zram-control/hot_add ]; then
	ZN=$(cat /sys/class/zram-control/hot_add)
	check "zram add: node at =zr/N" wait_for 5 test -b "$R/zr/$ZN"
	check "zram add: @command" wait_for 5 grep -qx "zadd zr/$ZN" "$LOG"
	echo "$ZN" > /sys/class/zram-control/hot_remove && ZN_DONE=1
	check "zram remove: node and dir gone" wait_for 5 test ! -e "$R/zr"
	[ -n "$ZN_DONE" ] && ZN=
else
	skip "zram" "no /sys/class/zram-control"
fi

# ---- -n: dry run prints, changes nothing
mkdir -p "$TMPD/dry"
"$UEVBOX" uevd -n -r "$TMPD/dry" -D 3 3> "$TMPD/ready.n" > "$TMPD/dry.out" 2>/dev/null &
DPID=$!
wait_for 5 test -s "$TMPD/ready.n"
echo change > /sys/class/mem/null/uevent
wait_for 5 grep -q "node null c 1:3 0666" "$TMPD/dry.out"
kill "$DPID"; wait "$DPID" 2>/dev/null
check "-n prints the node it would make" grep -q "change /devices/virtual/mem/null: node null c 1:3 0666 0:0" "$TMPD/dry.out"
expect_eq "-n changes nothing" "$(ls -A "$TMPD/dry")" ""

# ---- -C: coldplug at start
mkdir -p "$TMPD/cold"
"$UEVBOX" uevd -C -r "$TMPD/cold" -D 3 3> "$TMPD/ready.c" 2>/dev/null &
CPID=$!
wait_for 5 test -s "$TMPD/ready.c"
expect_eq "-C: devices there before the daemon get nodes (built-in rules)" "$(stat -c '%t:%T %a' "$TMPD/cold/null" 2>/dev/null)" "1:3 666"
kill "$CPID"; wait "$CPID" 2>/dev/null

# ---- MODALIAS on module worker threads: -C over a fake sysfs whose device
# asks for a module of a depmod-made index.  The load itself fails here
# (no module support, or a fake module), but it must run on a worker, be
# reported for that device, and SIGTERM must still exit cleanly.
PATH=$PATH:/sbin:/usr/sbin
if command -v depmod >/dev/null && command -v gcc >/dev/null; then
	KD=$TMPD/wmods/lib/modules/9.9/kernel S=$TMPD/wsys
	mkdir -p "$KD" "$S/bus/platform" "$S/devices/platform/uvbmod" "$TMPD/wroot"
	fake_module "$KD" uvb_mod "license=GPL alias=platform:uvbmod*" "" "" &&
	depmod -b "$TMPD/wmods" 9.9 2>/dev/null
	printf 'MODALIAS=platform:uvbmod\n' > "$S/devices/platform/uvbmod/uevent"
	ln -s ../../../bus/platform "$S/devices/platform/uvbmod/subsystem"
	sysfs_index "$S"
	"$UEVBOX" uevd -v -C -s "$S" -d "$TMPD/wmods/lib/modules/9.9" -r "$TMPD/wroot" \
		-D 3 3> "$TMPD/ready.w" 2> "$TMPD/uevdw.err" &
	WPID=$!
	check "modules: daemon ready" wait_for 5 test -s "$TMPD/ready.w"
	check "modules: 4 worker threads started" grep -q "4 module worker(s)" "$TMPD/uevdw.err"
	check "modules: load for the device reported" wait_for 5 grep -q "add /devices/platform/uvbmod: mod" "$TMPD/uevdw.err"
	kill -TERM "$WPID"; wait "$WPID"; rc=$?
	expect_eq "modules: SIGTERM exits 0" "$rc" 0
	check "modules: the load ran on a worker" grep -q ", 1 module load(s) on workers" "$TMPD/uevdw.err"
else
	skip "uevd module workers" "depmod or gcc missing"
fi

# ---- slow module loads never stop the socket from being read.  Twelve
# fake devices ask for a module whose modprobe.d `install` command takes
# 2 s (modprobe.d is a tmpfs in a private mount namespace: the real one is
# never touched).  While the loads run, a real kernel event (change of
# mem/null) must be handled at once; the twelve loads must take three
# rounds of the 4 workers (~6 s), not twelve in a row (24 s).  SIGTERM
# right away: queued work goes on for 5 s, then the loads in flight (the
# third round) are waited for, none started after, exit 0.
if command -v unshare >/dev/null && [ -d /etc/modprobe.d ] &&
   unshare -m --propagation private true 2>/dev/null; then
	MD=$TMPD/smods S=$TMPD/ssys SL=$TMPD/slow.log
	mkdir -p "$MD/k" "$S/bus/platform" "$TMPD/sroot" "$TMPD/smp"
	: > "$MD/k/uvbslow.ko"
	printf 'k/uvbslow.ko:\n' > "$MD/modules.dep"
	printf 'alias platform:uvbslow* uvbslow\n' > "$MD/modules.alias"
	printf 'install uvbslow sleep 2; echo $MODPROBE_MODULE >> %s\n' "$SL" > "$TMPD/smp/slow.conf"
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		mkdir -p "$S/devices/platform/uvbslow$i"
		printf 'MODALIAS=platform:uvbslow%s\n' "$i" > "$S/devices/platform/uvbslow$i/uevent"
		ln -s ../../../bus/platform "$S/devices/platform/uvbslow$i/subsystem"
	done
	sysfs_index "$S"
	slowd() {	# slowd READYFILE ERRFILE: uevd with the slow modprobe.d
		exec unshare -m --propagation private sh -c 'mount -t tmpfs uvbt /etc/modprobe.d &&
			cp "$1"/slow.conf /etc/modprobe.d/ && shift && exec "$@"' sh "$TMPD/smp" \
			"$UEVBOX" uevd -C -s "$S" -d "$MD" -r "$TMPD/sroot" -D 3 3> "$1" 2> "$2"
	}
	slowd "$TMPD/ready.s" "$TMPD/uevds.err" &
	SPID=$!
	if wait_for 5 test -s "$TMPD/ready.s"; then
		t0=$(date +%s)
		echo change > /sys/class/mem/null/uevent
		check "slow loads: a kernel event is handled while they run" wait_for 1 test -c "$TMPD/sroot/null"
		expect_eq "slow loads: none finished by then" "$(cat "$SL" 2>/dev/null | wc -l)" 0
		wait_for 20 sh -c "[ \$(cat '$SL' 2>/dev/null | wc -l) -ge 12 ]"
		t1=$(date +%s)
		expect_eq "slow loads: all twelve ran" "$(wc -l < "$SL")" 12
		check "slow loads: 4 at a time (took $((t1 - t0)) s; in a row: 24 s)" [ $((t1 - t0)) -ge 5 -a $((t1 - t0)) -le 11 ]
		kill -TERM "$SPID"; wait "$SPID"; rc=$?
		expect_eq "slow loads: SIGTERM after them exits 0" "$rc" 0
	else
		fail "slow loads: daemon ready" "$(cat "$TMPD/uevds.err")"
		kill "$SPID" 2>/dev/null
	fi
	# SIGTERM at once: 5 s of queued work, then the loads in flight
	: > "$SL"
	slowd "$TMPD/ready.s2" "$TMPD/uevds2.err" &
	SPID=$!
	wait_for 5 test -s "$TMPD/ready.s2"
	kill -TERM "$SPID"; wait "$SPID"; rc=$?
	expect_eq "slow loads: SIGTERM during loads exits 0" "$rc" 0
	check "slow loads: SIGTERM waited for the loads in flight" grep -q "waiting for 4 module load(s) in flight" "$TMPD/uevds2.err"
	expect_eq "slow loads: those in flight finished, none started after" "$(wc -l < "$SL")" 12
	SPID=
else
	skip "uevd slow module loads" "no private mount namespace (unshare -m) or no /etc/modprobe.d"
fi

# ---- -N: config check
printf 'null 0:0 0666\nbad 0:0\n' > "$TMPD/bad.conf"
out=$("$UEVBOX" uevd -N -f "$TMPD/bad.conf" 2>&1); rc=$?
expect_eq "-N exit status on a bad config" "$rc" 1
check "-N names file:line" contains "$out" "$TMPD/bad.conf:2:"
check "-N passes the built-in config" sh -c "\"$UEVBOX\" uevd -N >/dev/null"

# ---- SIGTERM: clean exit
kill -TERM "$PID"; wait "$PID"; rc=$?
expect_eq "SIGTERM exits 0" "$rc" 0
PID=

# ---- veth and tap in a network namespace (their events stay in it)
if ! ip netns add "uevt$$" 2>/dev/null; then
	skip "net" "cannot create a network namespace"
	exit 0
fi
NS=uevt$$
R2=$TMPD/dev2 ST=$TMPD/state
mkdir -p "$R2" "$ST"
cat > "$TMPD/net.conf" <<CONF
SUBSYSTEM=net;(veth|tap)t[0-9]+	0:0 0600 *echo \$ACTION \$MDEV \$INTERFACE >> $TMPD/net.log; case \$ACTION in add) : > $ST/\$MDEV;; remove) rm -f $ST/\$MDEV;; esac
CONF
ip netns exec "$NS" "$UEVBOX" uevd -r "$R2" -f "$TMPD/net.conf" -D 3 3> "$TMPD/ready2" 2> "$TMPD/uevd2.err" &
NSPID=$!
wait_for 5 test -s "$TMPD/ready2"
ip -n "$NS" link add vetht0 type veth peer name vetht1
check "veth add: commands for both ends" wait_for 5 sh -c "grep -qx 'add vetht0 vetht0' '$TMPD/net.log' && grep -qx 'add vetht1 vetht1' '$TMPD/net.log'"
ip -n "$NS" tuntap add dev tapt0 mode tap
check "tap add: command" wait_for 5 grep -qx "add tapt0 tapt0" "$TMPD/net.log"
ip -n "$NS" link del vetht0
ip -n "$NS" tuntap del dev tapt0 mode tap
check "veth and tap remove: commands" wait_for 5 sh -c "grep -qx 'remove vetht1 vetht1' '$TMPD/net.log' && grep -qx 'remove tapt0 tapt0' '$TMPD/net.log'"
expect_eq "net: state follows the devices" "$(ls "$ST")" ""
kill "$NSPID"; wait "$NSPID" 2>/dev/null

# ---- -O: handled events republished in kernel format to group 4
if command -v python3 >/dev/null; then
	ip netns exec "$NS" python3 -c '
import socket, sys
s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 15)
s.bind((0, 1 << 3)); s.settimeout(5); open(sys.argv[1], "w").close()
while True:
    try: d, a = s.recvfrom(65536)
    except socket.timeout: break
    print(a[0] != 0, d.split(b"\0")[0].decode(), flush=True)' "$TMPD/o.ready" > "$TMPD/o.out" 2>&1 &
	LPID=$!
	wait_for 5 test -e "$TMPD/o.ready"
	ip netns exec "$NS" "$UEVBOX" uevd -O 4 -r "$R2" -f "$TMPD/net.conf" -D 3 3> "$TMPD/ready4" 2>/dev/null &
	NSPID=$!
	wait_for 5 test -s "$TMPD/ready4"
	ip -n "$NS" link add vetht8 type veth peer name vetht9
	check "-O: republished in kernel format, from uevd" wait_for 5 grep -qx "True add@/devices/virtual/net/vetht8" "$TMPD/o.out"
	ip -n "$NS" link del vetht8
	kill "$NSPID"; wait "$NSPID" 2>/dev/null; kill "$LPID" 2>/dev/null
else
	skip "-O republish" "no python3 to listen on a netlink group"
fi

# ---- overflow: a tiny buffer, a burst, then resync makes the state right
: > "$TMPD/net.log"
ip netns exec "$NS" "$UEVBOX" uevd -b 4096 -r "$R2" -f "$TMPD/net.conf" -D 3 3> "$TMPD/ready3" 2> "$TMPD/uevd3.err" &
NSPID=$!
wait_for 5 test -s "$TMPD/ready3"
i=0; : > "$TMPD/batch"
while [ $i -lt 150 ]; do echo "link add vetht$((i * 2)) type veth peer name vetht$((i * 2 + 1))" >> "$TMPD/batch"; i=$((i + 1)); done
i=0
while [ $i -lt 150 ]; do [ $((i % 3)) = 0 ] && echo "link del vetht$((i * 2))" >> "$TMPD/batch"; i=$((i + 1)); done
ip -n "$NS" -batch "$TMPD/batch"
want=$(ip -n "$NS" -o link show | sed -n 's/^[0-9]*: \(vetht[0-9]*\)@.*/\1/p' | sort | tr '\n' ' ')
if wait_for 10 grep -q "overflow" "$TMPD/uevd3.err"; then
	pass "overflow detected and logged"
	check "resync ran" wait_for 15 grep -q "resync" "$TMPD/uevd3.err"
	check "state right after resync" wait_for 20 sh -c "[ \"\$(ls '$ST' | sort | tr '\n' ' ')\" = '$want' ]"
else
	skip "overflow" "the burst did not overflow a 4 KiB buffer on this machine"
fi
kill "$NSPID"; wait "$NSPID" 2>/dev/null; NSPID=
