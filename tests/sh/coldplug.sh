#!/bin/sh
# coldplug.sh — replay (-R) over this machine's /sys into a scratch root,
# trigger ordering on a fake tree, and trigger + settle (-w) with uevd on
# the real mem devices only (a private mount namespace shows coldplug just
# /sys/devices/virtual/mem, so no other device gets an event).
. ./lib.sh

if ! is_root; then skip all "needs root (mknod, uevent writes, mount namespace)"; exit 0; fi
wait_for() { t=$(($1 * 20)); shift; while [ $t -gt 0 ]; do "$@" && return 0; sleep 0.05; t=$((t - 1)); done; return 1; }

# ---- replay with the built-in rules
R=$TMPD/dev
mkdir -p "$R"
"$UEVBOX" coldplug -R -r "$R" 2> "$TMPD/err"; rc=$?
expect_eq "-R exit" "$rc" 0
expect_eq "-R: null from the built-in rules" "$(stat -c '%F %t:%T %a %u:%g' "$R/null")" "character special file 1:3 666 0:0"
check "-R: summary line" grep -q "event(s) handled, .* module load(s), 0 step(s) failed" "$TMPD/err"
check "-R: no settle file (nobody waits on a replay)" test ! -e "$R/.uevd.seq"
if [ -d "/lib/modules/$(uname -r)" ]; then
	check "-R: MODALIAS without a stated no-op" sh -c "! grep -q 'module loading unavailable' '$TMPD/err'"
else
	check "-R: no module tree is stated" grep -q "module loading unavailable (/lib/modules/$(uname -r)/modules.dep" "$TMPD/err"
fi
before=$(ls -liR "$R" | md5sum)
"$UEVBOX" coldplug -R -r "$R" 2>/dev/null
expect_eq "-R twice changes nothing" "$(ls -liR "$R" | md5sum)" "$before"

# ---- dry run
mkdir -p "$TMPD/dry"
"$UEVBOX" coldplug -R -n -r "$TMPD/dry" > "$TMPD/dry.out" 2>/dev/null
check "-R -n prints nodes" grep -q "add /devices/virtual/mem/null: node null c 1:3 0666 0:0" "$TMPD/dry.out"
check "-R -n prints modules" grep -q ": modules " "$TMPD/dry.out"
expect_eq "-R -n changes nothing" "$(ls -A "$TMPD/dry")" ""

# ---- MODALIAS resolved through a module tree made by the real depmod, on a
# fake sysfs: the dry run names the modules, dependencies first
PATH=$PATH:/sbin:/usr/sbin
if command -v depmod >/dev/null && command -v gcc >/dev/null; then
	KD=$TMPD/mods/lib/modules/9.9/kernel
	S=$TMPD/fsys
	mkdir -p "$KD" "$S/bus/platform" "$S/devices/platform/uvbfix"
	fake_module "$KD" uvb_fix_dep "license=GPL" "uvb_dep_fn" "" &&
	fake_module "$KD" uvb_fix "license=GPL alias=platform:uvbfix*" "" "uvb_dep_fn" &&
	depmod -b "$TMPD/mods" 9.9 2>/dev/null
	printf 'MODALIAS=platform:uvbfix\n' > "$S/devices/platform/uvbfix/uevent"
	ln -s ../../../bus/platform "$S/devices/platform/uvbfix/subsystem"
	sysfs_index "$S"
	"$UEVBOX" coldplug -R -n -s "$S" -d "$TMPD/mods/lib/modules/9.9" > "$TMPD/mod.out" 2> "$TMPD/mod.err"
	check "-R -n -d: modules named, dependencies first" \
		grep -q "add /devices/platform/uvbfix: modules platform:uvbfix (line [0-9]*): uvb_fix_dep uvb_fix" "$TMPD/mod.out"
	check "-R -n -d: index found" sh -c "! grep -q 'module loading unavailable' '$TMPD/mod.err'"
	printf 'MODALIAS=platform:nomatch\n' > "$S/devices/platform/uvbfix/uevent"
	"$UEVBOX" coldplug -R -n -s "$S" -d "$TMPD/mods/lib/modules/9.9" > "$TMPD/mod.out" 2>&1
	check "-R -n -d: no module for an alias" grep -q "platform:nomatch (line [0-9]*): no module" "$TMPD/mod.out"
else
	skip "-R -n -d" "depmod or gcc missing"
fi

# ---- -f CONF with a command
printf 'null 0:0 0640 @echo cmd $MDEV $ACTION $SUBSYSTEM >> %s\n' "$TMPD/cmd.log" > "$TMPD/c.conf"
mkdir -p "$TMPD/dev3"
"$UEVBOX" coldplug -R -r "$TMPD/dev3" -f "$TMPD/c.conf" 2>/dev/null
expect_eq "-R -f: rule mode" "$(stat -c %a "$TMPD/dev3/null")" 640
check "-R -f: command ran" grep -qx "cmd null add mem" "$TMPD/cmd.log"

# ---- -R -t: a bound on the whole replay, saying what is still pending
printf 'null 0:0 0640 @sleep 5\n' > "$TMPD/s.conf"
mkdir -p "$TMPD/dev4"
t0=$(date +%s)
"$UEVBOX" coldplug -R -t 1 -r "$TMPD/dev4" -f "$TMPD/s.conf" 2> "$TMPD/t.err"; rc=$?
t1=$(date +%s)
expect_eq "-R -t: exit 1 on giving up" "$rc" 1
check "-R -t: gave up in time (took $((t1 - t0)) s)" [ $((t1 - t0)) -le 3 ]
check "-R -t: says what is pending" grep -q "giving up after 1000 ms: .* 1 command(s) .*oldest: add /devices/virtual/mem/null.*command running" "$TMPD/t.err"

# ---- trigger order on a fake tree: bus devices first, parents first
F=$TMPD/fake
mk() { mkdir -p "$F$1"; ln -s "$2" "$F$1/subsystem"; : > "$F$1/uevent"; }
mk /devices/aclass ../../class/foo
mk /devices/platform/pdev ../../../bus/platform
mk /devices/platform/pdev/child ../../../../bus/platform
mk /devices/platform/pdev/cls ../../../../class/bar
mkdir -p "$F/devices/nosub"; : > "$F/devices/nosub/uevent"
sysfs_index "$F"
"$UEVBOX" coldplug -s "$F"; rc=$?
expect_eq "trigger exit" "$rc" 0
check "trigger writes add UUID" grep -Eqx 'add [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}' "$F/devices/aclass/uevent"
t() { stat -c %.9Y "$F$1/uevent"; }
older() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -n | head -1)" = "$1" ]; }
check "bus device before class device" older "$(t /devices/platform/pdev/child)" "$(t /devices/aclass)"
check "parent before child" older "$(t /devices/platform/pdev)" "$(t /devices/platform/pdev/child)"
expect_eq "no subsystem, no event" "$(cat "$F/devices/nosub/uevent")" ""

# ---- -w without a daemon times out with an error
out=$("$UEVBOX" coldplug -s "$F" -w -t 1 -r "$TMPD/nodaemon" 2>&1); rc=$?
expect_eq "-w with nothing to wait for: exit 1" "$rc" 1

# ---- trigger + settle with uevd, on the mem devices only
R2=$TMPD/dev2
mkdir -p "$R2" "$TMPD/sys/devices/virtual/mem"
printf 'null 0:0 0666 @sleep 1; echo settled $MDEV >> %s\n' "$TMPD/settle.log" > "$TMPD/s.conf"
"$UEVBOX" uevd -r "$R2" -f "$TMPD/s.conf" -D 3 3> "$TMPD/ready" 2> "$TMPD/uevd.err" &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$TMPD"' EXIT
wait_for 5 test -s "$TMPD/ready"
unshare -m sh -c "mount --make-rprivate / && mount --bind /sys/devices/virtual/mem '$TMPD/sys/devices/virtual/mem' && '$UEVBOX' coldplug -s '$TMPD/sys' -w -t 20 -r '$R2'"; rc=$?
expect_eq "-w exit after settle" "$rc" 0
check "-w waited for the command (1 s sleep) to finish" grep -qx "settled null" "$TMPD/settle.log"
expect_eq "settled: node made" "$(stat -c '%t:%T %a' "$R2/null")" "1:3 666"
kill "$PID"; wait "$PID" 2>/dev/null
