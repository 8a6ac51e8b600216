#!/bin/sh
# demo.sh BIN — the main job on this machine, safely: what uevd would do
# for every device that exists now, with the built-in rules
# (configs/mdev.conf), as a dry run.  `coldplug -R -n` replays each
# device's sysfs uevent file through the same engine as the daemon and
# prints each node, link, command and module it would make; nothing is
# created, loaded or sent.
bin=${1:?usage: demo.sh BIN}
echo "== uevbox $("$bin" --list | tr '\n' ' ')"
echo "== built-in rules: $("$bin" uevd -N 2>&1)"
echo "== dry run of coldplug + rules over this machine's /sys (changes nothing):"
"$bin" coldplug -R -n 2>&1 | sed 's/^/  /'
echo "== each line: ACTION DEVPATH: node PATH TYPE MAJ:MIN MODE UID:GID | link | run | modules ALIAS: names (rule line)"
