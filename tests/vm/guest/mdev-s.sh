# busybox's classic initramfs coldplug: mdev -s with a rule that calls kmod's
# modprobe for MODALIAS (full path: busybox would run its own applet).
. /vmtest/lib.sh
echo '$MODALIAS=.* 0:0 660 @/sbin/modprobe -b "$MODALIAS"' > /etc/mdev.conf
t0=$(now)
mdev -s
t1=$(now)
report mdev-s "$t1" run_t=$(since "$t0" "$t1")
