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

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/uevbox-test.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT
