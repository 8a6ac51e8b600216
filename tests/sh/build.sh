# build.sh — the product as shipped: static, installs with its links, and a
# minimal config builds and works on its own.
. ./lib.sh
top=$(cd ../.. && pwd)
# make check runs us from make: its command-line variables (BIN=, B=) would
# reach the nested makes below through MAKEFLAGS and retarget them.
unset MAKEFLAGS MFLAGS MAKELEVEL

if command -v file >/dev/null; then
	check static_binary contains "$(file -L "$UEVBOX")" "statically linked"
else
	check static_binary sh -c "! readelf -l '$UEVBOX' | grep -q INTERP"
fi

if make -s -C "$top" install DESTDIR="$TMPD/root" PREFIX=/usr B="${B:-build}" BIN="$UEVBOX" > "$TMPD/install.log" 2>&1; then
	check install_binary [ -x "$TMPD/root/usr/bin/uevbox" ]
	ok=1
	for a in $("$UEVBOX" --list); do
		[ "$(readlink "$TMPD/root/usr/bin/$a")" = uevbox ] || ok=0
		"$TMPD/root/usr/bin/$a" --help > /dev/null || ok=0
	done
	check install_links_dispatch [ $ok = 1 ]
else
	fail install "make install failed: $(tail -n 3 "$TMPD/install.log")"
fi

if make -s -C "$top" B="$TMPD/min" BIN="$TMPD/min/uevbox" CONFIG=configs/minimal > "$TMPD/min.log" 2>&1; then
	expect_eq minimal_applets "$("$TMPD/min/uevbox" --list | tr '\n' ' ')" \
		"$(sed -n 's/^APPLETS *= *//p' "$top/configs/minimal" | tr ' ' '\n' | sort | tr '\n' ' ')"
	check minimal_runs sh -c "\"$TMPD/min/uevbox\" uevdump --help > /dev/null"
	err=$("$TMPD/min/uevbox" netwatch 2>&1); rc=$?
	check minimal_unknown_applet [ $rc = 2 ]
	check minimal_unknown_named contains "$err" "netwatch: no such applet"
else
	fail minimal_build "$(tail -n 5 "$TMPD/min.log")"
fi

# the README shows each applet's synopsis exactly as its --help does
for a in $("$UEVBOX" --list); do
	u=$("$UEVBOX" "$a" --help | head -n 1 | sed 's/^usage: //')
	check "readme_synopsis_$a" grep -qF -- "$u" "$top/README.md"
done
