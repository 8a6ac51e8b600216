# uevbox modalias-load -S: scan /sys and load for every modalias in one
# process; repeated (after calm) while new modaliases keep appearing, the
# same fixpoint the kmod reference reaches.
. /vmtest/lib.sh
need_applet modalias-load || exit 0
kernel_modprobe
t0=$(now)
: > /run/seen
passes=0 rcs= tool=0
while [ $passes -lt 20 ]; do
	modaliases > /run/all
	setminus /run/all /run/seen > /run/new
	[ -s /run/new ] || break
	passes=$((passes + 1))
	tp=$(now)
	/bin/uevbox modalias-load -S > /run/mload.out 2>&1
	rcs="$rcs${rcs:+,}$?"
	d=$(since "$tp")
	tool=$(awk -v a="$tool" -v b="$d" 'BEGIN { print a + b }')
	echo "INFO pass $passes: modalias-load -S took $d s"
	# every message of the first pass; the summary line of later ones
	if [ $passes = 1 ]; then sed 's/^/INFO modalias-load: /' /run/mload.out | head -n 20
	else tail -n 1 /run/mload.out | sed 's/^/INFO modalias-load: /'; fi
	sort -u /run/seen /run/new > /run/seen.new && mv /run/seen.new /run/seen
	quiesce 1 60
done
t1=$(now)
# tool_t: the time spent in modalias-load alone, without the scans and waits
report modalias-load "$t1" passes=$passes rc=$rcs pass_t=$(since "$t0" "$t1") tool_t=$tool
