#!/bin/sh
# fuzz.sh RUNS — build the uevent classifier's libFuzzer target with
# clang, ASan and UBSan (host libc, not musl) and run it RUNS times from a
# seed corpus of real messages.  Installs clang from Debian if missing.
set -eu
runs=${1:-200000}
cd "$(dirname "$0")/.."
out=build/fuzz
mkdir -p "$out/corpus"
if ! command -v clang >/dev/null; then
	apt-get install -y -q clang >&2
fi
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-D_GNU_SOURCE -Icore -o "$out/fuzz_uev" tests/fuzz/fuzz_uev.c core/uev.c
# seeds: a kernel event, a libudev event, a vars block (first byte = mode)
printf '\0add@/devices/virtual/mem/null\0ACTION=add\0DEVPATH=/devices/virtual/mem/null\0SUBSYSTEM=mem\0MAJOR=1\0MINOR=3\0DEVNAME=null\0SEQNUM=1\0' > "$out/corpus/kernel"
printf '\002libudev\0\376\355\312\376\050\0\0\0\050\0\0\0\065\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=net\0SEQNUM=9\0' > "$out/corpus/libudev"
printf '\020ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=block\0DEVNAME=sda1\0' > "$out/corpus/vars"
if "$out/fuzz_uev" -runs="$runs" -max_len=4096 "$out/corpus" > "$out/log" 2>&1; then
	tail -n 1 "$out/log"
	echo "fuzz: $runs executions of fuzz_uev with ASan+UBSan: no crash"
else
	tail -n 30 "$out/log"
	echo "fuzz: fuzz_uev failed; the crashing input is named above" >&2
	exit 1
fi
