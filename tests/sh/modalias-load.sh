#!/bin/sh
# modalias-load: resolution compared with kmod's own modprobe --show-depends
# on small module trees made by the real depmod, the text-only (busybox
# depmod) form of the same tree, damaged indexes, and the sysfs scan.
# Loading itself needs a kernel with modules (tests/vm); here -n only.
. ./lib.sh

for t in depmod modprobe gcc; do
	if ! command -v $t >/dev/null 2>&1 && ! [ -x /sbin/$t ]; then
		skip setup "$t not installed (Debian kmod, gcc)"; exit 0
	fi
done
PATH=$PATH:/sbin:/usr/sbin
KV=1.0
ROOT=$TMPD/root
MD=$ROOT/lib/modules/$KV
D=$MD/kernel/drivers
mkdir -p "$D" "$TMPD/src" "$ROOT/etc/modprobe.d" "$ROOT/lib/modprobe.d" "$ROOT/run/modprobe.d"

mkmod() { fake_module "$D" "$@" || fail "mkmod $1" "gcc failed"; }

mkmod base "license=GPL alias=base-alias" "base_fn" ""
mkmod mid "alias=pci:v00001234d*sv*sd*bc*sc*i*" "mid_fn" "base_fn"
mkmod top "alias=pci:v00001234d00005678sv*sd*bc*sc*i* alias=usb:v1D6Bp0002d0[0-4]*dc*dsc*" "" "mid_fn"
mkmod snd_a "alias=sound:card? softdep=pre:~pre_mod~post:~post_mod" "" "base_fn"
mkmod pre_mod "" "" ""
mkmod post_mod "" "" ""
mkmod bl_mod "alias=acpi*:BLK0001:*" "" ""
mkmod opt_mod "alias=platform:optdev" "" ""
mkmod inst_mod "alias=platform:instdev" "" ""
mkmod dash-name "alias=of:N*T*Cacme,dash[0-9]" "" "base_fn"
mkmod mult1 "alias=virtio:d00000001v*" "" ""
mkmod mult2 "alias=virtio:d00000001v* alias=virtio:d0000000?v00001AF4" "" ""
mkmod qmark "alias=platform:dev?x alias=input:b*v*p*e*_e*1,*k*74,*ram*" "" ""
mkmod escaped "alias=weird:[!a-c]x*" "" ""
mkmod needs_builtin "alias=hid:b0003g*v0000046Dp*" "" ""
# built-in modules: names in modules.builtin, aliases in modules.builtin.modinfo
printf 'kernel/drivers/builtin_one.ko\nkernel/drivers/builtin-two.ko\n' > "$MD/modules.builtin"
printf 'builtin_one.alias=of:NfooT*Cacme,bar\0builtin_one.license=GPL\0builtin_two.alias=usb:v05ACp*\0' \
	> "$MD/modules.builtin.modinfo"

cat > "$ROOT/etc/modprobe.d/test.conf" <<EOF
# a comment
alias my-alias top
alias sound:card9 mid
options opt_mod a=1 b="x y"
options opt-mod	c=2
blacklist bl_mod
install inst_mod echo "\$MODPROBE_MODULE: \$CMDLINE_OPTS" > $TMPD/installed
options inst_mod q=1
softdep mid pre: pre_mod post: \\
  post_mod
options top from_alias_name=1
softdep qm* pre: pre_mod
softdep qmark post: ignored_later_entry
install escape? /bin/true
install escaped /bin/false
options pci:v00001234d00005678sv1sd2bc3sc4i5 via_alias=1
EOF
# same file name in a later directory: hidden by /etc's
echo 'blacklist top' > "$ROOT/lib/modprobe.d/test.conf"
echo 'options base x=1' > "$ROOT/lib/modprobe.d/other.conf"
echo 'options mult1 m=1' > "$ROOT/run/modprobe.d/z.alias"

if ! depmod -b "$ROOT" $KV 2>"$TMPD/depmod.err"; then
	fail depmod "$(cat "$TMPD/depmod.err")"; exit 0
fi
check depmod-wrote-bins test -s "$MD/modules.alias.bin" -a -s "$MD/modules.builtin.alias.bin"

CONF="-C $ROOT/etc/modprobe.d -C $ROOT/run/modprobe.d -C $ROOT/usr/local/lib/modprobe.d -C $ROOT/lib/modprobe.d"
kmod_show() { r=$1; shift; modprobe -d "$r" -S $KV $CONF -D "$@" 2>/dev/null; echo "rc=$?"; }
ours_show() { r=$1; shift; "$UEVBOX" modalias-load -d "$r" -k $KV -D "$@" 2>/dev/null; echo "rc=$?"; }

NAMES="pci:v00001234d00005678sv1sd2bc3sc4i5 pci:v00001234d00000001sv0sd0bc0sc0i0
usb:v1D6Bp0002d0300dc09dsc00 usb:v1D6Bp0002d0500dc09dsc00 base-alias base top mid my-alias
sound:card1 sound:card9 snd_a acpi:BLK0001: acpi:BLK0001:PNP0000: bl_mod platform:optdev
opt_mod platform:instdev inst_mod of:NfooTbarCacme,dash7 of:NfooTbarCacme,dashx dash-name dash_name
virtio:d00000001v00001AF4 virtio:d00000002v00001AF4 platform:devAx platform:devABx
input:b0003v046Dp0001e0000_e0,1,4,k74,ram4,lsfw weird:dx1 weird:bx1
of:NfooTzCacme,bar builtin_one builtin-two builtin_two usb:v05ACp1234d0000 nothing-here
pci:v0000ABCDd00000001sv0sd0bc0sc0i0 symbol:base_fn symbol:mid_fn hid:b0003g0001v0000046Dp00001234"

compare_all() {	# compare_all LABEL OUR_ROOT [EXTRA_OPT]
	lab=$1; oroot=$2; opt=$3; bad=0; n=0
	for a in $NAMES; do
		n=$((n + 1))
		want=$(kmod_show "$ROOT" $opt "$a")
		got=$(ours_show "$oroot" $opt "$a" | sed "s|$oroot/|$ROOT/|g")
		if [ "$got" != "$want" ]; then
			bad=$((bad + 1))
			fail "$lab:$a" "got [$got] want [$want]"
		fi
	done
	[ $bad = 0 ] && pass "$lab: $n names identical to modprobe -D"
}
compare_all show "$ROOT"
compare_all show-b "$ROOT" -b

# command line parameters for the named module, as modprobe joins them
want=$(modprobe -d "$ROOT" -S $KV $CONF -D opt_mod 'p=a b' q=1 2>&1)
got=$("$UEVBOX" modalias-load -d "$ROOT" -k $KV -D opt_mod 'p=a b' q=1 2>&1)
expect_eq params "$got" "$want"
# -a: several names at once
want=$(modprobe -d "$ROOT" -S $KV $CONF -D -a top snd_a 2>&1)
got=$("$UEVBOX" modalias-load -d "$ROOT" -k $KV -D -a top snd_a 2>&1)
expect_eq all-names "$got" "$want"
# several names without -a: still names (no '=' so they are no parameters)
got=$("$UEVBOX" modalias-load -d "$ROOT" -k $KV -D top snd_a 2>&1)
expect_eq names-without-a "$got" "$want"

# --- the same tree as busybox depmod leaves it: text files only
TROOT=$TMPD/troot
cp -a "$ROOT" "$TROOT"
rm -f "$TROOT/lib/modules/$KV"/*.bin
compare_all text-only "$TROOT"

# --- damaged indexes: an error naming the file, or a warning and the text
BROOT=$TMPD/broot
cp -a "$ROOT" "$BROOT"
BMD=$BROOT/lib/modules/$KV
head -c 20 "$MD/modules.alias.bin" > "$BMD/modules.alias.bin"
# the text fallback exists: warning, same answers
out=$("$UEVBOX" modalias-load -d "$BROOT" -k $KV -D pci:v00001234d00005678sv1sd2bc3sc4i5 2>&1 >/dev/null)
check truncated-warns contains "$out" "$BMD/modules.alias.bin"
compare_all truncated-fallback "$BROOT"
rm "$BMD/modules.alias"
out=$("$UEVBOX" modalias-load -d "$BROOT" -k $KV -D top 2>&1); rc=$?
check truncated-no-fallback-fails test $rc = 1
check truncated-error-names-file contains "$out" "$BMD/modules.alias.bin"
printf 'XXXXXXXXXXXXXXXXXXXX' > "$BMD/modules.alias.bin"
out=$("$UEVBOX" modalias-load -d "$BROOT" -k $KV -D top 2>&1)
check bad-magic-named contains "$out" "modules.alias.bin: bad magic"
{ printf '\260\007\364\127\000\003\000\001'; tail -c +9 "$MD/modules.alias.bin"; } > "$BMD/modules.alias.bin"
out=$("$UEVBOX" modalias-load -d "$BROOT" -k $KV -D top 2>&1)
check wrong-version-named contains "$out" "modules.alias.bin: unsupported index version"
# root offset pointing past the end
{ head -c 8 "$MD/modules.dep.bin"; printf '\200\377\377\377'; tail -c +13 "$MD/modules.dep.bin"; } > "$BMD/modules.dep.bin"
rm -f "$BMD/modules.dep"
out=$("$UEVBOX" modalias-load -d "$BROOT" -k $KV -D top 2>&1)
check bad-root-named contains "$out" "$BMD/modules.dep.bin: truncated"
# every single-byte corruption of modules.dep.bin: never a crash
cp "$MD/modules.alias.bin" "$BMD/modules.alias.bin"
size=$(wc -c < "$MD/modules.dep.bin"); crashes=0; i=12
while [ $i -lt "$size" ]; do
	{ head -c $i "$MD/modules.dep.bin"; printf '\377'; tail -c +$((i + 2)) "$MD/modules.dep.bin"; } > "$BMD/modules.dep.bin"
	"$UEVBOX" modalias-load -d "$BROOT" -k $KV -D top mid >/dev/null 2>&1
	[ $? -gt 2 ] && crashes=$((crashes + 1))
	i=$((i + 1))
done
expect_eq corrupt-bytes-no-crash "$crashes" 0
# no modules.dep at all
rm -f "$BMD/modules.dep.bin"
out=$("$UEVBOX" modalias-load -d "$BROOT" -k $KV -D top 2>&1); rc=$?
check no-dep-fails test $rc = 1 && check no-dep-named contains "$out" "modules.dep"

# --- -S: a fake sysfs with a modalias file and a MODALIAS= only in uevent
S=$TMPD/sys
mkdir -p "$S/devices/pci0000:00/0000:00:01.0" "$S/devices/pci0000:00/0000:00:02.0/usb1/1-1" "$S/devices/platform/serial8250"
echo 'PCI_ID=1234:5678' > "$S/devices/pci0000:00/0000:00:01.0/uevent"
echo 'pci:v00001234d00005678sv1sd2bc3sc4i5' > "$S/devices/pci0000:00/0000:00:01.0/modalias"
: > "$S/devices/pci0000:00/0000:00:02.0/uevent"
printf 'DEVTYPE=usb_interface\nMODALIAS=usb:v1D6Bp0002d0300dc09dsc00\n' > "$S/devices/pci0000:00/0000:00:02.0/usb1/1-1/uevent"
printf 'DRIVER=serial8250\nMODALIAS=platform:serial8250\n' > "$S/devices/platform/serial8250/uevent"
echo 'platform:serial8250' > "$S/devices/platform/serial8250/modalias"
out=$("$UEVBOX" modalias-load -d "$ROOT" -k $KV -n -S -s "$S" -c "" 2>&1); rc=$?
expect_eq scan-summary "$out" "3 modaliases, 2 matched: 5 modules to load, 0 already present, 0 install commands, 0 failed"
check scan-rc test $rc = 0
got=$("$UEVBOX" modalias-load -d "$ROOT" -k $KV -D -S -s "$S" 2>/dev/null)
want=$( (modprobe -d "$ROOT" -S $KV $CONF -D platform:serial8250; modprobe -d "$ROOT" -S $KV $CONF -D pci:v00001234d00005678sv1sd2bc3sc4i5
	modprobe -d "$ROOT" -S $KV $CONF -D usb:v1D6Bp0002d0300dc09dsc00) 2>/dev/null | sort)
expect_eq scan-show "$(echo "$got" | sort)" "$want"

# --- kernel command line: blacklist and options (kmod reads only /proc/cmdline)
echo 'quiet modprobe.blacklist=mid,other base.y=2 "opt_mod.s=a b" top.bad.x=1' > "$TMPD/cmdline"
got=$("$UEVBOX" modalias-load -d "$ROOT" -k $KV -c "$TMPD/cmdline" -D -a pci:v00001234d00000001sv0sd0bc0sc0i0 opt_mod 2>&1; echo rc=$?)
expect_eq cmdline "$got" "insmod $D/opt_mod.ko a=1 b=\"x y\" c=2 s=\"a b\" 
rc=0"
got=$("$UEVBOX" modalias-load -d "$ROOT" -k $KV -c "$TMPD/cmdline" -D -a base 2>&1)
expect_eq cmdline-options "$got" "insmod $D/base.ko x=1 y=2 "

# --- -n without -D: decides, loads nothing, exit 0 (this host cannot load)
"$UEVBOX" modalias-load -d "$ROOT" -k $KV -n top; rc=$?
expect_eq dry-run-rc "$rc" 0
"$UEVBOX" modalias-load -d "$ROOT" -k $KV -n -q nothing-here; rc=$?
expect_eq not-found-rc "$rc" 1

# --- a tree gzipped after depmod ran (bookworm's depmod, built without zlib,
# skips .ko.gz files, so a test tree is indexed first and compressed after):
# dependencies are still found, as their .ko.gz
ZROOT=$TMPD/zroot
cp -a "$ROOT" "$ZROOT"
gzip "$ZROOT/lib/modules/$KV/kernel/drivers/base.ko"
got=$("$UEVBOX" modalias-load -d "$ZROOT" -k $KV -c "" -D -a mid 2>&1)
ZD=$ZROOT/lib/modules/$KV/kernel/drivers
expect_eq gz-sibling-dep "$got" "insmod $ZD/base.ko.gz x=1 
insmod $ZD/pre_mod.ko 
insmod $ZD/mid.ko 
insmod $ZD/post_mod.ko "

# --- install commands really run, via /bin/sh -c, as kmod runs them
rm -f "$TMPD/installed"
"$UEVBOX" modalias-load -d "$ROOT" -k $KV -c "" platform:instdev extra=2; rc=$?
expect_eq install-rc "$rc" 0
expect_eq install-ran "$(cat "$TMPD/installed" 2>/dev/null)" "inst_mod: q=1 extra=2"
