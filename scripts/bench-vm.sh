#!/bin/bash
# bench-vm.sh UEVBOX [-n RUNS] [TEST...] — coldplug in a VM: Debian's kernel
# under QEMU (TCG) with ~30 emulated devices and its whole module tree
# (tests/vm), one boot per tool and run, all from one image.
#
# TEST (guest scripts in tests/vm/guest):
#   none           no coldplug at all (what the kernel does alone)
#   mdev-s         busybox mdev -s, rule "$MODALIAS=.* ... @/sbin/modprobe -b"
#   mdev-d         busybox mdev -d (netlink) + "add" into every uevent file
#   udevd          systemd-udevd --daemon, udevadm trigger (subsystems,
#                  devices), udevadm settle: Debian's initramfs way
#   kmod           kmod's modprobe per modalias, looped to a fixpoint
#   replay         uevbox coldplug -R (rules + in-process module loading)
#   trigger        uevbox uevd & uevbox coldplug -w (trigger + settle)
#   daemon         uevbox uevd -C (the daemon's own coldplug)
#   modalias-load  uevbox modalias-load -S, looped to a fixpoint
#   floor          one process loads udevd's module set (from this bench's
#                  first udevd run) one by one, nothing else: its cpu busy
#                  is the kernel's own cost, its busy / vCPUs the least
#                  time any coldplug can take (needs udevd in TEST)
#   chain          only the USB disk's chain: the host controllers' modules,
#                  then (once the ports are enumerated) usb-storage's, until
#                  the disk appears after usb-storage's one-second wait: the
#                  device set's timers, the other least time of any coldplug
# (default: all; uevbox ones are skipped when the binary lacks the applet).
# Figures, guest clock, seconds from /init's start:
#   done  the tool returned (for mdev-d: the trigger loop finished)
#   last  the last uevent or module load (seen while the tool ran or in the
#         2 s of calm after it): all work done
#   tool  kmod, modalias-load: seconds inside the loader alone; both loop to
#         a fixpoint in shell (scan /sys, 1 s calm per pass), which their
#         done/last include
#   cpu busy  CPU-seconds (all vCPUs) the guest worked from the test's
#         start to "last": what the coldplug cost, whoever did it (kernel,
#         tool, helpers); modalias-load's is close to the kernel's own need
#         for loading the module set and probing the devices
#   mods  modules loaded at the end;  diff  modules differing from udevd's set
#   calib (each run's line) seconds a fixed piece of work took in the guest
#         after the test: the host's speed drifts, compare runs at a like calib
# A measurement, never a test: it fails only when a VM run does not complete.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
VM=$HERE/../tests/vm
uevbox=${1:?usage: bench-vm.sh UEVBOX [-n RUNS] [TEST...]}; shift
uevbox=$(readlink -f "$uevbox")
runs=1
if [ "${1:-}" = -n ]; then runs=$2; shift 2; fi
tests=${*:-none mdev-s mdev-d udevd kmod replay trigger daemon modalias-load floor chain}
out=${UEVBOX_VM_OUT:-$VM/out}/bench
mkdir -p "$out"
export UEVBOX_VM_OUT=$out
applets=$("$uevbox" --list 2>/dev/null)
"$VM/mkinitramfs.sh" -l plain -b "$uevbox" -o "$out/initrd-plain.img" 2>&1 | tail -n 1
rm -f "$out/initrd-floor.img" "$out"/udevd-*.mods
: > "$out/runs.txt"
rc=0
# runs interleave (run 1 of every test, then run 2...): the host's load
# drifts, and this spreads the drift over all tools alike
for t in $tests; do
	need=
	case $t in replay) need=coldplug ;; trigger) need="uevd coldplug" ;; daemon) need=uevd ;;
	modalias-load|floor|chain) need=modalias-load ;; esac
	for a in $need; do
		grep -qx "$a" <<< "$applets" || { echo "bench-vm: $t skipped: $uevbox lacks $a"; continue 2; }
	done
	run_tests="${run_tests:-} $t"
done
for i in $(seq "$runs"); do
	for t in ${run_tests:-}; do
		f=$out/$t-$i.txt
		img=$out/initrd-plain.img
		if [ "$t" = floor ]; then
			# udevd's module set, in the order of /proc/modules (the
			# loader takes dependencies first anyway)
			[ -s "$out/udevd-1.mods" ] || { echo "bench-vm: floor skipped: no udevd run before it"; continue; }
			img=$out/initrd-floor.img
			[ -s "$img" ] || "$VM/mkinitramfs.sh" -l plain -b "$uevbox" -m "$out/udevd-1.mods" -o "$img" 2>&1 | tail -n 1
		fi
		if ! "$VM/boot.sh" -i "$img" -t "$t" -o "$f" -T 400 2> "$f.host"; then
			echo "bench-vm: $t run $i did not complete (see $f.serial)"; cat "$f.host"; rc=1; continue
		fi
		if grep -q '^SKIP ' "$f"; then echo "bench-vm: $t: $(sed -n 's/^SKIP //p' "$f")"; continue; fi
		r=$(grep '^RESULT ' "$f" | sed 's/^RESULT //')
		init=$(sed -n 's/^INFO .* t_init=\([0-9.]*\).*/\1/p' "$f")
		wall=$(sed -n 's/^HOST .* wall=\([0-9.]*\).*/\1/p' "$f.host")
		calib=$(sed -n 's/^INFO calib=//p' "$f")
		sed -n 's/^MOD //p' "$f" | sort > "$out/$t-$i.mods"
		echo "test=$t run=$i init=$init $r wall=$wall calib=$calib" >> "$out/runs.txt"
		echo "bench-vm: $t run $i: $r init=$init wall=$wall calib=$calib" | cut -c1-175
	done
done
# udevd's module set is the yardstick for "the same modules"
refmods=$(ls "$out"/udevd-*.mods 2>/dev/null | head -n 1)
echo
echo "Coldplug under QEMU TCG, $(cat "${UEVBOX_VM_CACHE:-/var/cache/uevbox/vm}/kernel/KVER"), seconds from /init (min/median over $runs run(s)):"
awk -v ref="$refmods" -v dir="$out" -v cpus="$(sed -n 's/^INFO .* cpus=\([0-9]*\).*/\1/p' "$out"/*-1.txt 2>/dev/null | head -n 1)" '
function kv(s,   n, a, i, p) { delete F; n = split(s, a, " ")
	for (i = 1; i <= n; i++) { p = index(a[i], "="); if (p) F[substr(a[i], 1, p - 1)] = substr(a[i], p + 1) } }
function mm(t, k,   n, i, j, v, x) { n = C[t]
	for (i = 1; i <= n; i++) v[i] = V[t, k, i] + 0
	for (i = 2; i <= n; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
	M[t, k] = v[1]
	return sprintf("%.2f/%.2f", v[1], n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2) }
{ kv($0); t = F["test"]; if (!(t in C)) order[++nt] = t; n = ++C[t]
  if ("tool_t" in F) T[t] = 1
  split("init t_done t_last tool_t busy mods wall", ks, " "); for (k in ks) V[t, ks[k], n] = F[ks[k]] }
END {
	printf "%-14s %4s %12s %12s %12s %12s %12s %5s %5s %14s\n", "test", "runs", "boot->/init", "done", "last", "tool", "cpu busy", "mods", "diff", "host wall"
	for (i = 1; i <= nt; i++) { t = order[i]
		d = "-"
		if (ref != "") { cmd = "diff " ref " " dir "/" t "-1.mods | grep -c \"^[<>]\""; cmd | getline d; close(cmd) }
		D[t] = d
		printf "%-14s %4d %12s %12s %12s %12s %12s %5d %5s %14s\n", t, C[t], mm(t, "init"), mm(t, "t_done"), mm(t, "t_last"),
			(t in T) ? mm(t, "tool_t") : "-", mm(t, "busy"), V[t, "mods", C[t]], d, mm(t, "wall") }
	if (("floor", "busy") in M && ("udevd", "t_last") in M)
		printf "floor: the kernel needs %.2f CPU-s for this module set: %.2f s on %d vCPUs = %.2f x udevd\n",
			M["floor", "busy"], M["floor", "busy"] / cpus, cpus, M["floor", "busy"] / cpus / M["udevd", "t_last"]
	if (("chain", "t_last") in M && ("udevd", "t_last") in M)
		printf "chain: the USB disk alone, nothing else loading, appears %.2f s after /init = %.2f x udevd\n",
			M["chain", "t_last"], M["chain", "t_last"] / M["udevd", "t_last"]
	if (("udevd", "t_last") in M) for (i = 1; i <= nt; i++) { t = order[i]
		if (t == "replay" || t == "trigger" || t == "daemon")
			printf "%s: last %.2f s = %.2f x udevd (target: 0.33 or less)%s\n", t, M[t, "t_last"], M[t, "t_last"] / M["udevd", "t_last"],
				D[t] != "0" && D[t] != "-" ? sprintf("; NOT the same module set: %s modules differ", D[t]) : "" }
}' "$out/runs.txt" | tee "$out/summary.txt"
exit $rc
