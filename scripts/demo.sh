#!/bin/sh
# demo.sh BIN — show uevbox at work on this machine without changing it.
# uevdump listens for three seconds while we ask the kernel to resend the
# "change" event of /dev/null (harmless: nothing about the device changes).
bin=$1
echo "== uevbox applets: $("$bin" --list | tr '\n' ' ')"
echo "== uevdump -k -p -t 3 (kernel uevents for three seconds)"
"$bin" uevdump -k -p -t 3 & pid=$!
sleep 1
if [ -w /sys/class/mem/null/uevent ]; then
	echo change > /sys/class/mem/null/uevent
else
	echo "(not root: not triggering an event; showing whatever arrives)"
fi
wait "$pid"
