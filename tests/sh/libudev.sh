#!/bin/sh
# libudev.sh — real libudev clients (Debian's libudev, udevadm as a client
# only; systemd-udevd is never started) read what uevbox's core publishes:
# the libudev wire format on netlink group 2 and the /run/udev database.
# Runs in a private mount + network namespace (unshare -m -n) with a tmpfs
# on /run, so neither this machine's /run nor other tests' listeners see
# anything.  Stages 1-3 publish with the test sender tests/libudev/send.c
# (built from core/udev_*.c: hand-made messages, corrupted ones as the
# negative controls, database entries); stage 4 runs `uevd -U -O 4` on real
# loop device events.  The client is tests/libudev/client.c.
. ./lib.sh

if [ "${LIBUDEV_INNER:-}" != 1 ]; then
	is_root || { skip all "needs root (netlink group send, unshare, mounts)"; exit 0; }
	CC=${HOSTCC:-cc}
	command -v "$CC" >/dev/null || { skip all "no host C compiler ($CC)"; exit 0; }
	command -v unshare >/dev/null || { skip all "no unshare(1)"; exit 0; }
	printf '#include <libudev.h>\nint main(void){return !udev_new();}\n' > "$TMPD/t.c"
	"$CC" -o "$TMPD/t" "$TMPD/t.c" -ludev 2>/dev/null ||
		{ skip all "libudev-dev not installed (apt-get install libudev-dev)"; exit 0; }
	if ! "$CC" -O1 -Wall -o "$TMPD/client" ../libudev/client.c -ludev ||
	   ! "$CC" -O1 -Wall -D_GNU_SOURCE -I../../core -o "$TMPD/send" ../libudev/send.c \
		../../core/udev_msg.c ../../core/udev_props.c ../../core/udev_db.c ../../core/nl_sock.c; then
		fail build "compiling tests/libudev/*.c"; exit 0
	fi
	B=${BUILD:-$(dirname "$UEVBOX")}
	unshare -m -n true 2>/dev/null || { skip all "unshare -m -n not permitted"; exit 0; }
	HAVE_LINKS=; grep -q 'GATHER_HAVE_disk_links' "$B/gather.gen.h" 2>/dev/null && HAVE_LINKS=1
	HAVE_EXT=; grep -q 'GATHER_PROBE(ext)' "$B/gather.gen.h" 2>/dev/null && HAVE_EXT=1
	LIBUDEV_INNER=1 BIND="$TMPD" HAVE_LINKS=$HAVE_LINKS HAVE_EXT=$HAVE_EXT unshare -m -n sh "$0"
	rc=$?
	[ $rc = 0 ] || fail namespace "inner script exited $rc"
	exit 0
fi

# ---- inside the namespaces ----
mount --make-rprivate / && mount -t tmpfs -o mode=0755 uevbox-run /run && mkdir /run/udev ||
	{ fail setup "tmpfs on /run"; exit 0; }
S=$BIND/send C=$BIND/client
OUT=$TMPD

# Without /run/udev/control a libudev monitor on "udev" stays deaf
# (unless /dev is a devtmpfs): then nothing may arrive.
if ! grep -q ' /dev devtmpfs ' /proc/mounts; then
	$C monitor 1 > "$OUT/deaf" & p=$!
	sleep 0.3
	$S msg ACTION=add DEVPATH=/devices/virtual/uevboxtest/d0 SUBSYSTEM=uevboxtest SEQNUM=9
	wait $p
	check no_control_no_events [ "$(grep -c '^add ' "$OUT/deaf")" = 0 ]
fi

check control_created $S control /run/udev on

# 1. monitor with a subsystem filter: the BPF reads our subsystem hash at
#    offset 24; a matching message must pass it, others must not arrive.
$C monitor 1 -s uevboxtest > "$OUT/mon1" & p1=$!
$C monitor 1 -s uevboxtest/blob > "$OUT/mon2" & p2=$!
$C monitor 1 -t seat > "$OUT/mon3" & p3=$!
udevadm monitor --udev --property > "$OUT/adm" 2>&1 & pa=$!
udevadm monitor --udev --subsystem-match=uevboxtest > "$OUT/adm2" 2>&1 & pa2=$!
sleep 0.5
$S msg ACTION=add DEVPATH=/devices/virtual/uevboxtest/t1 SUBSYSTEM=uevboxtest SEQNUM=11 \
	DEVTYPE=blob ID_UEVBOX=one TAGS=:seat:uaccess: CURRENT_TAGS=:seat:uaccess: \
	DEVLINKS="/dev/uevbox/a /dev/uevbox/b" USEC_INITIALIZED=1234
$S msg ACTION=add DEVPATH=/devices/virtual/other/t2 SUBSYSTEM=uevboxother SEQNUM=12 TAGS=:other:
$S msg ACTION=change DEVPATH=/devices/virtual/uevboxtest/t3 SUBSYSTEM=uevboxtest SEQNUM=13 DEVTYPE=lump
$S msg -x hash ACTION=add DEVPATH=/devices/virtual/uevboxtest/bad SUBSYSTEM=uevboxtest SEQNUM=14
$S msg -x bloom ACTION=add DEVPATH=/devices/virtual/uevboxtest/badtag SUBSYSTEM=uevboxother SEQNUM=15 TAGS=:seat:
wait $p1 $p2 $p3
sleep 0.2
kill $pa $pa2 2>/dev/null; wait $pa $pa2 2>/dev/null

got1=$(grep -v '^ ' "$OUT/mon1" | grep -v '^ready' | cut -d' ' -f1-3 | tr '\n' ';')
expect_eq monitor_subsystem_filter "$got1" \
	"add /devices/virtual/uevboxtest/t1 uevboxtest;change /devices/virtual/uevboxtest/t3 uevboxtest;"
got2=$(grep -v '^ ' "$OUT/mon2" | grep -v '^ready' | cut -d' ' -f1-4 | tr '\n' ';')
expect_eq monitor_devtype_filter "$got2" "add /devices/virtual/uevboxtest/t1 uevboxtest blob;"
got3=$(grep -v '^ ' "$OUT/mon3" | grep -v '^ready' | cut -d' ' -f2 | tr '\n' ';')
expect_eq monitor_tag_filter "$got3" "/devices/virtual/uevboxtest/t1;"
l1=$(grep '^add /devices/virtual/uevboxtest/t1 ' "$OUT/mon1")
check monitor_initialized contains "$l1" "init=1"
check monitor_tags contains "$l1" "seat,"
check monitor_devlinks contains "$l1" "links=/dev/uevbox/a,/dev/uevbox/b,"
check monitor_property grep -qx '  ID_UEVBOX=one' "$OUT/mon1"
check monitor_seqnum grep -qx '  SEQNUM=11' "$OUT/mon1"

# 2. udevadm monitor --udev --property prints them with their properties
check udevadm_header grep -q '^UDEV  \[.*\] add  *\/devices\/virtual\/uevboxtest\/t1 (uevboxtest)$' "$OUT/adm"
for kv in ACTION=add DEVPATH=/devices/virtual/uevboxtest/t1 SUBSYSTEM=uevboxtest SEQNUM=11 \
	DEVTYPE=blob ID_UEVBOX=one USEC_INITIALIZED=1234; do
	check "udevadm_prop_${kv%%=*}" grep -qx "$kv" "$OUT/adm"
done
check udevadm_other_subsystem grep -q 'uevboxother' "$OUT/adm"
check udevadm_subsystem_match_pass grep -q 'uevboxtest/t3' "$OUT/adm2"
check udevadm_subsystem_match_drop sh -c "! grep -q 'uevboxother' '$OUT/adm2'"
check udevadm_bad_hash_dropped sh -c "! grep -q 'uevboxtest/bad ' '$OUT/adm2'"

# 3. the database: enumerate /sys/class/mem, the device with a data file
#    is initialized with our properties, links and tags; the others not.
$S db /run/udev c1:3 ID_UEVBOX_TEST=yes ID_UEVBOX_SPACE="a b" +uevbox/nulllink @uevboxtag ^4242 ||
	fail db_write "send db"
$C enum mem > "$OUT/enum"
check enum_initialized grep -q '^null init=1 usec=1 links=/dev/uevbox/nulllink, tags=uevboxtag,$' "$OUT/enum"
check enum_props grep -qx '  ID_UEVBOX_TEST=yes' "$OUT/enum"
check enum_prop_space grep -qx '  ID_UEVBOX_SPACE=a b' "$OUT/enum"
check enum_not_initialized grep -q '^zero init=0 ' "$OUT/enum"
$C enum mem uevboxtag > "$OUT/enumtag"
expect_eq enum_by_tag "$(cut -d' ' -f1 "$OUT/enumtag" | grep -v '^$' | tr '\n' ' ')" "null "
check udevadm_info_db sh -c "udevadm info /dev/null 2>/dev/null | grep -qx 'E: ID_UEVBOX_TEST=yes'"
$S rm /run/udev c1:3
$C enum mem > "$OUT/enum2"
check enum_removed grep -q '^null init=0 ' "$OUT/enum2"
check tag_removed [ ! -e /run/udev/tags/uevboxtag/c1:3 ]

$S control /run/udev off
check control_removed [ ! -e /run/udev/control ]

# 4. uevd -U on real events: a loop device made through loop-control (add),
#    an ext4 image attached (change: ID_FS_*, by-uuid/by-label links below
#    uevd's ROOT), detached (change: links go), removed (remove: entry goes).
#    Other tests' devices come and go meanwhile: only ours is looked at.
wait_for() { t=$(($1 * 20)); shift; while [ $t -gt 0 ]; do "$@" && return 0; sleep 0.05; t=$((t - 1)); done; return 1; }
if ! "$UEVBOX" --list 2>/dev/null | grep -qx uevd; then
	skip uevd "uevd not built in"; exit 0
elif [ -z "$HAVE_LINKS" ] || [ -z "$HAVE_EXT" ]; then
	skip uevd "probe_ext or disk_links not built in"; exit 0
elif [ ! -e /dev/loop-control ] || ! command -v perl >/dev/null || ! command -v losetup >/dev/null ||
     ! command -v mkfs.ext4 >/dev/null || ! command -v blkid >/dev/null; then
	skip uevd "needs /dev/loop-control, perl, losetup, mkfs.ext4, blkid"; exit 0
fi
R=$OUT/dev N= UP=
mkdir -p "$R"
cleanup() {
	[ -n "$UP" ] && kill "$UP" 2>/dev/null
	if [ -n "$N" ]; then
		losetup -d "/dev/loop$N" 2>/dev/null
		perl -e 'open(F,"+<","/dev/loop-control") or exit 1; ioctl(F,0x4C81,$ARGV[0]+0)' "$N" 2>/dev/null
	fi
	rm -rf "$TMPD"
}
trap cleanup EXIT
truncate -s 32M "$OUT/e.img" && mkfs.ext4 -q -F -L "pub label" "$OUT/e.img" ||
	{ fail uevd_setup "mkfs.ext4"; exit 0; }
UUID=$(blkid -p -s UUID -o value "$OUT/e.img")
# a rule adds a property to what the gatherer found (uevbox's +KEY=VALUE)
printf -- '-loop([0-9]+) 0:0 0660 +ID_UEVBOX_ROLE=scratch%%1\n.* 0:0 0660\n' > "$OUT/uevd.conf"
"$UEVBOX" uevd -U -O 4 -r "$R" -f "$OUT/uevd.conf" -D 3 3> "$OUT/ready" 2> "$OUT/uevd.err" &
UP=$!
check uevd_ready wait_for 10 test -s "$OUT/ready"
check uevd_control_created test -e /run/udev/control

UEVBOX_LINKROOT=$R $C monitor 5 -s block > "$OUT/u_blk" & m1=$!
$C monitor 5 -s bdi > "$OUT/u_bdi" & m2=$!
$C kernel 4 5 > "$OUT/u_k4" & m3=$!
udevadm monitor --udev --property > "$OUT/u_adm" 2>&1 & m4=$!
sleep 0.5
N=$(perl -e 'open(F,"+<","/dev/loop-control") or die; for $i (600..699) { $r = ioctl(F,0x4C80,$i); if (defined $r) { print $i; exit 0 } } exit 1') ||
	{ N=; fail uevd_loop_add "LOOP_CTL_ADD"; exit 0; }
M=$N DP=/devices/virtual/block/loop$N ID=b7:$N
check uevd_node wait_for 5 test -b "$R/loop$N"
check uevd_db_add wait_for 5 test -e "/run/udev/data/$ID"
losetup -r "/dev/loop$N" "$OUT/e.img" || fail uevd_attach "losetup"
check uevd_link_uuid wait_for 5 test -L "$R/disk/by-uuid/$UUID"
expect_eq uevd_link_target "$(readlink "$R/disk/by-uuid/$UUID")" "../../loop$N"
check uevd_link_label test -L "$R/disk/by-label/pub\\x20label"
check uevd_db_links grep -qx "S:disk/by-uuid/$UUID" "/run/udev/data/$ID"
check uevd_db_props grep -qx "E:ID_FS_TYPE=ext4" "/run/udev/data/$ID"
check uevd_db_rule_prop grep -qx "E:ID_UEVBOX_ROLE=scratch$M" "/run/udev/data/$ID"

$C enum block > "$OUT/u_enum"
check uevd_enum_initialized grep -q "^loop$N init=1 usec=1 links=.*/dev/disk/by-uuid/$UUID," "$OUT/u_enum"
check uevd_enum_uuid sh -c "sed -n '/^loop$N /,/^[^ ]/p' '$OUT/u_enum' | grep -qx '  ID_FS_UUID=$UUID'"
check uevd_enum_label sh -c "sed -n '/^loop$N /,/^[^ ]/p' '$OUT/u_enum' | grep -qxF '  ID_FS_LABEL_ENC=pub\\x20label'"
check uevd_enum_rule_prop sh -c "sed -n '/^loop$M /,/^[^ ]/p' '$OUT/u_enum' | grep -qx '  ID_UEVBOX_ROLE=scratch$M'"
check uevd_udevadm_info sh -c "udevadm info '/dev/loop$N' | grep -qx 'S: disk/by-uuid/$UUID'"

losetup -d "/dev/loop$N" || fail uevd_detach "losetup -d"
check uevd_links_gone_on_detach wait_for 5 sh -c "[ ! -e '$R/disk/by-uuid/$UUID' ] && [ ! -L '$R/disk/by-label/pub\\x20label' ]"
check uevd_db_no_links wait_for 5 sh -c "! grep -q '^S:' '/run/udev/data/$ID'"
perl -e 'open(F,"+<","/dev/loop-control") or die; ioctl(F,0x4C81,$ARGV[0]+0) or die "$!"' "$N" && N=
check uevd_db_removed wait_for 5 test ! -e "/run/udev/data/$ID"
check uevd_node_removed wait_for 5 test ! -e "$R/loop$M"
sleep 0.5
kill $m1 $m2 $m3 $m4 2>/dev/null; wait $m1 $m2 $m3 $m4 2>/dev/null

# the C client (libudev monitor, subsystem filter "block"); another test
# may make a loop device of the same number right after ours: up to the
# first remove
ours=$(grep "^[a-z]* $DP " "$OUT/u_blk" | cut -d' ' -f1 | awk '{ print } /^remove$/ { exit }' | tr '\n' ' ')
check uevd_monitor_actions sh -c "echo '$ours' | grep -qx 'add \(change \)\{1,\}remove '"
check uevd_monitor_filter sh -c "! grep -v '^  ' '$OUT/u_blk' | grep -v '^ready' | grep -qv '^[a-z]* [^ ]* block '"
check uevd_monitor_no_bdi sh -c "! grep -q '/bdi/' '$OUT/u_blk'"
check uevd_monitor_bdi_filter grep -q "^add /devices/virtual/bdi/7:$M bdi " "$OUT/u_bdi"
check uevd_monitor_bdi_only sh -c "! grep -v '^  ' '$OUT/u_bdi' | grep -v '^ready' | grep -qv '^[a-z]* [^ ]* bdi '"
# the change that saw the filesystem: initialized, links, and both the
# links and the database entry were there when the message arrived
l=$(grep "^change $DP .*by-uuid" "$OUT/u_blk" | head -n 1)
check uevd_monitor_links contains "$l" "/dev/disk/by-uuid/$UUID,"
check uevd_monitor_initialized contains "$l" "init=1"
check uevd_monitor_links_before_message contains "$l" "seen=2/2 db=1"
check uevd_monitor_uuid_prop grep -qx "  ID_FS_UUID=$UUID" "$OUT/u_blk"
check uevd_monitor_devname grep -qx "  DEVNAME=/dev/loop$M" "$OUT/u_blk"
check uevd_monitor_remove_no_db sh -c "grep '^remove $DP ' '$OUT/u_blk' | grep -q 'db=0'"

# udevadm monitor --udev --property
check uevd_udevadm_header grep -q "^UDEV  \[.*\] change *$DP (block)\$" "$OUT/u_adm"
awk -v dp="$DP" '/^UDEV /{on = ($4 == dp)} on' "$OUT/u_adm" > "$OUT/u_adm_ours"
for kv in "DEVPATH=$DP" SUBSYSTEM=block DEVNAME=/dev/loop$M DEVTYPE=disk \
	ID_FS_TYPE=ext4 "ID_FS_UUID=$UUID" ID_FS_USAGE=filesystem "ID_UEVBOX_ROLE=scratch$M"; do
	check "uevd_udevadm_${kv%%=*}" grep -qxF "$kv" "$OUT/u_adm_ours"
done
check uevd_udevadm_devlinks sh -c "grep '^DEVLINKS=' '$OUT/u_adm_ours' | grep -qF '/dev/disk/by-uuid/$UUID'"
check uevd_udevadm_usec grep -q '^USEC_INITIALIZED=[1-9]' "$OUT/u_adm_ours"
check uevd_udevadm_remove grep -q "^UDEV  \[.*\] remove *$DP (block)\$" "$OUT/u_adm"

# -O 4: kernel format for libudev-zero, every event with the four keys
awk -v dp="$DP" '
	/^[a-z]+@/ { if (h) out(); h = $0; split("", k); next }
	/^  / { sub(/^  /, ""); n = index($0, "="); k[substr($0, 1, n - 1)] = substr($0, n + 1) }
	function out() {
		split(h, a, "@")
		if (a[2] != dp) return
		ok = k["ACTION"] == a[1] && k["DEVPATH"] == dp && k["SUBSYSTEM"] == "block" && k["SEQNUM"] ~ /^[0-9]+$/
		print a[1], (ok ? "ok" : "bad")
	}
	END { if (h) out() }' "$OUT/u_k4" | awk '{ print } $1 == "remove" { exit }' > "$OUT/u_k4_ours"
expect_eq uevd_group4_kernel_format "$(tr '\n' ' ' < "$OUT/u_k4_ours")" \
	"$(for a in $ours; do printf '%s ok ' "$a"; done)"

# clean exit removes control
kill -TERM "$UP"; wait "$UP"; rc=$?; UP=
expect_eq uevd_exit_status "$rc" 0
check uevd_control_removed test ! -e /run/udev/control
check uevd_no_publish_errors sh -c "! grep -E 'loop$M.*: (read database|gather|links|remove links|database|message|send):' '$OUT/uevd.err'"
exit 0
