#!/bin/sh
# run.sh — runs each tests/sh/*.sh (or those named) against $UEVBOX and
# prints "N passed, N failed, N skipped".  A script that dies without
# reporting counts as a failure; each gets TEST_TIMEOUT seconds.
cd "$(dirname "$0")" || exit 2
: "${UEVBOX:?UEVBOX must name the binary under test}"
export UEVBOX
RESULTS=$(mktemp) && export RESULTS
trap 'rm -f "$RESULTS"' EXIT
scripts=${*:-$(ls ./*.sh | grep -v -e '/lib\.sh$' -e '/run\.sh$')}
for s in $scripts; do
	s=${s%.sh}.sh; s=./${s#./}
	echo "-- $(basename "$s" .sh)"
	before=$(wc -l < "$RESULTS")
	timeout "${TEST_TIMEOUT:-300}" sh "$s"
	rc=$?
	after=$(wc -l < "$RESULTS")
	if [ "$rc" != 0 ] || [ "$before" = "$after" ]; then
		echo "fail $(basename "$s" .sh)/script: exit $rc, $((after - before)) results" >> "$RESULTS"
		echo "  FAIL script exited $rc"
	fi
done
p=$(grep -c '^pass ' "$RESULTS"); f=$(grep -c '^fail ' "$RESULTS"); k=$(grep -c '^skip ' "$RESULTS")
if [ "$k" != 0 ]; then echo "skipped:"; grep '^skip ' "$RESULTS" | sed 's/^skip /  /'; fi
if [ "$f" != 0 ]; then echo "failed:"; grep '^fail ' "$RESULTS" | sed 's/^fail /  /'; fi
echo "$p passed, $f failed, $k skipped"
[ "$f" = 0 ]
