#!/bin/sh
# compare-kmod.sh UEVBOX — modalias-load -D against kmod's modprobe
# --show-depends on Debian's current kernel module tree, for every modalias
# of this machine's /sys plus a corpus built from the tree's own aliases.
#
# The linux-image package is fetched with apt-get download and unpacked
# with dpkg -x into $UEVBOX_CACHE/kernel (default /var/cache/uevbox) —
# never installed.  depmod runs on the unpacked tree; this host's modprobe.d
# (/lib/modprobe.d, /etc/modprobe.d) is copied under it so both tools see
# the same configuration.  Writes the corpus and any differences to
# $OUT (default /tmp/uevbox-compare) and prints the counts.
set -u
UEVBOX=${1:?usage: compare-kmod.sh UEVBOX}
cache=${UEVBOX_CACHE:-/var/cache/uevbox}/kernel
OUT=${OUT:-/tmp/uevbox-compare}
CHUNK=${CHUNK:-400}
mkdir -p "$cache" "$OUT"
PATH=$PATH:/sbin:/usr/sbin

pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
[ -n "$pkg" ] || { echo "compare: cannot find Debian's current linux-image package" >&2; exit 1; }
deb=$(ls "$cache/${pkg}"_*.deb 2>/dev/null | head -n 1)
if [ -z "$deb" ]; then
	(cd "$cache" && apt-get download "$pkg") >&2 || exit 1
	deb=$(ls "$cache/${pkg}"_*.deb | head -n 1)
fi
ROOT=$cache/root-${pkg#linux-image-}
if [ ! -d "$ROOT/lib/modules" ]; then
	dpkg -x "$deb" "$ROOT.tmp" && mv "$ROOT.tmp" "$ROOT" || exit 1
fi
KV=$(ls "$ROOT/lib/modules" | head -n 1)
MD=$ROOT/lib/modules/$KV
if [ ! -s "$MD/modules.alias.bin" ]; then
	depmod -b "$ROOT" "$KV" || exit 1
fi
for d in etc/modprobe.d lib/modprobe.d; do
	rm -rf "${ROOT:?}/$d"; mkdir -p "$ROOT/$d"
	[ -d "/$d" ] && cp -a "/$d/." "$ROOT/$d/" 2>/dev/null
done
CONF="-C $ROOT/etc/modprobe.d -C $ROOT/run/modprobe.d -C $ROOT/usr/local/lib/modprobe.d -C $ROOT/lib/modprobe.d"
echo "tree: $MD ($(grep -c . "$MD/modules.dep") modules, $(grep -c '^alias' "$MD/modules.alias") aliases)"

# --- corpus
{
	# this machine
	find /sys/devices -name modalias -exec cat {} + 2>/dev/null
	find /sys/devices -name uevent -exec grep -h '^MODALIAS=' {} + 2>/dev/null | cut -d= -f2-
	# every alias of the tree with its wildcards filled in two ways
	awk '$1 == "alias" { print $2 }' "$MD/modules.alias" | awk '
	function fill(p, star,   out, i, c, j, cls) {
		out = ""
		for (i = 1; i <= length(p); i++) {
			c = substr(p, i, 1)
			if (c == "*") out = out star
			else if (c == "?") out = out "0"
			else if (c == "[") {
				j = index(substr(p, i), "]")
				if (j == 0) { out = out c; continue }
				cls = substr(p, i + 1, j - 2)
				if (substr(cls, 1, 1) == "!" || substr(cls, 1, 1) == "^") out = out "Z"
				else out = out substr(cls, 1, 1)
				i += j - 1
			} else out = out c
		}
		return out
	}
	{ print fill($0, ""); print fill($0, "0A") }'
	# hand-made device aliases of common buses and classes
	cat <<'EOF'
pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00
pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01
pci:v00001B36d0000000Dsv00001AF4sd00001100bc0Csc03i30
pci:v00008086d0000293Esv00001AF4sd00001100bc04sc03i00
pci:v00008086d000025ABsv00001AF4sd00001100bc08sc80i00
pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00
pci:v00001AF4d00001041sv00001AF4sd00001100bc02sc00i00
pci:v00001234d00001111sv00001AF4sd00001100bc03sc00i00
pci:v000010DEd00001C82sv00001043sd00008613bc03sc00i00
pci:v00001002d0000687Fsv00001002sd00000B36bc03sc00i00
pci:v000014E4d00001657sv0000103Csd000022BEbc02sc00i00
pci:v0000ABCDd0000EF01sv00000000sd00000000bc0Csc03i30
pci:v0000ABCDd0000EF01sv00000000sd00000000bc01sc08i02
virtio:d00000001v00001AF4
virtio:d00000002v00001AF4
virtio:d00000003v00001AF4
virtio:d00000004v00001AF4
virtio:d00000005v00001AF4
virtio:d00000010v00001AF4
virtio:d00000012v00001AF4
usb:v0627p0001d0000dc00dsc00dp00ic03isc01ip01in00
usb:v0627p0001d0000dc00dsc00dp00ic03isc01ip02in00
usb:v46F4p0001d0000dc00dsc00dp00ic08isc06ip50in00
usb:v1D6Bp0003d0601dc09dsc00dp03ic09isc00ip00in00
usb:v046DpC52Bd1211dc00dsc00dp00ic03isc01ip01in00
usb:v0BDAp8153d3000dcFFdsc00dp00icFFiscFFip00in00
usb:v12D1p1506d0102dc00dsc00dp00icFFisc02ip12in01
usb:vABCDp1234d0100dc00dsc00dp00ic02isc02ip01in00
usb:vABCDp1234d0100dc00dsc00dp00ic0Eisc01ip00in00
acpi:PNP0303:
acpi:PNP0F13:
acpi:PNP0501:
acpi:PNP0A08:PNP0A03:
acpi:QEMU0002:
acpi:ACPI0010:
acpi:PNP0C0F:
acpi:LNXPWRBN:
acpi:LNXVIDEO:
acpi:INT33A1:PNP0D80:
cpu:type:x86,ven0000fam0006mod003F:feature:,0000,0001,0002,0003,0004,0005,0006,0007,0008,0009,000B,000C,000D,000E,000F,0010,0011,0013,0017,0018,0019,001A,001B,001C,002B,0034,003A,003B,003D,0068,006F,0070,0072,0074,0075,0076,0079,0080,0081,0089,008C,008D,0091,0093,0094,0096,0097,0099,009A,00C0,00E1,00E3,00E4,00E6,00E7,00EB,00EC,00F0,00F1,00F3,00F5,00F6,00F9,00FA,00FB,00FD,00FF,0120,0123,0125,0127,0128,0129,012A,0140,0165
cpu:type:x86,ven0002fam0019mod0001:feature:,0000,0001,0002,0003,0004,0005,0006,0007,0008,0009,000B,000C,000D,000E,000F,0010,0011,0013,0017,0018,0019,001A,001B,001C,002B,0034,003A,003B,003D,0068,006F,0070,0072,0074,0075,0076,0079,0080,0081,0089,008C,008D,0091,0093,0094,0096,0097,0099,009A,00C0,00E1,00E3,00E4,00E6,00E7,00EB,00EC,00F0,00F1,00F3,00F5,00F6,00F9,00FA,00FB,00FD,00FF,0120,0123,0125,0127,0128,0129,012A,0140,0165,01C0
platform:serial8250
platform:i8042
platform:pcspkr
platform:efi-framebuffer
platform:intel_rapl_msr
platform:regulatory
platform:alarmtimer
platform:rtc_cmos
platform:no-such-device
of:NserialT(null)Cns16550a
of:NethernetT(null)Cvirtio,mmio
hid:b0003g0001v0000046Dp0000C52B
hid:b0005g0001v0000054Cp00000268
hid:b0003g0001v000004D9p00001503
input:b0019v0000p0001e0000-e0,1,k74,ramlsfw
input:b0011v0001p0001eAB41-e0,1,4,11,14,k71,72,73,74,75,76,77,79,7A,7B,7C,7D,7E,7F,80,8C,8E,8F,9B,9C,9D,9E,9F,A3,A4,A5,A6,AC,AD,B7,B8,B9,D9,E2,ram4,l0,1,2,sfw
input:b0003v046Dp4101e0111-e0,1,2,4,k110,111,112,113,114,115,116,117,118,119,11A,11B,11C,11D,11E,11F,r0,1,6,8,B,C,am4,lsfw
serio:ty01pr00id00ex00
serio:ty06pr00id00ex00
scsi:t-0x00
scsi:t-0x05
sdio:c00v02D0d4324
mdio:00000000000100000000000000000000
i2c:pca9532
spi:spidev
hdaudio:v10EC0269r00100100a01
hdaudio:v8086280Br00100000a01
snd-pcm
symbol:usb_register_driver
symbol:drm_dev_register
fs-ext4
fs-vfat
net-pf-10
net-pf-16-proto-9
crypto-sha256
crypto-aes
crypto-crc32c
char-major-10-229
block-major-8-0
devname:fuse
ip_tables
nf_conntrack
e1000e
virtio_net
virtio-blk
xhci_pci
snd_hda_intel
i915
nvme
ext4
btrfs
EOF
	# a sample of module names, with dashes
	sed 's/:.*//; s|.*/||; s/\.ko.*//' "$MD/modules.dep" | awk 'NR % 7 == 0'
	sed 's/:.*//; s|.*/||; s/\.ko.*//' "$MD/modules.dep" | awk 'NR % 29 == 0 { gsub("_", "-"); print }'
} | grep -v '^$' | awk '!seen[$0]++' > "$OUT/corpus"
total=$(wc -l < "$OUT/corpus")
echo "corpus: $total distinct names ($OUT/corpus)"

# --- compare in chunks, without and with -b; a differing chunk is
# compared name by name
: > "$OUT/diffs"
nd=0
for B in "" -b; do
	split -l "$CHUNK" "$OUT/corpus" "$OUT/chunk."
	for c in "$OUT"/chunk.*; do
		set -- $(cat "$c")
		modprobe -d "$ROOT" -S "$KV" $CONF $B -D -a "$@" > "$c.kmod" 2>/dev/null
		"$UEVBOX" modalias-load -d "$ROOT" -k "$KV" $B -D -a "$@" > "$c.ours" 2>/dev/null
		if ! cmp -s "$c.kmod" "$c.ours"; then
			for a in "$@"; do
				k=$(modprobe -d "$ROOT" -S "$KV" $CONF $B -D "$a" 2>/dev/null; echo "rc=$?")
				o=$("$UEVBOX" modalias-load -d "$ROOT" -k "$KV" $B -D "$a" 2>/dev/null; echo "rc=$?")
				if [ "$k" != "$o" ]; then
					nd=$((nd + 1))
					printf '=== %s %s\n--- modprobe\n%s\n--- modalias-load\n%s\n' "$B" "$a" "$k" "$o" >> "$OUT/diffs"
				fi
			done
		fi
		rm -f "$c" "$c.kmod" "$c.ours"
	done
done
found=$("$UEVBOX" modalias-load -d "$ROOT" -k "$KV" -D -a $(cat "$OUT/corpus") 2>&1 >/dev/null | grep -c 'not found')
lines=$("$UEVBOX" modalias-load -d "$ROOT" -k "$KV" -D -a $(cat "$OUT/corpus") 2>/dev/null | wc -l)
echo "compared: $total names twice (plain and -b), $((total - found)) resolve to modules ($lines output lines), $found to nothing"
echo "differences: $nd (details: $OUT/diffs)"
[ "$nd" = 0 ]
