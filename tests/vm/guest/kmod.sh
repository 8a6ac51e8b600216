# The reference: kmod's modprobe for every modalias, repeated over the
# modaliases that loading made appear, until a pass finds none new.  Between
# passes wait for calm (devices appear asynchronously, e.g. USB enumeration
# after xhci_hcd loads).  -b honours blacklists, as udevd and uevbox do.
. /vmtest/lib.sh
t0=$(now)
: > /run/seen
passes=0 tool=0
while [ $passes -lt 20 ]; do
	modaliases > /run/all
	setminus /run/all /run/seen > /run/new
	[ -s /run/new ] || break
	passes=$((passes + 1))
	tp=$(now)
	while read -r a; do /sbin/modprobe -b -q "$a" < /dev/null; done < /run/new
	tool=$(awk -v a="$tool" -v b="$(since "$tp")" 'BEGIN { print a + b }')
	sort -u /run/seen /run/new > /run/seen.new && mv /run/seen.new /run/seen
	quiesce 1 60
done
t1=$(now)
# tool_t: the time spent in modprobe alone, without the scans and waits
report kmod "$t1" passes=$passes pass_t=$(since "$t0" "$t1") tool_t=$tool
