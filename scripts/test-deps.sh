#!/bin/sh
# test-deps.sh — install (as root, from Debian, once) what the tests drive
# besides uevbox: mkfs tools and partitioners for the block-probe fixtures,
# libudev and udevadm as clients (the udev package's daemon is never
# started), iproute2 and util-linux for namespaces and loop devices, kmod
# for depmod/modprobe comparisons.  Without root it only says what is
# missing; the tests that need it then skip, saying why.
pkgs="make gcc iproute2 util-linux file kmod e2fsprogs dosfstools exfatprogs
      btrfs-progs xfsprogs f2fs-tools squashfs-tools xorriso cryptsetup-bin fdisk
      gdisk libudev-dev udev $*"
missing=
for p in $pkgs; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -n "$missing" ] || exit 0
if [ "$(id -u)" != 0 ]; then
	echo "test-deps: not root; missing:$missing (tests needing them will skip)" >&2
	exit 0
fi
echo "test-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101: packages must not start daemons here (udev's postinst)
prc=/usr/sbin/policy-rc.d
if [ ! -e $prc ]; then
	printf '#!/bin/sh\nexit 101\n' > $prc && chmod 755 $prc && trap 'rm -f $prc' EXIT
fi
apt-get install -y -q $missing >&2 || { apt-get update -q >&2 && apt-get install -y -q $missing >&2; }
