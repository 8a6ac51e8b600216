# lib.sh — sourced by every tests/sh/*.sh.  Results are lines appended to
# $RESULTS ("pass|fail|skip NAME: detail"); run.sh counts them.
# $UEVBOX is the binary under test; $TMPD a scratch dir removed afterwards.
: "${UEVBOX:?UEVBOX must name the binary under test}"
: "${RESULTS:=/dev/null}"
T_FILE=$(basename "$0" .sh)

pass() { echo "pass $T_FILE/$1" >> "$RESULTS"; echo "  ok   $1"; }
fail() { echo "fail $T_FILE/$1: $2" >> "$RESULTS"; echo "  FAIL $1: $2"; }
skip() { echo "skip $T_FILE/$1: $2" >> "$RESULTS"; echo "  skip $1: $2"; }

# check NAME CONDITION-COMMAND... : pass if the command succeeds.
check() { n=$1; shift; if "$@"; then pass "$n"; else fail "$n" "failed: $*"; fi; }

# expect_eq NAME GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}

# contains HAYSTACK NEEDLE
contains() { case "$1" in *"$2"*) return 0;; esac; return 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# fake_module KODIR NAME "modinfo key=value ..." "exported symbols" "imported symbols"
# A relocatable object (KODIR/NAME.ko) with what depmod reads: .modinfo
# strings ('~' stands for a blank inside a value), __ksymtab_strings for
# exports, undefined symbols for imports.  Needs gcc.
# sysfs_index SYSFS: link every device of a fixture tree (a directory
# under SYSFS/devices with a subsystem link) from its bus's devices/ or its
# class's directory, as the kernel does: uevbox lists devices from there.
sysfs_index() {
	find "$1/devices" -name subsystem -type l | while read -r l; do
		d=${l%/subsystem}
		t=$(readlink -m "$l")
		case $t in */bus/*) t=$t/devices ;; esac
		mkdir -p "$t"
		ln -sfn "$(realpath --relative-to="$t" "$d")" "$t/${d##*/}"
	done
}

fake_module() {
	fm_dir=$1 fm_n=$2 fm_c=$TMPD/fake_module_$2.c fm_k=0
	: > "$fm_c"
	for kv in $3; do
		fm_k=$((fm_k + 1))
		kv=$(printf '%s' "$kv" | tr '~' ' ')
		printf 'static const char mi%d[] __attribute__((section(".modinfo"),used,aligned(1))) = "%s";\n' $fm_k "$kv" >> "$fm_c"
	done
	for e in $4; do
		printf 'int %s(void) { return 1; }\n' "$e" >> "$fm_c"
		printf 'static const char ks_%s[] __attribute__((section("__ksymtab_strings"),used,aligned(1))) = "%s";\n' "$e" "$e" >> "$fm_c"
	done
	for i in $5; do printf 'extern int %s(void);\n' "$i" >> "$fm_c"; done
	printf 'int init_module(void) { return 0' >> "$fm_c"
	for i in $5; do printf ' + %s()' "$i" >> "$fm_c"; done
	printf '; }\n' >> "$fm_c"
	printf 'struct { char n[56]; } __this_module __attribute__((section(".gnu.linkonce.this_module"),used)) = { "%s" };\n' "$fm_n" >> "$fm_c"
	gcc -c -fno-pic -o "$fm_dir/$fm_n.ko" "$fm_c"
}

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/uevbox-test.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT
