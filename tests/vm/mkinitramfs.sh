#!/bin/bash
# mkinitramfs.sh — build an initramfs for the VM test.
#
# usage: mkinitramfs.sh [-b UEVBOX] [-l plain|gz] [-o OUT] [-m LIST]
#   -b UEVBOX  the uevbox binary under test (static), installed as /bin/uevbox
#   -l LAYOUT  module tree layout:
#                plain  Debian's tree as depmod indexed it (what kmod,
#                       systemd-udevd and busybox load from)
#                gz     (default) the same tree with a part of it gzipped: every
#                       module under the directories in GZ_DIRS below becomes
#                       kgz/<path>.ko.gz, and modules.dep and modules.dep.bin
#                       are rewritten to name those files
#   -o OUT     output file (default $UEVBOX_VM_OUT/initrd-LAYOUT.img)
#   -m LIST    module names, one a line, as /vmtest/floor.list (the floor
#              stage of bench-vm.sh loads them)
#
# The image is three cpio archives back to back (the kernel unpacks each):
#   tools    busybox-static with its applet links, kmod's tools (modprobe is
#            kmod's, as the kernel's request_module expects at /sbin/modprobe),
#            systemd-udevd + udevadm + the rules Debian's initramfs copies,
#            with the shared libraries ldd names;        cached
#   modules  /lib/modules/KVER in the chosen layout;       cached
#   input    libinput (dispatcher + list-devices helper), its data and its
#            shared libraries with the dynamic loader, from setup.sh's
#            libinput/ (Debian's packages, unpacked) and the host;  cached
# None is compressed: the kernel then only copies them at boot, where
# inflating would cost emulated CPU time on every boot (the guest has the
# memory for ~400 MiB twice over).
#   overlay  /init, /vmtest (guest scripts), /bin/uevbox;  rebuilt every time
#
# Why the gz layout looks the way it does: Debian's kmod is built without
# zlib, so its depmod does not index .ko.gz files at all (and its modprobe
# cannot load them).  We therefore index the uncompressed tree, then gzip a
# part of it and rewrite the paths in the index.  modules.dep.bin is a trie
# whose values are the modules.dep lines; a rewrite that changed their length
# would move every offset in the file.  Moving "kernel/X.ko" to "kgz/X.ko.gz"
# keeps each path exactly as long, so both the text and the binary index are
# patched in place (checked below by count and by kmod reading the result).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${UEVBOX_VM_CACHE:-/var/cache/uevbox/vm}
OUTDIR=${UEVBOX_VM_OUT:-$HERE/out}
GZ_DIRS='drivers/net drivers/usb drivers/input drivers/virtio drivers/hid sound'
uevbox='' layout=gz out=''
list=
while getopts "b:l:o:m:h" o; do
	case $o in
	b) uevbox=$OPTARG ;; l) layout=$OPTARG ;; o) out=$OPTARG ;; m) list=$OPTARG ;;
	*) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
	esac
done
case $layout in plain|gz) ;; *) echo "mkinitramfs: -l plain|gz" >&2; exit 2 ;; esac
out=${out:-$OUTDIR/initrd-$layout.img}
if [ -n "$uevbox" ]; then
	[ -x "$uevbox" ] || { echo "mkinitramfs: $uevbox: not an executable" >&2; exit 2; }
	# The guest has no C library; a dynamic binary would not even start.
	if ldd "$uevbox" >/dev/null 2>&1; then echo "mkinitramfs: $uevbox is not static" >&2; exit 2; fi
fi
KVER=$("$HERE/setup.sh")
K=$CACHE/kernel/lib/modules/$KVER
U=$CACHE/udev
LI=$CACHE/libinput
# The cached archives.  $UEVBOX_VM_ARCHIVES puts them elsewhere: each build
# drops the archives of other keys, so a second checkout with a changed
# script would otherwise throw away the first one's cache.
A=${UEVBOX_VM_ARCHIVES:-$CACHE/initramfs}
mkdir -p "$A" "$(dirname "$out")"

newc() {	# newc DIR: the tree as a newc cpio archive on stdout, owned by root
	(cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet)
}
pad4() {	# pad4 FILE: the next archive's header must start 4-byte aligned
	truncate -s $(( ($(stat -c %s "$1") + 3) / 4 * 4 )) "$1"
}
with_libs() {	# with_libs ROOT SRC DEST [LIBPATH]: executable plus its shared libraries
	local root=$1 src=$2 dest=$3 lp=${4:-} lib
	install -D -m 755 "$src" "$root$dest"
	for lib in $(LD_LIBRARY_PATH=$lp ldd "$src" 2>/dev/null | awk '/=> \// { print $3 } /^\t\// { print $1 }'); do
		[ -e "$root$lib" ] && continue
		# a library the downloaded udev brought goes where its RUNPATH expects it
		local from=$lib
		[ -n "$lp" ] && [ -e "$lp/$(basename "$lib")" ] && from=$lp/$(basename "$lib")
		install -D -m 755 "$(readlink -f "$from")" "$root$lib"
	done
}
scratch=$(mktemp -d /tmp/uevbox-vm-initrd.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

# --- tools archive ------------------------------------------------------------
bb=$(command -v busybox)
key=$(cat "$0" "$bb" "$(command -v kmod)" "$U/bin/udevadm" | sha256sum | cut -c1-12)
tools=$A/tools-$key.cpio
if [ ! -s "$tools" ]; then
	echo "mkinitramfs: building $tools" >&2
	r=$scratch/tools
	mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,lib/modules,etc,proc,sys,dev,run,tmp,root}
	# kmod first: its names must win over busybox's applets of the same name
	with_libs "$r" "$(command -v kmod)" /bin/kmod
	for t in modprobe insmod rmmod lsmod modinfo depmod; do ln -s /bin/kmod "$r/sbin/$t"; done
	install -m 755 "$bb" "$r/bin/busybox"
	for a in $("$bb" --list-full); do
		[ -e "$r/$a" ] || [ -L "$r/$a" ] || ln -s /bin/busybox "$r/$a"
	done
	# module configuration as Debian ships it (aliases, the fbdev blacklist)
	mkdir -p "$r/lib/modprobe.d"
	for f in /lib/modprobe.d/aliases.conf /lib/modprobe.d/fbdev-blacklist.conf; do
		if [ -e "$f" ]; then cp "$f" "$r/lib/modprobe.d/"; fi
	done
	# systemd-udevd (the udev package's udevadm under another name) and the
	# rules Debian's initramfs-tools hook installs, plus their helpers.
	lp=$U/usr/lib/x86_64-linux-gnu/systemd
	with_libs "$r" "$U/bin/udevadm" /bin/udevadm "$lp"
	mkdir -p "$r/lib/systemd/network" "$r/lib/udev/rules.d" "$r/etc/udev"
	ln -s /bin/udevadm "$r/lib/systemd/systemd-udevd"
	for h in ata_id scsi_id cdrom_id; do
		if [ -e "$U/lib/udev/$h" ]; then with_libs "$r" "$U/lib/udev/$h" "/lib/udev/$h" "$lp"; fi
	done
	for f in 50-firmware 50-udev-default 60-block 60-persistent-storage 71-seat \
		73-special-net-names 75-net-description 80-drivers 80-net-setup-link; do
		if [ -e "$U/lib/udev/rules.d/$f.rules" ]; then cp "$U/lib/udev/rules.d/$f.rules" "$r/lib/udev/rules.d/"; fi
	done
	cp "$U"/lib/systemd/network/*.link "$r/lib/systemd/network/" 2>/dev/null || true
	if [ -e "$U/etc/udev/udev.conf" ]; then cp "$U/etc/udev/udev.conf" "$r/etc/udev/"; fi
	if command -v blkid >/dev/null; then with_libs "$r" "$(command -v blkid)" /sbin/blkid; fi
	echo 'root:x:0:0:root:/root:/bin/sh' > "$r/etc/passwd"
	printf '%s\n' root:x:0: tty:x:5: disk:x:6: kmem:x:15: dialout:x:20: cdrom:x:24: \
		tape:x:26: audio:x:29: video:x:44: input:x:105: kvm:x:106: render:x:107: \
		sgx:x:108: > "$r/etc/group"
	newc "$r" > "$tools.tmp"
	pad4 "$tools.tmp"
	mv "$tools.tmp" "$tools"
	rm -rf "$r"
	find "$A" -name 'tools-*' ! -name "$(basename "$tools")" -delete	# stale keys
fi

# --- module archive -------------------------------------------------------------
mkey=$(cat "$0" "$K/modules.dep" | sha256sum | cut -c1-12)
mods=$A/modules-$KVER-$layout-$mkey.cpio
if [ ! -s "$mods" ]; then
	echo "mkinitramfs: building $mods" >&2
	r=$scratch/mods
	mkdir -p "$r/lib/modules"
	cp -a "$K" "$r/lib/modules/"
	if [ "$layout" = gz ]; then
		m=$r/lib/modules/$KVER
		# the alternation of the chosen directories, as a regex
		alt=$(echo "$GZ_DIRS" | sed 's/ /|/g')
		n=0
		while IFS= read -r p; do	# p = kernel/DIR/.../NAME.ko
			q=kgz/${p#kernel/}.gz
			mkdir -p "$m/$(dirname "$q")"
			gzip -n -6 -c "$m/$p" > "$m/$q"
			rm "$m/$p"
			n=$((n + 1))
		done < <(cd "$m" && find kernel -name '*.ko' | grep -E "^kernel/($alt)/" | LC_ALL=C sort)
		# Same-length rewrite of every path under those directories, in the
		# text index and in the binary one.  A path in modules.dep(.bin) ends
		# at ':', ' ', NUL or the end of a line.
		for f in modules.dep modules.dep.bin; do
			c=$(perl -0777 -pi -e '
				BEGIN { $n = 0 }
				$n += s{kernel/((?:'"$alt"')/[^\0 :\n]+\.ko)(?=[\0 :\n])}{kgz/$1.gz}g;
				END { print STDERR "$n\n" }' "$m/$f" 2>&1 >/dev/null)
			eval "count_${f//./_}=$c"
		done
		# Every module line and every dependency mention changed in both files
		# alike, and each renamed module is named on its own line once.
		own=$(grep -c '^kgz/' "$m/modules.dep")
		# shellcheck disable=SC2154
		if [ "$count_modules_dep" != "$count_modules_dep_bin" ] || [ "$own" != "$n" ]; then
			echo "mkinitramfs: index rewrite inconsistent: $n files gzipped, $own module lines," \
				"$count_modules_dep text and $count_modules_dep_bin binary paths rewritten" >&2
			exit 1
		fi
		# kmod reads the patched binary index and finds the new names.
		probe=$(grep -m1 '^kgz/.*: kernel/' "$m/modules.dep" | sed 's,.*/\([^/]*\)\.ko\.gz:.*,\1,')
		if [ -n "$probe" ]; then
			want=$(modprobe -d "$r" -S "$KVER" --show-depends "$probe" | tail -n 1 | awk '{ print $2 }')
			case $want in */kgz/*.ko.gz) ;; *)
				echo "mkinitramfs: kmod reads '$want' for $probe from the patched index" >&2; exit 1 ;;
			esac
			[ -e "$want" ] || { echo "mkinitramfs: $want is missing" >&2; exit 1; }
		fi
		echo "mkinitramfs: gzipped $n modules under kgz/ ($count_modules_dep paths rewritten)" >&2
	fi
	newc "$r" > "$mods.tmp"
	pad4 "$mods.tmp"
	mv "$mods.tmp" "$mods"
	rm -rf "$r"
	# drop archives made for another kernel or by an older version of this script
	find "$A" -name "modules-*-$layout-*" ! -name "$(basename "$mods")" -delete
fi

# --- input archive ---------------------------------------------------------------
# libinput is an ordinary dynamic glibc program: the libraries ldd names go
# in at the paths the loader searches.  Those the downloaded packages carry
# are taken from there (not from the host, which may have other versions
# or none) and put in /usr/lib/x86_64-linux-gnu, the rest (libc, libm, libffi,
# libpcre2, the loader itself) at the host path ldd printed.
lib_input() {	# lib_input ROOT SRC DEST
	local root=$1 src=$2 dest=$3 lp=$LI/usr/lib/x86_64-linux-gnu lib to
	install -D -m 755 "$src" "$root$dest"
	LD_LIBRARY_PATH=$lp ldd "$src" > "$scratch/ldd" 2>&1 ||
		{ echo "mkinitramfs: ldd $src failed" >&2; exit 1; }
	if grep -q 'not found' "$scratch/ldd"; then
		echo "mkinitramfs: $src: $(grep 'not found' "$scratch/ldd" | tr -s '\t\n' '  ')" >&2; exit 1
	fi
	for lib in $(awk '/=> \// { print $3 } /^\t\// { print $1 }' "$scratch/ldd"); do
		to=$lib
		case $lib in "$lp"/*) to=/usr/lib/x86_64-linux-gnu/${lib##*/} ;; esac
		[ -e "$root$to" ] || install -D -m 755 "$(readlink -f "$lib")" "$root$to"
	done
}
ikey=$(cat "$0" "$LI/usr/bin/libinput" "$LI/usr/libexec/libinput/libinput-list-devices" \
	"$LI"/usr/lib/x86_64-linux-gnu/*.so.* | sha256sum | cut -c1-12)
input=$A/input-$ikey.cpio
if [ ! -s "$input" ]; then
	echo "mkinitramfs: building $input" >&2
	r=$scratch/input
	mkdir -p "$r/usr/share"
	lib_input "$r" "$LI/usr/bin/libinput" /usr/bin/libinput
	# the dispatcher runs /usr/libexec/libinput/libinput-COMMAND
	lib_input "$r" "$LI/usr/libexec/libinput/libinput-list-devices" \
		/usr/libexec/libinput/libinput-list-devices
	# device quirks (libinput-bin) and the tablet database (libwacom-common)
	cp -a "$LI/usr/share/libinput" "$LI/usr/share/libwacom" "$r/usr/share/"
	newc "$r" > "$input.tmp"
	pad4 "$input.tmp"
	mv "$input.tmp" "$input"
	rm -rf "$r"
	find "$A" -name 'input-*' ! -name "$(basename "$input")" -delete
fi

# --- overlay ------------------------------------------------------------------
r=$scratch/overlay
install -D -m 755 "$HERE/guest/init" "$r/init"
mkdir -p "$r/vmtest"
cp "$HERE"/guest/*.sh "$HERE"/guest/*.conf "$r/vmtest/" 2>/dev/null || cp "$HERE"/guest/*.sh "$r/vmtest/"
[ "$layout" = gz ] && echo "$GZ_DIRS" > "$r/vmtest/gz-dirs"
echo "$layout" > "$r/vmtest/layout"
[ -n "$list" ] && cp "$list" "$r/vmtest/floor.list"
[ -n "$uevbox" ] && install -D -m 755 "$uevbox" "$r/bin/uevbox"
newc "$r" > "$scratch/overlay.cpio"

{ cat "$tools" "$mods" "$input"; cat "$scratch/overlay.cpio"; } > "$out.tmp"
mv "$out.tmp" "$out"
echo "mkinitramfs: $out ($(du -m "$out" | cut -f1) MiB, kernel $KVER, layout $layout${uevbox:+, uevbox $uevbox})" >&2
