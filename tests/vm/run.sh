#!/bin/bash
# run.sh — the end-to-end VM test (make check-vm): uevbox loads, in a real
# kernel with a realistic device set, exactly the modules kmod's modprobe
# loads for the same modaliases, and makes the device nodes.
#
# usage: run.sh -b UEVBOX [-o OUTDIR] [-K] [STAGE...]
#   STAGE  kmod           reference: kmod's modprobe per modalias to a fixpoint
#                         (plain module tree; always runs first).  It does not
#                         depend on uevbox: a previous reference is reused when
#                         the kernel, module archive, tools archive, qemu and
#                         the scripts it ran are the same (-K: run it anyway)
#          modalias-load  uevbox modalias-load -S, repeated to a fixpoint
#          replay         uevbox coldplug -R -r ROOT
#          trigger        uevbox uevd -r ROOT -D 3 & uevbox coldplug -w -t 120 -r ROOT
#          daemon         uevbox uevd -C -r ROOT -D 3 (the daemon's own coldplug)
#          libinput       uevbox uevd -C -U -r /dev -D 3 as the only device
#                         manager, then Debian's `libinput list-devices`
#                         (a libudev client) on what uevd published
#   (default: all of them; the kmod reference runs only when a stage that
#   compares with it is asked for).  uevbox stages boot the "gz" image, where a part
#   of the module tree is .ko.gz (see mkinitramfs.sh), and are skipped with a
#   reason when the binary lacks an applet they use (uevbox --list).
# For each uevbox stage:
#   STAGE/modules  the loaded set equals the reference's (missing and extra
#                  modules are named)
#   STAGE/gz       some loaded module came from a .ko.gz file
#   STAGE/nodes    (replay, trigger, daemon) every /sys/dev entry has its node under
#                  ROOT with the right type and number
# For the libinput stage instead:
#   libinput/keyboard  the emulated keyboards (usb-kbd, virtio-keyboard) and
#                  every other evdev device named "...keyboard" are listed by
#                  libinput with their /dev/input/eventN and the capability
#                  "keyboard"
#   libinput/mouse the emulated mice and tablets (usb-mouse, usb-tablet,
#                  virtio-mouse, virtio-tablet) and every other "...Mouse" or
#                  "...Tablet" device, with the capability "pointer"
# Prints "N passed, N failed, N skipped"; exit 1 if anything failed.
# Only one VM runs at a time (TCG on a shared machine).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
uevbox='' outdir=${UEVBOX_VM_OUT:-$HERE/out} rerun=
while getopts "b:o:Kh" o; do
	case $o in
	b) uevbox=$OPTARG ;; o) outdir=$OPTARG ;; K) rerun=1 ;;
	*) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ -n "$uevbox" ] || { echo "run: -b UEVBOX is required" >&2; exit 2; }
uevbox=$(readlink -f "$uevbox")
stages=${*:-kmod modalias-load replay trigger daemon libinput}
mkdir -p "$outdir"
export UEVBOX_VM_OUT=$outdir
res=$outdir/results.txt
: > "$res"
pass() { echo "pass vm/$1" >> "$res"; echo "  ok   $1${2:+: $2}"; }
fail() { echo "fail vm/$1: $2" >> "$res"; echo "  FAIL $1: $2"; }
skip() { echo "skip vm/$1: $2" >> "$res"; echo "  skip $1: $2"; }
field() { sed -n "s/^RESULT .*[ ]$2=\([^ ]*\).*/\1/p" "$1" | head -n 1; }
words() { tr '\n' ' ' | sed 's/ $//'; }
# short: the first 12 words of stdin, then how many more
short() { awk '{ w[NR] = $0 } END { for (i = 1; i <= NR && i <= 12; i++) printf "%s%s", (i > 1 ? " " : ""), w[i]
	if (NR > 12) printf " ... (%d in all)", NR }'; }

applets=$("$uevbox" --list 2>/dev/null) || { echo "run: $uevbox --list failed" >&2; exit 2; }
needs() {	# needs STAGE: the applets a stage runs
	case $1 in modalias-load) echo modalias-load ;; replay) echo coldplug ;;
	trigger) echo uevd coldplug ;; daemon|libinput) echo uevd ;; esac
}

echo "== images"
"$HERE/mkinitramfs.sh" -l gz -b "$uevbox" || { echo "run: mkinitramfs failed" >&2; exit 1; }
CACHE=${UEVBOX_VM_CACHE:-/var/cache/uevbox/vm}
# what the reference run depends on (archive names carry their content keys)
refkey=$( { cat "$CACHE/kernel/KVER" "$HERE/boot.sh" "$HERE/guest/init" "$HERE/guest/lib.sh" \
	"$HERE/guest/kmod.sh" "$HERE/mkinitramfs.sh"
	ls "${UEVBOX_VM_ARCHIVES:-$CACHE/initramfs}" | grep '^tools-'
	qemu-system-x86_64 --version; } | sha256sum | cut -c1-16)

boot() {	# boot STAGE IMAGE: one VM run, output in $outdir/STAGE.txt
	local t=$1 img=$2
	echo "-- $t (image $img)"
	"$HERE/boot.sh" -i "$outdir/initrd-$img.img" -t "$t" -o "$outdir/$t.txt" -T "${UEVBOX_VM_TIMEOUT:-300}"
}

# check_libinput OUT: per device class, every expected evdev device (the
# guest's INPUTDEV lines: eventN NAME) is in libinput's list (LIDEV lines:
# /dev/input/eventN CAPS | NAME) with the class's capability.
check_libinput() {
	local out=$1 class cap names pat want dev name got missing n
	sed -n 's/^LIDEV //p' "$out" | sed 's/^/     libinput: /'
	for class in keyboard mouse; do
		case $class in
		keyboard) cap=keyboard pat='[Kk]eyboard'
			names='QEMU QEMU USB Keyboard|QEMU Virtio Keyboard' ;;
		mouse) cap=pointer pat='Mouse|Tablet'
			names='QEMU QEMU USB Mouse|QEMU QEMU USB Tablet|QEMU Virtio Mouse|QEMU Virtio Tablet' ;;
		esac
		missing='' n=0
		# the emulated devices of boot.sh's set must exist at all
		want=$names
		while [ -n "$want" ]; do
			name=${want%%|*}
			[ "$want" = "$name" ] && want='' || want=${want#*|}
			grep -qxF "$name" < <(sed -n 's/^INPUTDEV [^ ]* //p' "$out") ||
				missing="$missing; no evdev device '$name' in the guest"
		done
		while read -r dev name; do
			n=$((n + 1))
			got=$(awk -v d="/dev/input/$dev" '$1 == "LIDEV" && $2 == d' "$out")
			if [ -z "$got" ]; then missing="$missing; $dev ($name) not listed"
			elif ! awk -v c="$cap" '{ for (i = 3; i <= NF && $i != "|"; i++) if ($i == c) f = 1 } END { exit !f }' <<< "$got"; then
				missing="$missing; $dev ($name) listed without '$cap': ${got#LIDEV }"
			fi
		done < <(sed -n 's/^INPUTDEV //p' "$out" | grep -E " .*($pat)")
		if [ -z "$missing" ] && [ "$n" -gt 0 ]; then
			pass "libinput/$class" "$n devices listed with '$cap': $(sed -n 's/^INPUTDEV //p' "$out" |
				grep -E " .*($pat)" | cut -d' ' -f2- | paste -sd, | sed 's/,/, /g')"
		else
			fail "libinput/$class" "${missing#; }"
		fi
	done
}

ref=$outdir/kmod.txt
needref=
for t in $stages; do
	case $t in kmod|modalias-load|replay|trigger|daemon) needref=1 ;; esac
done
echo "== kmod reference"
if [ -z "$needref" ]; then
	echo "   not needed by the stages asked for ($stages)"
	refok=-
elif [ -z "$rerun" ] && [ "$(cat "$outdir/kmod.key" 2>/dev/null)" = "$refkey" ] && grep -q '^RESULT ' "$ref"; then
	echo "   reusing the reference of $(date -r "$ref" '+%F %T') (same kernel, modules, tools, qemu, scripts; -K reruns it)"
	refok=1
else
	rm -f "$outdir/kmod.key"
	"$HERE/mkinitramfs.sh" -l plain -b "$uevbox" || { echo "run: mkinitramfs failed" >&2; exit 1; }
	refok=
	if boot kmod plain; then refok=1; echo "$refkey" > "$outdir/kmod.key"; fi
fi
if [ "$refok" = - ]; then
	:
elif [ -n "$refok" ] && [ "$(field "$ref" mods)" -gt 0 ] 2>/dev/null; then
	sed -n 's/^MOD //p' "$ref" | sort > "$outdir/kmod.mods"
	sed -n 's/^ALIAS //p' "$ref" | sort > "$outdir/kmod.aliases"
	pass kmod/reference "$(field "$ref" mods) modules for $(field "$ref" aliases) modaliases, $(field "$ref" passes) passes"
else
	fail kmod/reference "no module set from kmod (see $outdir/kmod.txt.serial)"
	rm -f "$outdir/kmod.mods"
fi

for t in $stages; do
	[ "$t" = kmod ] && continue
	case $t in modalias-load|replay|trigger|daemon|libinput) ;; *) fail "$t" "no such stage"; continue ;; esac
	echo "== $t"
	lacking=
	for a in $(needs "$t"); do
		grep -qx "$a" <<< "$applets" || lacking="$lacking $a"
	done
	if [ -n "$lacking" ]; then
		skip "$t" "the binary under test lacks applet(s)$lacking (uevbox --list)"
		continue
	fi
	out=$outdir/$t.txt
	boot "$t" gz; brc=$?
	# the guest's notes, and any stray line (a shell error in a guest script)
	grep -vE '^(RESULT|ALIAS|MOD|GZMOD|NODES|BADNODE|INPUTDEV|LIDEV) |^INFO libinput: |^@@UEVBOX-VM' \
		"$out" 2>/dev/null | cut -c1-200 | sed 's/^/     /'
	if grep -q '^SKIP ' "$out"; then skip "$t" "$(sed -n 's/^SKIP //p' "$out" | head -n 1)"; continue; fi
	if [ "$brc" != 0 ] || ! grep -q '^RESULT ' "$out"; then
		fail "$t/boot" "the VM run did not complete (boot.sh exit $brc; $out.serial)"; continue
	fi
	if grep -q '^ERROR ' "$out"; then fail "$t/guest" "$(sed -n 's/^ERROR //p' "$out" | words)"; fi
	echo "     $(grep '^RESULT ' "$out")"
	if [ "$t" = libinput ]; then check_libinput "$out"; continue; fi
	if [ -f "$outdir/kmod.mods" ]; then
		sed -n 's/^MOD //p' "$out" | sort > "$outdir/$t.mods"
		sed -n 's/^ALIAS //p' "$out" | sort > "$outdir/$t.aliases"
		# the verdict comes from the counts; the names are only for the message
		nmiss=$(comm -23 "$outdir/kmod.mods" "$outdir/$t.mods" | wc -l)
		nextra=$(comm -13 "$outdir/kmod.mods" "$outdir/$t.mods" | wc -l)
		missing=$(comm -23 "$outdir/kmod.mods" "$outdir/$t.mods" | short)
		extra=$(comm -13 "$outdir/kmod.mods" "$outdir/$t.mods" | short)
		if [ "$nmiss" = 0 ] && [ "$nextra" = 0 ] && [ -s "$outdir/$t.mods" ]; then
			pass "$t/modules" "$(wc -l < "$outdir/$t.mods") modules, the same as kmod's"
		else
			a_only=$(comm -23 "$outdir/kmod.aliases" "$outdir/$t.aliases" | wc -l)
			b_only=$(comm -13 "$outdir/kmod.aliases" "$outdir/$t.aliases" | wc -l)
			fail "$t/modules" "$nmiss missing [${missing}], $nextra extra [${extra}] (modaliases only in the kmod run: $a_only, only here: $b_only)"
		fi
	else
		fail "$t/modules" "no kmod reference to compare with"
	fi
	ngz=$(grep -c '^GZMOD ' "$out")
	if [ "$ngz" -gt 0 ]; then pass "$t/gz" "$ngz modules loaded from .ko.gz"
	else fail "$t/gz" "no module was loaded from a .ko.gz file"; fi
	case $t in replay|trigger)	# both say rc=N: their exit status
		rc=$(sed -n 's/^RESULT .* rc=\([0-9]*\).*/\1/p' "$out")
		if [ "$rc" = 0 ]; then pass "$t/exit" "exit status 0 (drivers answering ENODEV are said, not failures)"
		else fail "$t/exit" "exit status ${rc:-unknown}; its messages are above"; fi ;;
	esac
	case $t in replay|trigger|daemon)
		nodes=$(grep '^NODES ' "$out")
		ok=$(sed -n 's/^NODES ok=\([0-9]*\).*/\1/p' <<< "$nodes")
		bad=$(sed -n 's/^NODES .*bad=\([0-9]*\).*/\1/p' <<< "$nodes")
		if [ -n "$ok" ] && [ "$ok" -gt 0 ] && [ "$bad" = 0 ]; then
			pass "$t/nodes" "$ok device nodes, each with the right type and number"
		else
			fail "$t/nodes" "${nodes:-no node check}; $(grep '^BADNODE ' "$out" | head -n 5 | sed 's/^BADNODE //' | tr '\n' ';')"
		fi ;;
	esac
done

p=$(grep -c '^pass ' "$res"); f=$(grep -c '^fail ' "$res"); k=$(grep -c '^skip ' "$res")
if [ "$k" != 0 ]; then echo "skipped:"; sed -n 's/^skip /  /p' "$res"; fi
if [ "$f" != 0 ]; then echo "failed:"; sed -n 's/^fail /  /p' "$res"; fi
echo "$p passed, $f failed, $k skipped"
[ "$f" = 0 ]
