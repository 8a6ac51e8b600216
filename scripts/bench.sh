#!/bin/sh
# bench.sh BIN [NAME...] — run the benchmarks (scripts/bench-NAME.sh, all
# of them by default), each printing its own figures against its peers.
# Benchmarks are measurements, not tests: they never fail on a number.
bin=$1; shift
cd "$(dirname "$0")" || exit 1
names=${*:-$(ls bench-*.sh 2>/dev/null | sed 's/^bench-//; s/\.sh$//')}
[ -n "$names" ] || { echo "bench: no benchmarks (scripts/bench-*.sh)"; exit 0; }
rc=0
for n in $names; do
	echo "== bench $n"
	sh "./bench-$n.sh" "$bin" || { echo "bench $n: failed (exit $?)"; rc=1; }
done
exit $rc
