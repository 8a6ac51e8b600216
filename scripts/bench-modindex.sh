#!/bin/sh
# bench-modindex.sh UEVBOX — module resolution only, on this host: every
# name of the comparison corpus resolved with dependencies, softdeps and
# options (what modprobe --show-depends computes), by
#   uevbox   one process: modalias-load -D -f CORPUS
#   libkmod  one process: a small C driver doing modprobe -D's work per
#            name (written to and compiled in /tmp now; needs libkmod-dev)
#   modprobe one `modprobe -R` per name (lookup only, as udev's peers do)
# Instructions from valgrind --tool=callgrind (whole process, startup
# included), wall time from the shell.  Needs the tree and corpus that
# scripts/compare-kmod.sh prepares (run first if absent).
#   SAMPLE=N  use every Nth corpus name for the callgrind runs (default 4)
#   PERPROC=N names for the one-process-per-name run (default 2000)
set -u
UEVBOX=${1:?usage: bench-modindex.sh UEVBOX}
here=$(cd "$(dirname "$0")" && pwd)
cache=${UEVBOX_CACHE:-/var/cache/uevbox}/kernel
OUT=${OUT:-/tmp/uevbox-compare}
SAMPLE=${SAMPLE:-4}
PERPROC=${PERPROC:-2000}
PATH=$PATH:/sbin:/usr/sbin

ROOT=$(ls -d "$cache"/root-* 2>/dev/null | head -n 1)
if [ -z "$ROOT" ] || [ ! -s "$OUT/corpus" ]; then
	sh "$here/compare-kmod.sh" "$UEVBOX" >/dev/null || true
	ROOT=$(ls -d "$cache"/root-* | head -n 1)
fi
KV=$(ls "$ROOT/lib/modules" | head -n 1)
MD=$ROOT/lib/modules/$KV
command -v valgrind >/dev/null || { echo "bench: valgrind missing (apt-get install valgrind)" >&2; exit 1; }
[ -e /usr/include/libkmod.h ] || apt-get install -y -q libkmod-dev >&2 || exit 1

T=$(mktemp -d /tmp/uevbox-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
cat > "$T/drv.c" <<'EOF'
/* one process of libkmod doing what modprobe -D does for each name */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libkmod.h>

static void show(struct kmod_module *m, bool install, const char *options)
{
	if (install)
		printf("install %s %s\n", kmod_module_get_install_commands(m), options);
	else if (kmod_module_get_path(m))
		printf("insmod %s %s\n", kmod_module_get_path(m), options);
	else if (kmod_module_get_initstate(m) == KMOD_MODULE_BUILTIN)
		printf("builtin %s\n", kmod_module_get_name(m));
}

int main(int argc, char **argv)
{
	const char *conf[] = { argv[3], argv[4], argv[5], argv[6], NULL };
	struct kmod_ctx *ctx;
	char line[8192];
	FILE *f;

	if (argc < 7)
		return 2;
	ctx = kmod_new(argv[1], conf);
	if (!ctx)
		return 1;
	kmod_load_resources(ctx);
	f = fopen(argv[2], "r");
	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f)) {
		struct kmod_list *l, *list = NULL;

		line[strcspn(line, "\n")] = '\0';
		if (kmod_module_new_from_lookup(ctx, line, &list) < 0 || !list)
			continue;
		kmod_list_foreach(l, list) {
			struct kmod_module *m = kmod_module_get_module(l);

			kmod_module_probe_insert_module(m, KMOD_PROBE_DRY_RUN | KMOD_PROBE_IGNORE_LOADED |
							KMOD_PROBE_APPLY_BLACKLIST_ALIAS_ONLY,
							NULL, NULL, NULL, show);
			kmod_module_unref(m);
		}
		kmod_module_unref_list(list);
	}
	fclose(f);
	kmod_unref(ctx);
	return 0;
}
EOF
cc -O2 -o "$T/drv" "$T/drv.c" -lkmod || exit 1

awk -v n="$SAMPLE" 'NR % n == 1 || n == 1' "$OUT/corpus" > "$T/sample"
head -n "$PERPROC" "$T/sample" > "$T/perproc"
ns=$(wc -l < "$T/sample"); nall=$(wc -l < "$OUT/corpus"); np=$(wc -l < "$T/perproc")
C1="$ROOT/etc/modprobe.d"; C2="$ROOT/run/modprobe.d"; C3="$ROOT/usr/local/lib/modprobe.d"; C4="$ROOT/lib/modprobe.d"

ours() { "$UEVBOX" modalias-load -d "$ROOT" -k "$KV" -c /proc/cmdline -D -f "$1"; }
theirs() { "$T/drv" "$MD" "$1" "$C1" "$C2" "$C3" "$C4"; }

# same answers first, or the numbers mean nothing
ours "$T/sample" > "$T/o.out" 2>/dev/null
theirs "$T/sample" > "$T/k.out" 2>/dev/null
if cmp -s "$T/o.out" "$T/k.out"; then same=identical; else same="DIFFERENT ($(diff "$T/o.out" "$T/k.out" | grep -c '^[<>]') lines)"; fi

ms() { s=$(date +%s%N); "$@" > /dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
best() { b=; for i in 1 2 3; do t=$(ms "$@"); [ -z "$b" ] || [ "$t" -lt "$b" ] && b=$t; done; echo "$b"; }
cg() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/Collected/ { print $NF }'; }

echo "tree $KV: $(grep -c . "$MD/modules.dep") modules, $(grep -c '^alias' "$MD/modules.alias") aliases"
echo "output of uevbox and libkmod on the sample: $same ($(wc -l < "$T/o.out") lines)"
wo=$(best ours "$OUT/corpus"); wk=$(best theirs "$OUT/corpus")
echo "wall, all $nall names, one process (best of 3):  uevbox ${wo} ms   libkmod ${wk} ms"
if [ -x /usr/bin/time ]; then
	# both stat() every dependency file as kmod does: that is kernel time
	uo=$( { /usr/bin/time -f "%U user %S sys" sh -c "\"$UEVBOX\" modalias-load -d '$ROOT' -k '$KV' -c /proc/cmdline -D -f '$OUT/corpus' > /dev/null 2>&1"; } 2>&1 | tail -n 1)
	uk=$( { /usr/bin/time -f "%U user %S sys" sh -c "'$T/drv' '$MD' '$OUT/corpus' '$C1' '$C2' '$C3' '$C4' > /dev/null 2>&1"; } 2>&1 | tail -n 1)
	echo "cpu seconds, same runs:  uevbox $uo   libkmod $uk"
fi
io=$(cg "$UEVBOX" modalias-load -d "$ROOT" -k "$KV" -c /proc/cmdline -D -f "$T/sample")
ik=$(cg "$T/drv" "$MD" "$T/sample" "$C1" "$C2" "$C3" "$C4")
echo "callgrind, $ns names:  uevbox $io Ir   libkmod $ik Ir   ratio $(awk -v a="$io" -v b="$ik" 'BEGIN { printf "%.3f", a / b }')"
one=pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00
echo "$one" > "$T/one"
i1=$(cg "$UEVBOX" modalias-load -d "$ROOT" -k "$KV" -c /proc/cmdline -D -a "$one")
k1=$(cg "$T/drv" "$MD" "$T/one" "$C1" "$C2" "$C3" "$C4")
m1=$(cg modprobe -d "$ROOT" -S "$KV" -C "$C1" -C "$C4" -R "$one")
echo "callgrind, one name (process startup included):  uevbox $i1 Ir   libkmod $k1 Ir   modprobe -R $m1 Ir"
s=$(date +%s%N)
while read -r a; do modprobe -d "$ROOT" -S "$KV" -C "$C1" -C "$C4" -R "$a" > /dev/null 2>&1; done < "$T/perproc"
e=$(date +%s%N)
wp=$(( (e - s) / 1000000 ))
echo "wall, one modprobe -R per name, $np names: ${wp} ms ($(awk -v t="$wp" -v n="$np" 'BEGIN { printf "%.2f", t / n }') ms/name; all $nall names ~$(awk -v t="$wp" -v n="$np" -v a="$nall" 'BEGIN { printf "%.0f", t / n * a }') ms)"
