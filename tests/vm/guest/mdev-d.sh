# busybox mdev as netlink daemon (mdev -d) with the same MODALIAS rule, plus
# a trigger: "add" into every uevent file.  mdev has no settle, so the end is
# the last change before calm (t_last).
. /vmtest/lib.sh
echo '$MODALIAS=.* 0:0 660 @/sbin/modprobe -b "$MODALIAS"' > /etc/mdev.conf
t0=$(now)
mdev -d
find /sys/devices -name uevent -type f | while read -r f; do echo add > "$f"; done 2>/dev/null
t1=$(now)
report mdev-d "$t1" trigger_t=$(since "$t0" "$t1")
