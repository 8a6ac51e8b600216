#!/bin/sh
# mdev.sh — busybox-compatible mdev: every mdev.conf rule form on a fake
# sysfs tree (mdev -s and hotplug mode), config errors, hostile names, and
# the same result as busybox mdev -s on this machine's /sys.
. ./lib.sh

R=$TMPD/root
S=$TMPD/sys
LOG=$TMPD/cmd.log
mkdir -p "$R/etc" "$R/dev" "$S/devices/virtual"
printf 'root:x:0:0::/root:/bin/sh\ndaemon:x:1:1::/:/bin/false\nalice:x:1001:1002::/:/bin/sh\n' > "$R/etc/passwd"
printf 'root:x:0:\ndisk:x:6:\nvideo:x:44:\nalices:x:1002:\n' > "$R/etc/group"

# fakedev SUBSYSTEM NAME MAJOR MINOR [KEY=VAL...]: a device directory with a
# uevent file and a subsystem link, as the kernel lays them out
fakedev() {
	sub=$1 name=$2 maj=$3 min=$4; shift 4
	d=$S/devices/virtual/$sub/$name
	mkdir -p "$d"
	ln -sfn "../../../../class/$sub" "$d/subsystem"
	{ [ "$maj" != - ] && printf 'MAJOR=%s\nMINOR=%s\n' "$maj" "$min"; for kv in "$@"; do echo "$kv"; done; } > "$d/uevent"
}

fakedev mem null 1 3 DEVNAME=null
fakedev mem zero 1 5 DEVNAME=zero
fakedev tty ttyX1 4 65 DEVNAME=ttyX1
fakedev block vdb 252 16 DEVNAME=vdb DEVTYPE=disk
fakedev block sdz 8 240 DEVNAME=sdz DEVTYPE=disk
fakedev misc majmin 250 2 DEVNAME=majmin
fakedev misc envdev 250 9 DEVNAME=envdev DEVTYPE=special
fakedev input event7 13 71 DEVNAME=input/event7
fakedev rtc rtc0 254 0 DEVNAME=rtc0
fakedev misc nonode 250 20 DEVNAME=nonode
fakedev misc owned 250 21 DEVNAME=owned
fakedev misc grp 250 22 DEVNAME=grp3x
fakedev misc hostile 250 30 DEVNAME=../../etc/x
fakedev misc abs 250 31 DEVNAME=/etc/y
fakedev misc nodev - - DEVNAME=nodev
fakedev net fake0 - - INTERFACE=fake0 IFINDEX=77

cat > "$R/etc/mdev.conf" <<CONF
# every rule form; commands append to $LOG
   # an indented comment, then a blank line

null		0:0 666
-tty.*		0:0 0600 @echo keep \$MDEV >> $LOG
ttyX1		root:video 0620
SUBSYSTEM=block;DEVTYPE=disk;vd([a-z]) 0:disk 0660 =disks/%1 @echo at \$MDEV %1 \$ACTION \$SUBSYSTEM >> $LOG
SUBSYSTEM=block;sd[a-z]+ 0:6 0640 \\
	*echo star \$ACTION \$MDEV >> $LOG
@250,0-3	0:0 0601
\$DEVTYPE=spec(.*)	0:0 0602 =by-type/%1-%0
input/.*	0:0 0640 =inp/
rtc0		0:0 0644 >rtc
nonode		0:0 0600 ! @echo nonode-cmd \$MDEV >> $LOG
owned		alice:disk 0604 \$echo dollar \$MDEV >> $LOG
grp([0-9])x	alice 0605 =g%1
SUBSYSTEM=net;.* 0:0 0600 @echo net \$MDEV \$INTERFACE >> $LOG
CONF

export MDEV_ROOT="$R" MDEV_SYSFS="$S"
"$UEVBOX" mdev -s 2> "$TMPD/err"; rc=$?
expect_eq "mdev -s exit" "$rc" 0

node() {	# node PATH -> "type maj:min mode uid:gid" (empty if absent)
	[ -e "$R/dev/$1" ] || [ -L "$R/dev/$1" ] || return 0
	stat -c '%F %t:%T %a %u:%g' "$R/dev/$1" | sed 's/character special file/c/; s/block special file/b/'
}
expect_eq "plain regex" "$(node null)" "c 1:3 666 0:0"
expect_eq "unmatched: 0:0 0660" "$(node zero)" "c 1:5 660 0:0"
expect_eq "keep matching then names" "$(node ttyX1)" "c 4:41 620 0:44"
check "keep-matching rule ran its command" grep -qx "keep ttyX1" "$LOG"
expect_eq "ENV; match =path %1" "$(node disks/b)" "b fc:10 660 0:6"
check "=path leaves no node at the name" test ! -e "$R/dev/vdb"
check "@command with %1 and env" grep -qx "at disks/b b add block" "$LOG"
expect_eq "line continuation, ENV prefix" "$(node sdz)" "b 8:f0 640 0:6"
check "*command on add" grep -qx "star add sdz" "$LOG"
expect_eq "@major,minor range" "$(node majmin)" "c fa:2 601 0:0"
expect_eq "\$VAR=regex with %0 %1" "$(node by-type/ial-special)" "c fa:9 602 0:0"
expect_eq "=dir/ keeps the name" "$(node inp/input/event7)" "c d:47 640 0:0"
expect_eq ">path moves the node" "$(node rtc)" "c fe:0 644 0:0"
expect_eq ">path links the name" "$(readlink "$R/dev/rtc0")" "rtc"
check "! makes no node" test ! -e "$R/dev/nonode"
check "! still runs the command" grep -qx "nonode-cmd nonode" "$LOG"
expect_eq "user:group names" "$(node owned)" "c fa:15 604 1001:6"
expect_eq "user alone: primary group" "$(node g3)" "c fa:16 605 1001:1002"
check "\$command not run on add" sh -c "! grep -q dollar '$LOG'"
check "mdev -s skips devices without a number" sh -c "! grep -q '^net' '$LOG'"
check "hostile DEVNAME ../../etc/x refused" test ! -e "$R/etc/x" -a ! -e "$TMPD/etc/x"
check "absolute DEVNAME refused" test ! -e "$R/dev/etc/y"
check "no node escaped the root" sh -c "[ -z \"\$(find '$TMPD' -path '$R/dev' -prune -o \( -type c -o -type b \) -print)\" ]"

# idempotent: a second scan changes nothing (same inodes, same listing)
before=$(ls -liR "$R/dev" | md5sum)
: > "$LOG"
"$UEVBOX" mdev -s 2>/dev/null
expect_eq "second mdev -s changes nothing" "$(ls -liR "$R/dev" | md5sum)" "$before"
# a wrong node is fixed
chmod 600 "$R/dev/null"; chown 5:5 "$R/dev/null"
"$UEVBOX" mdev -s 2>/dev/null
expect_eq "wrong mode/owner fixed" "$(node null)" "c 1:3 666 0:0"

# hotplug mode: one event from the environment
hp() { env -i PATH="$PATH" MDEV_ROOT="$R" MDEV_SYSFS="$S" "$@" "$UEVBOX" mdev; }
hp ACTION=add DEVPATH=/devices/virtual/net/fake0 SUBSYSTEM=net INTERFACE=fake0 SEQNUM=5
check "hotplug: command for a device without node" grep -qx "net fake0 fake0" "$LOG"
hp ACTION=remove DEVPATH=/devices/virtual/misc/owned SUBSYSTEM=misc MAJOR=250 MINOR=21 DEVNAME=owned
check "hotplug remove: \$command ran" grep -qx "dollar owned" "$LOG"
check "hotplug remove: node gone" test ! -e "$R/dev/owned"
hp ACTION=remove DEVPATH=/devices/virtual/rtc/rtc0 SUBSYSTEM=rtc MAJOR=254 MINOR=0 DEVNAME=rtc0
check "hotplug remove: > link and node gone" test ! -e "$R/dev/rtc" -a ! -L "$R/dev/rtc0"
hp ACTION=remove DEVPATH=/devices/virtual/block/vdb SUBSYSTEM=block MAJOR=252 MINOR=16 DEVNAME=vdb DEVTYPE=disk
check "hotplug remove: empty directory pruned" test ! -e "$R/dev/disks"
hp ACTION=remove DEVPATH=/devices/virtual/mem/null SUBSYSTEM=mem MAJOR=1 MINOR=99 DEVNAME=null
check "remove leaves another device's node alone" test -c "$R/dev/null"
hp ACTION=add DEVPATH=/devices/virtual/misc/h SUBSYSTEM=misc MAJOR=1 MINOR=3 'DEVNAME=../../etc/x' 2>/dev/null
check "hotplug: hostile DEVNAME contained" test ! -e "$R/etc/x" -a ! -e "$TMPD/etc/x"
hp ACTION=add DEVPATH=/devices/virtual/misc/h SUBSYSTEM=misc MAJOR=1 MINOR=3 "$(printf 'DEVNAME=a\tb')" 2>/dev/null
check "hotplug: control characters refused" sh -c "! ls '$R/dev' | grep -q '^a'"
hp ACTION=add DEVPATH=/devices/virtual/misc/h SUBSYSTEM=misc MAJOR=1 MINOR=3 'DEVNAME=a//b' 2>/dev/null
check "hotplug: a//b refused" test ! -e "$R/dev/a"
mkdir -p "$TMPD/outside"; ln -s "$TMPD/outside" "$R/dev/snd"
hp ACTION=add DEVPATH=/devices/virtual/sound/x SUBSYSTEM=sound MAJOR=116 MINOR=1 DEVNAME=snd/x 2>/dev/null
check "a symlink in the tree is not followed" test ! -e "$TMPD/outside/x"

# firmware fallback: the file goes to the loader's data, "-1" when missing
mkdir -p "$R/lib/firmware/vendor" "$S/devices/fw/a" "$S/devices/fw/b"
printf 'FIRMWARE-BYTES' > "$R/lib/firmware/vendor/fw.bin"
: > "$S/devices/fw/a/loading"; : > "$S/devices/fw/a/data"; : > "$S/devices/fw/b/loading"; : > "$S/devices/fw/b/data"
hp ACTION=add DEVPATH=/devices/fw/a SUBSYSTEM=firmware FIRMWARE=vendor/fw.bin 2>/dev/null
expect_eq "firmware: data written" "$(cat "$S/devices/fw/a/data")" "FIRMWARE-BYTES"
expect_eq "firmware: loading 1 then 0" "$(cat "$S/devices/fw/a/loading")" "10"
hp ACTION=add DEVPATH=/devices/fw/b SUBSYSTEM=firmware FIRMWARE=vendor/missing.bin 2>/dev/null
expect_eq "firmware missing: loading -1" "$(cat "$S/devices/fw/b/loading")" "-1"
: > "$S/devices/fw/b/loading"
hp ACTION=add DEVPATH=/devices/fw/b SUBSYSTEM=firmware FIRMWARE=../../../etc/passwd 2>/dev/null
expect_eq "firmware name escaping FWDIR: -1" "$(cat "$S/devices/fw/b/loading")" "-1"

# a config error names file:line and the good rules still apply
printf 'null 0:0 0666\nbroken 0:0\n(x 0:0 0600\n' > "$R/etc/mdev.conf"
"$UEVBOX" mdev -s 2> "$TMPD/err"
check "config error names file:line" grep -q "$R/etc/mdev.conf:2:" "$TMPD/err"
check "bad regex names its line" grep -q "$R/etc/mdev.conf:3: bad regex" "$TMPD/err"

# mdev -d: coldplug of the (fake) sysfs, then kernel events
if is_root; then
	R3=$TMPD/root3
	mkdir -p "$R3/etc" "$R3/dev"
	printf 'null 0:0 0666\nmajmin 0:0 0604\n' > "$R3/etc/mdev.conf"
	MDEV_ROOT=$R3 "$UEVBOX" mdev -d -f 2> "$TMPD/d.err" &
	DPID=$!
	n=0; while [ ! -c "$R3/dev/majmin" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
	expect_eq "mdev -d: coldplug at start" "$(stat -c %a "$R3/dev/majmin" 2>/dev/null)" 604
	rm -f "$R3/dev/null"
	echo change > /sys/class/mem/null/uevent
	n=0; while [ ! -c "$R3/dev/null" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
	expect_eq "mdev -d: handles kernel events" "$(stat -c '%t:%T %a' "$R3/dev/null" 2>/dev/null)" "1:3 666"
	kill "$DPID"; wait "$DPID"
	expect_eq "mdev -d: SIGTERM exit 0" "$?" 0
else
	skip "mdev -d" "needs root"
fi

# drop-in: the same nodes, owners, modes and links as busybox mdev -s on /sys
if ! is_root || ! command -v busybox >/dev/null || ! busybox mdev --help >/dev/null 2>&1; then
	skip "same as busybox mdev -s" "needs root and busybox with mdev"
else
	B=$TMPD/bb; U=$TMPD/ub
	mkdir -p "$B/dev" "$B/etc" "$U/dev" "$U/etc"
	cat > "$B/etc/mdev.conf" <<'CONF'
null 0:0 0666
tty[0-9]+ 0:5 0620
-loop.* 0:6 0640
mem 0:15 0640 =memdir/
urandom 0:0 0644 >rnd
kmsg 0:0 0600 !
vcsa([0-9]+) 0:5 0600 =vc/a%1
CONF
	cp "$B/etc/mdev.conf" "$U/etc/mdev.conf"
	cp /etc/passwd /etc/group "$B/etc/"
	cp /etc/passwd /etc/group "$U/etc/"
	# busybox knows only /dev and /etc: give it scratch ones in a private
	# mount namespace, so the real ones are never touched
	unshare -m sh -c "mount --make-rprivate / && mount --bind '$B/dev' /dev && mount --bind '$B/etc' /etc && busybox mdev -s" 2>/dev/null
	MDEV_ROOT=$U MDEV_SYSFS=/sys "$UEVBOX" mdev -s 2>/dev/null
	list() { (cd "$1" && find . ! -name .uevd.seq -printf '%p %y %m %U:%G %l\n' | sort; \
		find . \( -type c -o -type b \) -exec stat -c '%n %t:%T' {} + | sort); }
	list "$B/dev" > "$TMPD/bb.list"; list "$U/dev" > "$TMPD/ub.list"
	if [ "$(wc -l < "$TMPD/bb.list")" -gt 20 ] && cmp -s "$TMPD/bb.list" "$TMPD/ub.list"; then
		pass "same as busybox mdev -s ($(wc -l < "$TMPD/bb.list") entries)"
	else
		fail "same as busybox mdev -s" "$(diff "$TMPD/bb.list" "$TMPD/ub.list" | head -5 | tr '\n' ' ')"
	fi
fi
