#!/bin/bash
# boot.sh — boot Debian's kernel (from setup.sh's cache) with an initramfs
# under QEMU on a q35 machine with many emulated devices, run one guest test,
# and hand back what the guest printed between its markers.
#
# usage: boot.sh -i INITRD -t TEST [-o OUT] [-T SECONDS] [-m MB] [-c CPUS] [-a APPEND] [-A tcg|kvm]
#   -i INITRD   image from mkinitramfs.sh
#   -t TEST     guest script tests/vm/guest/TEST.sh (passed as vmtest=TEST)
#   -o OUT      the guest's marked output goes to OUT (default: stdout);
#               the whole serial log to OUT.serial, qemu's stderr to OUT.qemu
#   -T SECONDS  qemu is killed (by its PID) after this long (default 300)
#   -m MB -c N  guest memory (default 2048) and vCPUs (default 2)
#   -a APPEND   more kernel command line (e.g. vmtest.quiet=3)
#   -A ACCEL    tcg (default, $UEVBOX_VM_ACCEL): nested KVM on the machines
#               this was written on hangs in the kernel's decompressor
# Exit: 0 guest script ran and exited 0; 1 it exited non-zero; 2 no end
# marker (crash, panic); 124 timeout.  Prints "HOST wall=S" on stderr.
# shellcheck disable=SC2054   # commas inside qemu arguments are meant
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${UEVBOX_VM_CACHE:-/var/cache/uevbox/vm}
initrd='' test='' out='' tmo=300 mem=2048 cpus=2 append='' accel=${UEVBOX_VM_ACCEL:-tcg}
while getopts "i:t:o:T:m:c:a:A:h" o; do
	case $o in
	i) initrd=$OPTARG ;; t) test=$OPTARG ;; o) out=$OPTARG ;; T) tmo=$OPTARG ;;
	m) mem=$OPTARG ;; c) cpus=$OPTARG ;; a) append=$OPTARG ;; A) accel=$OPTARG ;;
	*) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
	esac
done
[ -n "$initrd" ] && [ -n "$test" ] || { echo "boot: -i INITRD and -t TEST are required" >&2; exit 2; }
[ -r "$initrd" ] || { echo "boot: no $initrd (run mkinitramfs.sh)" >&2; exit 2; }
KVER=$(cat "$CACHE/kernel/KVER" 2>/dev/null) || { echo "boot: run setup.sh first" >&2; exit 2; }
kernel=$CACHE/kernel/boot/vmlinuz-$KVER
tmp=$(mktemp -d /tmp/uevbox-vm-boot.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
serial=${out:+$out.serial}; serial=${serial:-$tmp/serial}
qerr=${out:+$out.qemu}; qerr=${qerr:-$tmp/qemu}

# One small disk image for every emulated disk (opened with snapshot=on, so
# never written): a DOS partition table with one ext4 partition, so that
# block coldplug sees a disk, a partition and a filesystem.
disk=$CACHE/disk.img
if [ ! -s "$disk" ]; then
	truncate -s 32M "$disk.new"
	echo 'start=2048, type=83' | sfdisk -q "$disk.new" >/dev/null
	mkfs.ext4 -q -F -L uevbox-vm -E offset=$((2048 * 512)) "$disk.new" $((30 * 1024))k
	mv "$disk.new" "$disk"
fi
drive() { echo "if=none,id=$1,file=$disk,format=raw,snapshot=on"; }

# The device set: buses and functions an ordinary PC or cloud guest has, each
# driven by a module in Debian's kernel, so coldplug has modaliases of many
# kinds (pci, virtio, usb, hdaudio, scsi, acpi, serio, platform, cpu...).
dev=(
	-device VGA
	-netdev user,id=u1,restrict=on -device virtio-net-pci,netdev=u1,romfile=
	-netdev user,id=u2,restrict=on -device e1000e,netdev=u2,romfile=
	-netdev user,id=u3,restrict=on -device rtl8139,netdev=u3,romfile=
	-drive "$(drive d1)" -device virtio-blk-pci,drive=d1
	-drive "$(drive d2)" -device ide-hd,drive=d2,bus=ide.0	# q35's built-in AHCI
	-device ide-cd,bus=ide.1
	-drive "$(drive d3)" -device nvme,drive=d3,serial=uevbox0
	-device virtio-scsi-pci,id=scsi0 -drive "$(drive d4)" -device scsi-hd,drive=d4,bus=scsi0.0
	-device qemu-xhci,id=xhci -device usb-kbd,bus=xhci.0 -device usb-mouse,bus=xhci.0
	-device usb-tablet,bus=xhci.0 -drive "$(drive d5)" -device usb-storage,drive=d5,bus=xhci.0
	-device usb-ehci,id=ehci
	-device sdhci-pci -drive "$(drive d6)" -device sd-card,drive=d6
	-audiodev none,id=a0 -device intel-hda -device hda-duplex,audiodev=a0
	-device virtio-gpu-pci -device virtio-rng-pci -device virtio-balloon-pci
	-device virtio-keyboard-pci -device virtio-mouse-pci -device virtio-tablet-pci
	-device virtio-serial-pci -chardev null,id=c0 -device virtconsole,chardev=c0
	-chardev null,id=c1 -device virtserialport,chardev=c1,name=org.uevbox.test
	-device i6300esb -device pvpanic-pci
	-device pci-serial,chardev=c2 -chardev null,id=c2
)
case $accel in kvm) cpu=host ;; tcg) cpu=max ;; *) echo "boot: -A tcg|kvm" >&2; exit 2 ;; esac

t0=$(date +%s.%N)
qemu-system-x86_64 -M q35 -accel "$accel" -cpu "$cpu" -smp "$cpus" -m "$mem" \
	-nodefaults -no-user-config -display none -no-reboot \
	-serial "file:$serial" -kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 quiet panic=-1 vmtest=$test $append" "${dev[@]}" 2> "$qerr" &
qpid=$!
rc=0 ticks=0
while kill -0 "$qpid" 2>/dev/null; do
	if [ "$ticks" -ge $((tmo * 5)) ]; then
		echo "boot: $test: timeout after ${tmo}s, killing qemu (pid $qpid)" >&2
		kill -KILL "$qpid" 2>/dev/null || true
		rc=124
		break
	fi
	sleep 0.2
	ticks=$((ticks + 1))
done
wait "$qpid" 2>/dev/null || true
t1=$(date +%s.%N)
echo "HOST test=$test wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" >&2

section=$(tr -d '\r' < "$serial" | sed -n '/^@@UEVBOX-VM-BEGIN@@$/,/^@@UEVBOX-VM-END rc=[0-9]*@@$/p')
if [ -n "$out" ]; then printf '%s\n' "$section" > "$out"; else printf '%s\n' "$section"; fi
[ "$rc" = 124 ] && exit 124
end=$(printf '%s\n' "$section" | sed -n 's/^@@UEVBOX-VM-END rc=\([0-9]*\)@@$/\1/p')
if [ -z "$end" ]; then
	echo "boot: $test: no end marker; last lines of the serial log and of qemu's stderr:" >&2
	tail -n 15 "$serial" "$qerr" >&2
	exit 2
fi
[ "$end" = 0 ] || { echo "boot: $test: guest script exited $end" >&2; exit 1; }
