#!/bin/sh
# probe.sh — the built-in block probes (blkprobe) against `blkid -p -o udev`
# on disk images made by the real mkfs tools, probed as files and attached
# as loop devices (losetup -f, read-only, always detached), and partition
# table entries against sfdisk's own view.  Needs util-linux (blkid,
# sfdisk, losetup); each filesystem is skipped when its mkfs is missing.
. ./lib.sh

LOOPS=
cleanup() {
	for l in $LOOPS; do losetup -d "$l" 2>/dev/null; done
	rm -rf "$TMPD"
}
trap cleanup EXIT

command -v blkid >/dev/null || { skip all "no blkid (util-linux)"; exit 0; }
if ! "$UEVBOX" blkprobe -l >/dev/null 2>&1; then
	skip all "blkprobe applet not built in"; exit 0
fi
have_probe() { "$UEVBOX" blkprobe -l | grep -qx "$1 $2"; }

I=$TMPD
cmp_probe() {	# NAME FILE-OR-DEVICE: blkprobe prints exactly what blkid does
	want=$(blkid -p -o udev "$2" | sort)
	got=$("$UEVBOX" blkprobe "$2" | sort)
	if [ -z "$want" ]; then fail "$1" "blkid found nothing on $2"; return; fi
	expect_eq "$1" "$got" "$want"
}

attach() {	# FILE [losetup options] -> prints the loop device
	l=$(losetup -f --show -r "$@" 2>/dev/null) || return 1
	LOOPS="$LOOPS $l"
	echo "$l"
}
detach() {
	losetup -d "$1"
	LOOPS=$(echo "$LOOPS" | sed "s| $1\$||; s| $1 | |")
}

# mkimg NAME SIZE PROBE TOOL ARGS... : make $I/NAME.img with TOOL ARGS IMG
mkimg() {
	n=$1 sz=$2 pr=$3 tool=$4; shift 4
	if ! have_probe fs "$pr"; then skip "$n" "probe_$pr not built in"; return 1; fi
	if ! command -v "$tool" >/dev/null; then skip "$n" "no $tool"; return 1; fi
	truncate -s "$sz" "$I/$n.img"
	if ! "$tool" "$@" "$I/$n.img" >"$I/$n.log" 2>&1; then
		fail "$n" "$tool failed: $(tail -1 "$I/$n.log")"; return 1
	fi
}

# each filesystem, labels chosen to exercise udev's escaping
mkimg ext2 32M ext mkfs.ext2 -q -F -L "two words" -U 0a1b2c3d-0000-4000-8000-00000000e2e2 &&
	cmp_probe ext2 "$I/ext2.img"
mkimg ext3 32M ext mkfs.ext3 -q -F -L "ext/three" && cmp_probe ext3 "$I/ext3.img"
mkimg ext4 64M ext mkfs.ext4 -q -F -L "my data/1" && cmp_probe ext4 "$I/ext4.img"
mkimg vfat12 4M vfat mkfs.vfat -n "SMALL" && cmp_probe vfat12 "$I/vfat12.img"
mkimg vfat16 64M vfat mkfs.vfat -n "VFAT LBL" -i 1234abcd && cmp_probe vfat16 "$I/vfat16.img"
mkimg vfat32 300M vfat mkfs.vfat -F 32 -n "BIG32" && cmp_probe vfat32 "$I/vfat32.img"
mkimg vfat_nolabel 8M vfat mkfs.vfat && cmp_probe vfat_nolabel "$I/vfat_nolabel.img"
mkimg exfat 64M exfat mkfs.exfat -L "exfät lbl" && cmp_probe exfat "$I/exfat.img"
mkimg btrfs 128M btrfs mkfs.btrfs -q -L "btr fs" && cmp_probe btrfs "$I/btrfs.img"
mkimg xfs 320M xfs mkfs.xfs -q -L "xfs lbl" && cmp_probe xfs "$I/xfs.img"
mkimg f2fs 64M f2fs mkfs.f2fs -q -l "f2 lbl" && cmp_probe f2fs "$I/f2fs.img"
mkimg swap 16M swap mkswap -L "swap lbl" && cmp_probe swap "$I/swap.img"
mkimg swap_nolabel 16M swap mkswap && cmp_probe swap_nolabel "$I/swap_nolabel.img"

# squashfs and iso9660 images are built from a directory
mkdir -p "$I/tree/sub" && echo hello > "$I/tree/sub/file"
if have_probe fs squashfs && command -v mksquashfs >/dev/null; then
	mksquashfs "$I/tree" "$I/squashfs.img" -quiet -noappend >/dev/null 2>&1 &&
		cmp_probe squashfs "$I/squashfs.img"
else skip squashfs "no mksquashfs or probe"; fi
MKISO=
command -v xorriso >/dev/null && MKISO="xorriso -as mkisofs"
command -v genisoimage >/dev/null && MKISO=genisoimage
if have_probe fs iso9660 && [ -n "$MKISO" ]; then
	$MKISO -quiet -V "CDLABEL" -o "$I/iso.img" "$I/tree" >/dev/null 2>&1 &&
		cmp_probe iso9660 "$I/iso.img"
	$MKISO -quiet -J -V "Mixed Case Joliet" -publisher "Pub Lisher" -A "an app" \
		-o "$I/isoj.img" "$I/tree" >/dev/null 2>&1 && cmp_probe iso9660_joliet "$I/isoj.img"
else skip iso9660 "no xorriso/genisoimage or probe"; fi
if have_probe fs luks && command -v cryptsetup >/dev/null; then
	printf secret > "$I/key"
	for v in 1 2; do
		truncate -s 20M "$I/luks$v.img"
		lbl=; [ $v = 2 ] && lbl="--label=luks lbl"
		if cryptsetup luksFormat -q --type luks$v ${lbl:+"$lbl"} --pbkdf pbkdf2 \
			--pbkdf-force-iterations 1000 --key-file "$I/key" "$I/luks$v.img" >/dev/null 2>&1; then
			cmp_probe luks$v "$I/luks$v.img"
		else fail luks$v "cryptsetup luksFormat failed"; fi
	done
else skip luks "no cryptsetup or probe"; fi

# nothing there: both say so
truncate -s 1M "$I/empty.img"
check empty_not_recognized sh -c "! '$UEVBOX' blkprobe '$I/empty.img' 2>/dev/null"

# the same images as loop devices
if is_root && command -v losetup >/dev/null; then
	for img in "$I"/*.img; do
		n=$(basename "$img" .img)
		[ "$n" = empty ] && continue
		if l=$(attach "$img"); then
			cmp_probe "loop_$n" "$l"
			detach "$l"
		else
			fail "loop_$n" "losetup -f failed"
		fi
	done
	check loops_detached sh -c "! losetup -j '$I/ext4.img' | grep -q ."
else
	skip loop "needs root and losetup"
fi

# persistent names (-L): by-uuid/by-label of a loop device as udev's
# 60-persistent-storage.rules make them from blkid's *_ENC values, and
# ID_PATH of every real disk against udev's own path_id builtin
HAVE_LINKS=1
"$UEVBOX" blkprobe -L "$I/empty.img" 2>&1 | grep -q 'not built in' && HAVE_LINKS=
if [ -z "$HAVE_LINKS" ]; then
	skip links "disk_links not built in"
elif is_root && [ -f "$I/ext4.img" ] && l=$(attach "$I/ext4.img"); then
	links=$("$UEVBOX" blkprobe -L "$l" | sed -n 's/^DEVLINKS=//p' | tr ' ' '\n' | sort | tr '\n' ' ')
	b=$(blkid -p -o udev "$l")
	want=$(printf '/dev/disk/by-label/%s\n/dev/disk/by-uuid/%s\n' \
		"$(echo "$b" | sed -n 's/^ID_FS_LABEL_ENC=//p')" "$(echo "$b" | sed -n 's/^ID_FS_UUID_ENC=//p')" |
		sort | tr '\n' ' ')
	expect_eq links_loop_ext4 "$links" "$want"
	detach "$l"
fi
if [ -z "$HAVE_LINKS" ]; then
	skip path_id "disk_links not built in"
elif command -v udevadm >/dev/null && [ -d /sys/block ]; then
	n=0
	for d in /sys/block/*; do
		k=$(basename "$d")
		[ -b "/dev/$k" ] || continue
		want=$(udevadm test-builtin path_id "$d" 2>/dev/null | sed -n 's/^ID_PATH=//p')
		got=$("$UEVBOX" blkprobe -L -S "/dev/$k" 2>/dev/null | sed -n 's/^ID_PATH=//p')
		case $k in loop*|ram*|zram*) [ -z "$want" ] || continue;; esac
		expect_eq "path_id_$k" "$got" "$want"
		n=$((n + 1))
	done
	[ $n -gt 0 ] || skip path_id "no block devices in /sys/block"
else
	skip path_id "no udevadm (Debian udev package, used as a client only)"
fi

# partition tables
lower() { tr 'A-Z' 'a-z'; }
val() { sed -n "s/^$1=//p"; }
if have_probe table gpt && command -v sgdisk >/dev/null && command -v sfdisk >/dev/null; then
	truncate -s 64M "$I/gpt.img"
	sgdisk -n 1:2048:+8M -t 1:ef00 -c 1:"EFI system" -n 2:0:+16M -t 2:8300 \
		-c 2:"root fs/ä" -n 3:0:+4M "$I/gpt.img" >/dev/null 2>&1 || fail gpt_create sgdisk
	cmp_probe gpt_table "$I/gpt.img"
	for p in 1 2 3; do
		start=$(sfdisk -d "$I/gpt.img" | sed -n "s|^.*gpt.img$p : start= *\([0-9]*\),.*|\1|p")
		out=$("$UEVBOX" blkprobe -o "$start" "$I/gpt.img")
		expect_eq "gpt_entry${p}_number" "$(echo "$out" | val ID_PART_ENTRY_NUMBER)" "$p"
		expect_eq "gpt_entry${p}_uuid" "$(echo "$out" | val ID_PART_ENTRY_UUID)" \
			"$(sfdisk --part-uuid "$I/gpt.img" $p | lower)"
		expect_eq "gpt_entry${p}_type" "$(echo "$out" | val ID_PART_ENTRY_TYPE)" \
			"$(sfdisk --part-type "$I/gpt.img" $p | lower)"
		expect_eq "gpt_entry${p}_offset" "$(echo "$out" | val ID_PART_ENTRY_OFFSET)" "$start"
	done
	out=$("$UEVBOX" blkprobe -o 2048 "$I/gpt.img")
	expect_eq gpt_entry_name "$(echo "$out" | val ID_PART_ENTRY_NAME)" 'EFI\x20system'
	out=$("$UEVBOX" blkprobe -o "$(sfdisk -d "$I/gpt.img" | sed -n 's|^.*gpt.img2 : start= *\([0-9]*\),.*|\1|p')" "$I/gpt.img")
	expect_eq gpt_entry_name_utf8 "$(echo "$out" | val ID_PART_ENTRY_NAME)" 'root\x20fs\x2fä'
	expect_eq gpt_entry_size "$(echo "$out" | val ID_PART_ENTRY_SIZE)" 32768
	# a filesystem inside partition 1, made through a loop device with offset
	if is_root && command -v mkfs.vfat >/dev/null && have_probe fs vfat &&
	   l=$(losetup -f --show -o $((2048 * 512)) --sizelimit $((8 << 20)) "$I/gpt.img"); then
		LOOPS="$LOOPS $l"
		mkfs.vfat -n INPART "$l" >/dev/null 2>&1
		detach "$l"
		want=$(blkid -p -o udev -O $((2048 * 512)) "$I/gpt.img" | grep '^ID_FS_' | sort)
		got=$("$UEVBOX" blkprobe -o 2048 "$I/gpt.img" | grep '^ID_FS_' | sort)
		expect_eq gpt_fs_in_partition "$got" "$want"
	fi
	check gpt_no_such_partition sh -c "! '$UEVBOX' blkprobe -o 7 '$I/gpt.img' 2>/dev/null"
else skip gpt "no sgdisk/sfdisk or probe"; fi

if have_probe table dos && command -v sfdisk >/dev/null; then
	truncate -s 64M "$I/dos.img"
	sfdisk -q "$I/dos.img" >/dev/null 2>&1 <<-EOT
	label: dos
	label-id: 0x5eedf00d
	size=8M, type=83, bootable
	size=8M, type=c
	type=5
	size=4M, type=83
	size=4M, type=82
	EOT
	cmp_probe dos_table "$I/dos.img"
	for p in 1 2 3 5 6; do
		start=$(sfdisk -d "$I/dos.img" | sed -n "s|^.*dos.img$p : start= *\([0-9]*\),.*|\1|p")
		out=$("$UEVBOX" blkprobe -o "$start" "$I/dos.img")
		expect_eq "dos_entry${p}_number" "$(echo "$out" | val ID_PART_ENTRY_NUMBER)" "$p"
		expect_eq "dos_entry${p}_uuid" "$(echo "$out" | val ID_PART_ENTRY_UUID)" "5eedf00d-0$p"
		expect_eq "dos_entry${p}_type" "$(echo "$out" | val ID_PART_ENTRY_TYPE)" \
			"0x$(sfdisk --part-type "$I/dos.img" $p | lower | tr -d ' ')"
	done
	out=$("$UEVBOX" blkprobe -o 2048 "$I/dos.img")
	expect_eq dos_entry_bootable "$(echo "$out" | val ID_PART_ENTRY_FLAGS)" 0x80
else skip dos "no sfdisk or probe"; fi
exit 0
