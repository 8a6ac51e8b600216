#!/bin/sh
# fuzz.sh RUNS [TARGET...] — build libFuzzer targets with clang, ASan and
# UBSan (host libc, not musl) and run each RUNS times from a seed corpus:
#   fuzz_uev   the uevent classifier (core/uev.c), seeds: real messages
#   fuzz_rule  the mdev.conf parser and the planner (core/rule_*.c,
#              core/eng_plan.c), seeds: the built-in configs/mdev.conf
#              and one line of every rule form, plus a token dictionary
# No TARGET: both.  Output under ${B:-build}/fuzz.  Installs clang from
# Debian if missing.
set -eu
runs=${1:-200000}
[ $# -gt 0 ] && shift
targets=${*:-fuzz_uev fuzz_rule}
cd "$(dirname "$0")/.."
out=${B:-build}/fuzz
if ! command -v clang >/dev/null; then
	apt-get install -y -q clang >&2
fi
cc_fuzz() {
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-D_GNU_SOURCE -Icore -o "$@"
}

seed_uev() {
	c=$out/corpus_uev
	mkdir -p "$c"
	# a kernel event, a libudev event, a vars block (first byte = mode)
	printf '\0add@/devices/virtual/mem/null\0ACTION=add\0DEVPATH=/devices/virtual/mem/null\0SUBSYSTEM=mem\0MAJOR=1\0MINOR=3\0DEVNAME=null\0SEQNUM=1\0' > "$c/kernel"
	printf '\002libudev\0\376\355\312\376\050\0\0\0\050\0\0\0\065\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=net\0SEQNUM=9\0' > "$c/libudev"
	printf '\020ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=block\0DEVNAME=sda1\0' > "$c/vars"
}

seed_rule() {
	c=$out/corpus_rule
	mkdir -p "$c"
	cp configs/mdev.conf "$c/builtin"
	# one line per form: regex with groups and %N, @maj,min-range, $VAR,
	# ENV filters, '-' continue, names, =dir/, >link, !, @ $ * commands,
	# comments, continuation
	printf '%s\n' 'vd([a-z]+)([0-9]*) 0:6 0660 =disk/%1/%2' > "$c/groups"
	printf '%s\n' '@8,0-15 root:disk 0640 >block/' > "$c/majmin"
	printf '%s\n' '-$MODALIAS=.* 0:0 0660 @modprobe -b "$MODALIAS"' > "$c/modalias"
	printf '%s\n' 'SUBSYSTEM=block;DEVTYPE=part.*;vdb[0-9] 0:0 0600 !' > "$c/env"
	printf '%s\n' 'vdb1 0:0 0600 *echo $MDEV $ACTION' 'null 0:0 0666 $rm -f x' > "$c/cmds"
	printf '%s\n' '# comment' '' 'vdb.* \' '  0:0 0644 =x/' > "$c/cont"
	cat > "$out/rule.dict" <<'D'
"@"
"$"
"*"
"="
">"
"!"
"-"
";"
":"
"%1"
"%0"
"\\"
"0660"
"root:root"
"0:0"
"$MODALIAS="
"SUBSYSTEM="
"DEVTYPE="
"modprobe -b \"$MODALIAS\""
"([a-z]+)"
"[0-9]*"
".*"
D
}

for t in $targets; do
	case $t in
	fuzz_uev)
		seed_uev
		cc_fuzz "$out/fuzz_uev" tests/fuzz/fuzz_uev.c core/uev.c
		set -- -max_len=4096 "$out/corpus_uev" ;;
	fuzz_rule)
		seed_rule
		cc_fuzz "$out/fuzz_rule" tests/fuzz/fuzz_rule.c core/rule_*.c core/eng_plan.c \
			core/dev_path.c core/uev.c
		set -- -max_len=4096 -dict="$out/rule.dict" "$out/corpus_rule" ;;
	*)
		echo "fuzz: unknown target $t (fuzz_uev, fuzz_rule)" >&2
		exit 2 ;;
	esac
	if "$out/$t" -runs="$runs" "$@" > "$out/$t.log" 2>&1; then
		tail -n 1 "$out/$t.log"
		echo "fuzz: $runs executions of $t with ASan+UBSan: no crash"
	else
		tail -n 30 "$out/$t.log"
		echo "fuzz: $t failed; the crashing input is named above" >&2
		exit 1
	fi
done
