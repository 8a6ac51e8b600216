#!/bin/sh
# size.sh BIN "APPLETS" CONFIG — what uevbox costs: the stripped binary,
# what each applet adds (the full build minus a build without it), and the
# resident memory of the long-running applets when they sit idle.
set -eu
bin=$1 applets=$2 config=$3
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

stripped() { cp "$1" "$tmp/s" && strip "$tmp/s" && wc -c < "$tmp/s"; }

full=$(stripped "$bin")
printf '%-16s %8s bytes (stripped, static, %s)\n' uevbox "$full" "$(basename "$config")"
for a in $applets; do
	rest=$(echo " $applets " | sed "s/ $a / /; s/^ *//; s/ *$//")
	if [ -z "$rest" ]; then
		printf '%-16s %8s bytes (the only applet)\n' "$a" "$full"
		continue
	fi
	echo "APPLETS = $rest" > "$tmp/config"
	make -s -C "$top" B="build/size-$a" BIN="build/size-$a/uevbox" CONFIG="$tmp/config" >/dev/null
	without=$(stripped "$top/build/size-$a/uevbox")
	printf '%-16s %+8d bytes\n' "$a" "$((full - without))"
done

# Idle RSS: start the applet on a scratch root, give it a second, read
# VmRSS (what it holds) and VmHWM (its peak) from /proc.
rss() {	# rss NAME ARGS...
	name=$1; shift
	"$bin" "$name" "$@" >/dev/null 2>&1 & pid=$!
	sleep 1
	if [ -r /proc/$pid/status ]; then
		printf '%-16s RSS %s kB, peak %s kB (%s)\n' "$name" \
			"$(awk '/^VmRSS/{print $2}' /proc/$pid/status)" \
			"$(awk '/^VmHWM/{print $2}' /proc/$pid/status)" "idle: $name $*"
	fi
	kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
}
case " $applets " in *" uevdump "*) rss uevdump -t 3;; esac
case " $applets " in *" uevd "*) mkdir -p "$tmp/root"; rss uevd -n -r "$tmp/root";; esac
