#!/bin/sh
# deps.sh — make sure the toolchain uevbox builds with is here, and print
# the make variables that point at it.  Idempotent and cached: the second
# run installs nothing and builds nothing.
#
#   musl-gcc     from Debian's musl-tools
#   kernel hdrs  musl-gcc sees no /usr/include, so we hand it a directory of
#                symlinks to the linux/, asm/ and asm-generic/ header trees
#   zlib         Debian's own source package, built static with musl-gcc
#
# Nothing is downloaded except through apt from the configured Debian
# archive.  The cache lives outside the work tree so a fresh clone (CI)
# reuses it: $UEVBOX_CACHE, default /var/cache/uevbox.
set -eu
cache=${UEVBOX_CACHE:-/var/cache/uevbox}
say() { echo "deps: $*" >&2; }

need_pkg() {	# need_pkg COMMAND PACKAGE...
	command -v "$1" >/dev/null 2>&1 && return 0
	shift
	say "installing $*"
	if [ "$(id -u)" != 0 ]; then say "not root: install $* yourself"; exit 1; fi
	apt-get install -y -q "$@" >&2 || { apt-get update -q >&2 && apt-get install -y -q "$@" >&2; }
}

need_pkg gcc gcc
need_pkg musl-gcc musl-tools
need_pkg dpkg-source dpkg-dev

mkdir -p "$cache"
kinc=$cache/kinc
if [ ! -e "$kinc/linux/netlink.h" ]; then
	arch=$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)
	[ -e /usr/include/linux/netlink.h ] || need_pkg /usr/include/linux/netlink.h linux-libc-dev
	mkdir -p "$kinc"
	ln -sfn /usr/include/linux "$kinc/linux"
	ln -sfn /usr/include/asm-generic "$kinc/asm-generic"
	ln -sfn "/usr/include/$arch/asm" "$kinc/asm"
fi

zdir=$cache/zlib-musl
if [ ! -f "$zdir/libz.a" ]; then
	# apt-get source needs a deb-src line; derive it from the deb lines
	# already configured so we use exactly the archive this machine uses.
	if ! grep -rqs '^\(Types:.*deb-src\|deb-src \)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		say "adding deb-src entries mirroring the configured deb ones"
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -f "$f" ] || continue
			sed 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb-src/' "$f" \
				> "/etc/apt/sources.list.d/uevbox-src-$(basename "$f")"
		done
		if [ -f /etc/apt/sources.list ]; then
			sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > /etc/apt/sources.list.d/uevbox-src.list
		fi
		apt-get update -q >&2
	fi
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	say "building zlib from Debian's source package with musl-gcc"
	(cd "$tmp" && apt-get source -q zlib >&2)
	src=$(find "$tmp" -maxdepth 1 -type d -name 'zlib-*' | head -n 1)
	[ -n "$src" ] || { say "apt-get source zlib gave no source tree"; exit 1; }
	(cd "$src" && CC=musl-gcc CFLAGS="-Os -fPIC -ffunction-sections -fdata-sections" \
		./configure --static >&2 && make -j2 libz.a >&2)
	mkdir -p "$zdir.tmp"
	cp "$src/libz.a" "$src/zlib.h" "$src/zconf.h" "$zdir.tmp/"
	ls "$tmp"/*.dsc | sed 's,.*/,,' > "$zdir.tmp/SOURCE"
	rm -rf "$zdir" && mv "$zdir.tmp" "$zdir"
fi

echo "KINC=$kinc"
echo "ZDIR=$zdir"
