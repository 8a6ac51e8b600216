# uevdump.sh — uevdump against the real kernel: kernel events, filters,
# formats, spoofed senders in a private network namespace, overflow.
. ./lib.sh
U=$UEVBOX
NLSEND=${TOOLS:-}/nlsend

out=$($U uevdump --help); rc=$?
check help_exit0 [ "$rc" = 0 ]
check help_usage contains "$out" "usage: uevdump"
check list_has_uevdump contains "$($U --list)" uevdump
ln -s "$U" "$TMPD/uevdump"
check symlink_dispatch contains "$("$TMPD/uevdump" --help)" "usage: uevdump"
err=$($U uevdump -Z 2>&1); rc=$?
check bad_option_exit2 [ "$rc" = 2 ]
check bad_option_named contains "$err" "-Z: unknown option"
err=$($U uevdump -f xml 2>&1)
check bad_format_named contains "$err" "-f xml"

if ! is_root; then
	skip kernel_events "needs root to trigger uevents and make namespaces"
	exit 0
fi

# poke FILE...: write "change" to uevent files until the background uevdump
# ($pid) exits or 5 s pass — the socket may not be bound at the first write.
poke_until_exit() {
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 25 ]; do
		for f; do echo change > "$f"; done
		sleep 0.2; i=$((i + 1))
	done
	wait "$pid"
}

NULL_EV=/sys/class/mem/null/uevent
timeout 10 $U uevdump -k -n 1 -s mem > "$TMPD/o1" 2>"$TMPD/e1" & pid=$!
poke_until_exit $NULL_EV; rc=$?
check kernel_n1_exit0 [ "$rc" = 0 ]
check kernel_sees_null grep -q '^KERNEL\[[0-9]*\.[0-9]*\] change *\/devices\/virtual\/mem\/null (mem)$' "$TMPD/o1"
expect_eq kernel_n1_one_line "$(wc -l < "$TMPD/o1")" 1

# unfiltered: the null event is among what -k prints
timeout 10 $U uevdump -k -t 2 -p > "$TMPD/o2" & pid=$!
sleep 0.5; echo change > $NULL_EV; wait $pid; rc=$?
check timeout_exit0 [ "$rc" = 0 ]
check unfiltered_sees_null grep -q 'change *\/devices\/virtual\/mem\/null (mem)' "$TMPD/o2"
check props_printed grep -q '^DEVNAME=null$' "$TMPD/o2"

# -s block ignores the null event and sees our loop device
if command -v losetup >/dev/null && [ -e /dev/loop-control ]; then
	truncate -s 1M "$TMPD/img"
	timeout 10 $U uevdump -k -s block -t 3 -f env > "$TMPD/o3" & pid=$!
	sleep 0.5
	echo change > $NULL_EV
	loop=$(losetup -f --show "$TMPD/img")
	sleep 0.3
	[ -n "$loop" ] && losetup -d "$loop"
	wait $pid
	name=${loop#/dev/}
	check block_filter_sees_loop grep -q "^DEVNAME=$name\$" "$TMPD/o3"
	check block_filter_no_mem sh -c "! grep -q '^SUBSYSTEM=mem' '$TMPD/o3'"
	check env_blank_separated grep -q '^$' "$TMPD/o3"
else
	skip block_filter "no losetup or /dev/loop-control"
fi

# Spoofed and republished messages, in a private network namespace where
# only we can send.  A userspace process multicasting a kernel-format
# message to group 1 must be rejected and counted, never printed.
if ! unshare -n true 2>/dev/null; then
	skip netns "unshare -n not permitted"
	exit 0
fi
printf 'add@/devices/virtual/mem/evil\0ACTION=add\0DEVPATH=/devices/virtual/mem/evil\0SUBSYSTEM=mem\0DEVNAME=../../etc/passwd\0SEQNUM=1\0' > "$TMPD/spoof"

# libudev message: 40-byte header (magic big-endian, sizes host order)
mk_libudev() {	# mk_libudev PROPSFILE OUT
	len=$(wc -c < "$1")
	le32() { printf "\\$(printf %03o $(($1 & 255)))\\$(printf %03o $(($1 >> 8 & 255)))\\$(printf %03o $(($1 >> 16 & 255)))\\$(printf %03o $(($1 >> 24 & 255)))"; }
	{ printf 'libudev\0\376\355\312\376'; le32 40; le32 40; le32 "$len"; printf '\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0'; cat "$1"; } > "$2"
}
printf 'ACTION=add\0DEVPATH=/devices/virtual/net/x\0SUBSYSTEM=net\0SEQNUM=77\0NOTE=a "q" \\ b\tc\377\0' > "$TMPD/props"
mk_libudev "$TMPD/props" "$TMPD/udev"

cat > "$TMPD/ns.sh" <<EOS
$U uevdump -k -u -v -t 2 -f json > $TMPD/o4 2> $TMPD/e4 & p=\$!
sleep 0.5
$NLSEND 1 < $TMPD/spoof
$NLSEND 2 < $TMPD/udev
if command -v setpriv >/dev/null; then
	setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps +net_admin --ambient-caps +net_admin $NLSEND 2 < $TMPD/udev
fi
wait \$p
EOS
unshare -n sh "$TMPD/ns.sh"
check spoof_not_printed sh -c "! grep -q evil '$TMPD/o4'"
check spoof_counted grep -q 'sender is not the kernel' "$TMPD/e4"
check spoof_verbose_reason grep -q 'rejected a message from portid' "$TMPD/e4"
check libudev_printed grep -q '"source":"udev"' "$TMPD/o4"
check json_escaped grep -qF '"NOTE":"a \"q\" \\ b\u0009c\u00ff"' "$TMPD/o4"
if command -v python3 >/dev/null; then
	check json_valid python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$TMPD/o4"
fi
if command -v setpriv >/dev/null; then
	check nonroot_sender_rejected grep -q 'sender uid is not 0' "$TMPD/e4"
	expect_eq libudev_once "$(grep -c '"source":"udev"' "$TMPD/o4")" 1
fi

# Overflow: a stopped reader with a tiny buffer while the kernel makes
# events (net devices in this namespace), then one more event after it.
cat > "$TMPD/ovf.sh" <<EOS
$U uevdump -k -b 4096 -t 4 > $TMPD/o5 2> $TMPD/e5 & p=\$!
sleep 0.5
kill -STOP \$p
i=0; while [ \$i -lt 40 ]; do ip link add uvd\$i type veth peer name uvp\$i 2>/dev/null; i=\$((i+1)); done
kill -CONT \$p
sleep 0.5
ip link add uvdlast type veth peer name uvplast
wait \$p
EOS

unshare -n sh "$TMPD/ovf.sh"
if grep -q uvd "$TMPD/o5" || [ -s "$TMPD/o5" ]; then
	check overflow_reported grep -q 'overflowed (ENOBUFS)' "$TMPD/e5"
	check overflow_loss_counted grep -q 'lost up to [0-9]* events' "$TMPD/e5"
else
	skip overflow "no net device uevents in a new namespace (veth unsupported?)"
fi
