#!/bin/bash
# setup.sh — host side of the VM test: tools and a cache holding Debian's
# kernel (with its modules) and Debian's udev, neither ever installed here.
#
# Idempotent: once the cache is filled it touches nothing and prints the
# kernel version.  Cache layout ($UEVBOX_VM_CACHE, default /var/cache/uevbox/vm;
# outside the work tree so a new checkout or CI runner reuses it):
#   debs/                      the .deb files apt-get downloaded
#   kernel/boot/vmlinuz-KVER   Debian's kernel
#   kernel/lib/modules/KVER    its modules, indexed by depmod here
#   kernel/KVER                the version string
#   udev/                      udev + libsystemd-shared unpacked (dpkg -x): the
#                              systemd-udevd baseline, run only inside the VM
#
# Env: UEVBOX_VM_CACHE; UEVBOX_VM_KPKG to pin a linux-image package name.
# Must run as root (apt-get).
set -euo pipefail
CACHE=${UEVBOX_VM_CACHE:-/var/cache/uevbox/vm}
say() { echo "vm-setup: $*" >&2; }

# 1. Host tools.  qemu under TCG; cpio builds the initramfs; busybox-static
#    is the guest's shell and the mdev baseline; kmod is the guest's reference
#    modprobe and our depmod; sfdisk and mkfs.ext4 make the guests' disk;
#    perl rewrites the binary module index.  Install only what is missing.
missing=()
for want in qemu-system-x86_64:qemu-system-x86 cpio:cpio kmod:kmod depmod:kmod \
	sfdisk:fdisk mkfs.ext4:e2fsprogs perl:perl-base; do
	command -v "${want%%:*}" >/dev/null 2>&1 || missing+=("${want#*:}")
done
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' ||
	missing+=(busybox-static)
apt_updated=
apt_update() { [ -n "$apt_updated" ] || { apt-get update -qq >&2; apt_updated=1; }; }
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] || { say "not root: install ${missing[*]} yourself"; exit 1; }
	say "installing ${missing[*]}"
	apt_update
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >&2
fi
# The guest needs a busybox that runs without shared libraries.
bb=$(command -v busybox)
if ldd "$bb" >/dev/null 2>&1; then say "$bb is dynamically linked (need busybox-static)"; exit 1; fi

mkdir -p "$CACHE/debs"
download() {	# download PKG[=VERSION]...: into debs/, unless a .deb is there
	local p todo=()
	for p in "$@"; do
		local name=${p%%=*} ver=
		[ "$name" != "$p" ] && ver=_${p#*=}
		ver=${ver//:/%3a}
		compgen -G "$CACHE/debs/${name}${ver:-_}*.deb" >/dev/null || todo+=("$p")
	done
	[ ${#todo[@]} -eq 0 ] && return 0
	apt_update
	say "downloading ${todo[*]}"
	(cd "$CACHE/debs" && apt-get download -q "${todo[@]}" 2>&1 |
		grep -v 'unsandboxed' >&2 || true)
	for p in "${todo[@]}"; do
		local name=${p%%=*}
		compgen -G "$CACHE/debs/${name}_*.deb" >/dev/null ||
			{ say "apt-get download $p gave no .deb"; exit 1; }
	done
}

# 2. The kernel: whatever linux-image-amd64 currently depends on.
if [ ! -s "$CACHE/kernel/KVER" ]; then
	pkg=${UEVBOX_VM_KPKG:-}
	if [ -z "$pkg" ]; then
		apt_update
		pkg=$(apt-cache depends linux-image-amd64 |
			awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
	fi
	[ -n "$pkg" ] || { say "cannot tell which linux-image package is current"; exit 1; }
	download "$pkg"
	rm -rf "$CACHE/kernel.new"
	deb=$(ls "$CACHE/debs/${pkg}"_*.deb | tail -n 1)
	say "unpacking $(basename "$deb")"
	dpkg -x "$deb" "$CACHE/kernel.new"
	kver=$(ls "$CACHE/kernel.new/lib/modules")
	[ -r "$CACHE/kernel.new/boot/vmlinuz-$kver" ] || { say "no vmlinuz-$kver in $deb"; exit 1; }
	# The package carries no index (its postinst runs depmod); make it here.
	depmod -b "$CACHE/kernel.new" "$kver"
	echo "$kver" > "$CACHE/kernel.new/KVER"
	rm -rf "$CACHE/kernel"
	mv "$CACHE/kernel.new" "$CACHE/kernel"
fi
kver=$(cat "$CACHE/kernel/KVER")

# 3. udev for the systemd-udevd baseline.  systemd-udevd links a private
#    library (libsystemd-shared-VER.so) whose ABI is tied to the exact build,
#    so take both packages at one version and unpack them side by side;
#    mkinitramfs.sh resolves the other shared libraries from the host.
if [ ! -x "$CACHE/udev/bin/udevadm" ]; then
	apt_update
	uver=$(apt-cache policy udev | awk '$1 == "Candidate:" { print $2 }')
	[ -n "$uver" ] && [ "$uver" != "(none)" ] || { say "no udev candidate in apt"; exit 1; }
	download "udev=$uver" "libsystemd-shared=$uver"
	rm -rf "$CACHE/udev.new"
	for p in udev libsystemd-shared; do
		dpkg -x "$(ls "$CACHE/debs/${p}_${uver//:/%3a}"_*.deb | tail -n 1)" "$CACHE/udev.new"
	done
	rm -rf "$CACHE/udev"
	mv "$CACHE/udev.new" "$CACHE/udev"
fi

[ -n "$apt_updated" ] && say "kernel $kver: $(find "$CACHE/kernel/lib/modules/$kver" -name '*.ko*' | wc -l) modules; udev $(ls "$CACHE/debs" | sed -n 's/^udev_\([^_]*\)_.*/\1/p' | tail -n 1)"
echo "$kver"
