# uevbox uevd as the system's only device manager for a libudev client:
# uevd -C -U manages the real /dev (devtmpfs) and publishes to /run/udev and
# netlink group 2; then Debian's libinput (libinput list-devices, through
# Debian's libudev) must see the input devices with their capabilities.
#   INPUTDEV eventN NAME   every evdev device the kernel has (from sysfs)
#   LIDEV /dev/input/eventN CAPS... | NAME   every device libinput listed
# vmtest.nopublish on the kernel command line drops -U (the check that the
# stage can fail: libinput then finds no device).
. /vmtest/lib.sh
need_applet uevd || exit 0
if [ ! -x /usr/bin/libinput ]; then echo "SKIP no libinput in this image (setup.sh, mkinitramfs.sh)"; exit 0; fi
publish=-U
for w in $(cat /proc/cmdline); do
	case $w in vmtest.nopublish) publish= ;; esac
done
# the only device manager: nothing else that handles uevents may run
others=$(pidof systemd-udevd udevd mdev 2>/dev/null)
[ -z "$others" ] || echo "ERROR another device manager runs (pids $others)"
mkfifo /run/uevd.ready
kernel_modprobe
t0=$(now)
# shellcheck disable=SC2086   # $publish and $UEVBOX_CONF are option words
/bin/uevbox uevd -C $publish -r /dev -D 3 $UEVBOX_CONF 3> /run/uevd.ready > /run/uevd.out 2>&1 &
upid=$!
timeout 60 sh -c 'read -r x < /run/uevd.ready' || echo "INFO uevd gave no readiness line"
t_ready=$(now)
quiesce "$QUIET" 120
t_settled=${T_LAST:-$t_ready}
for e in /sys/class/input/event*; do
	[ -e "$e/device/name" ] && echo "INPUTDEV ${e##*/} $(cat "$e/device/name")"
done
echo "INFO /run/udev: $(ls /run/udev 2>&1 | tr '\n' ' ')"
# devtmpfs makes input nodes 0600; uevd's rules (built-in: 0640) set them
echo "INFO nodes: $(ls -l /dev/input | awk 'NR > 1 { printf "%s %s %s:%s; ", $NF, $1, $3, $4 }')"
for e in /sys/class/input/event*; do
	n=$(cat "$e/dev" 2>/dev/null)
	[ -n "$n" ] || continue
	if [ -f "/run/udev/data/c$n" ]; then echo "INFO db c$n: $(tr '\n' ' ' < "/run/udev/data/c$n")"
	else echo "INFO db c$n: no /run/udev/data/c$n"; fi
done
tl=$(now)
/usr/bin/libinput list-devices > /run/libinput.out 2>&1
rc=$?
t1=$(now)
echo "INFO libinput list-devices exit=$rc"
[ "$rc" = 0 ] || echo "ERROR libinput list-devices exited $rc"
sed 's/^/INFO libinput: /' /run/libinput.out
# one line per listed device: its node, capabilities and name
awk '/^Device:/ { sub(/^Device:[ \t]*/, ""); name = $0; kern = ""; caps = "" }
	/^Kernel:/ { kern = $2 }
	/^Capabilities:/ { sub(/^Capabilities:[ \t]*/, ""); caps = $0 }
	/^$/ && name != "" { print "LIDEV " kern " " caps " | " name; name = "" }
	END { if (name != "") print "LIDEV " kern " " caps " | " name }' /run/libinput.out
echo "RESULT name=libinput t_done=$(since "$T_INIT" "$t1") t_last=$(since "$T_INIT" "$t_settled")" \
	"mods=$(nmodules) aliases=0 rc=$rc ready_t=$(since "$t0" "$t_ready")" \
	"settle_t=$(since "$t0" "$t_settled") list_t=$(since "$tl" "$t1")"
if kill -0 "$upid" 2>/dev/null; then
	kill -TERM "$upid"; wait "$upid"; echo "INFO uevd exit=$? after SIGTERM"
else
	wait "$upid"; echo "ERROR uevd died early, exit $?"
fi
sed 's/^/INFO uevd: /' /run/uevd.out | head -n 40
# what libudev clients are sent must not be lost: no event may fail to be
# composed, sent or written to the database
bad=$(grep -cE ': (message|send|database): ' /run/uevd.out)
[ "$bad" = 0 ] || echo "ERROR uevd failed to publish $bad time(s): $(grep -m1 -E ': (message|send|database): ' /run/uevd.out)"
