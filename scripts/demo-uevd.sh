#!/bin/sh
# demo-uevd.sh BIN — the main job, safely: what uevd would do for every
# device on this machine with the built-in rules (configs/mdev.conf), as a
# dry run.  `coldplug -R -n` replays each device's sysfs uevent file through
# the same engine as the daemon and prints each node, link, command and
# module it would make; nothing is created, no event is sent.
bin=${1:?usage: demo-uevd.sh BIN}
echo "== uevbox: dry run of coldplug + rules over this machine's /sys (changes nothing)"
echo "== built-in rules: $("$bin" uevd -N 2>&1)"
"$bin" coldplug -R -n 2>&1 | sed 's/^/  /'
echo "== each line: ACTION DEVPATH: node PATH TYPE MAJ:MIN MODE UID:GID | link | run | modules (rule line)"
