# lib.sh — shared by the guest scripts (busybox sh; sourced).
#
# Output protocol, one record per line on the console (boot.sh keeps the
# lines between the markers; run.sh and bench-vm.sh read them):
#   RESULT name=N t_done=S t_last=S mods=N aliases=N [key=val...]
#          t_done  /init start -> the tool under test returned (seconds)
#          t_last  /init start -> the last uevent or module change, seen
#                  while the tool ran or in the calm after it (QUIET s)
#   ALIAS a        every modalias present at the end
#   MOD m          every loaded module at the end
#   GZMOD m        loaded modules that came from a .ko.gz file
#   NODES ok=N bad=N   device node check (uevbox stages); BADNODE lines
#   SKIP why       the stage cannot run (binary lacks an applet)
#   ERROR why      the guest script itself failed
KVER=$(uname -r)
MODDIR=/lib/modules/$KVER
QUIET=${QUIET:-2}
UEVBOX_CONF=	# vmtest.conf=NAME: uevbox gets -f /vmtest/NAME (else its built-in default)
for w in $(cat /proc/cmdline); do
	case $w in
	vmtest.quiet=*) QUIET=${w#*=} ;;
	vmtest.conf=*) UEVBOX_CONF="-f /vmtest/${w#*=}" ;;
	vmtest.dmesg=1) DMESG=1 ;;
	vmtest.trace=1) TRACE=1 ;;
	esac
done

# the cpu line of /proc/stat when the test started, for the busy figure
read -r _ CPU0 < /proc/stat
CPU_LAST=$CPU0

# A watcher from the test's start: the uptime of the last change (uevent
# SEQNUM, number of /sys/module entries) and the cpu line at that moment go
# to /run/watch.last.  So "last" counts the work done while the tool ran,
# too: a tool that waits for calm itself (coldplug -R's -i) is not charged
# for its wait, and every tool is measured alike.  Shell builtins only (no
# fork every 100 ms); busybox read -t takes fractions.
watch_changes() {
	rm -f /run/watch.stop /run/watch.fifo
	mkfifo /run/watch.fifo
	(
		exec 3<> /run/watch.fifo
		read -r s0 < /sys/kernel/uevent_seqnum
		set -- /sys/module/*
		m0=$#
		while [ ! -e /run/watch.stop ]; do
			read -r -t 0.1 -u 3 _
			read -r s < /sys/kernel/uevent_seqnum
			set -- /sys/module/*
			if [ -n "${TRACE:-}" ]; then
				read -r up _ < /proc/uptime
				read -r _ cpu < /proc/stat
				echo "$up $s $# $cpu" >> /run/trace.cpu
			fi
			if [ "$s" != "$s0" ] || [ "$#" != "$m0" ]; then
				s0=$s m0=$#
				read -r up _ < /proc/uptime
				read -r _ cpu < /proc/stat
				echo "$up $cpu" > /run/watch.last
			fi
		done
	) &
	WATCH_PID=$!
}
watch_changes
# vmtest.trace=1: every kernel uevent with its time, for a timeline
if [ -n "${TRACE:-}" ] && /bin/uevbox --list 2>/dev/null | grep -qx uevdump; then
	/bin/uevbox uevdump -k > /run/trace.ev 2>&1 &
	TRACE_PID=$!
fi

now() { read -r up _ < /proc/uptime; echo "$up"; }
# since T0 [T1]: T1 - T0 with two decimals (uptime has 10 ms resolution)
since() { awk -v a="$1" -v b="${2:-$(now)}" 'BEGIN { printf "%.2f", b - a }'; }

# Every modalias the devices offer: the modalias attributes, plus MODALIAS=
# lines of uevent files (some buses, e.g. mmc, have only the latter).
modaliases() {
	{ find /sys/devices /sys/bus -name modalias -type f -exec cat {} + 2>/dev/null
	  find /sys/devices -name uevent -type f -exec grep -h '^MODALIAS=' {} + 2>/dev/null |
		sed 's/^MODALIAS=//'; } | sort -u
}
nmodules() { wc -l < /proc/modules; }
modules() { cut -d' ' -f1 /proc/modules | sort; }
# setminus A B: lines of sorted file A not in file B
setminus() { awk -v b="$2" 'FILENAME == b { s[$0] = 1; next } !($0 in s)' "$2" "$1"; }

# quiesce Q MAX: return once the watcher saw no change (uevent SEQNUM,
# module list) for Q seconds and no kmod modprobe process runs (or MAX
# seconds passed).  A modprobe that finds its module already loaded changes
# nothing visible, yet its daemon is still busy with a backlog.  Sets T_LAST
# to the uptime of the last change seen since the call ("" if none).
# Builtins only while waiting: a fork every 100 ms would take emulated CPU
# from a daemon still at work.
quiesce() {
	q=$1 max=$2 T_LAST=
	# uptimes in centiseconds (two decimals; "1" before them: no octal)
	read -r u _ < /proc/uptime
	start=$((${u%.*} * 100 + 1${u#*.} - 100))
	exec 4<> /run/watch.fifo
	while :; do
		read -r -t 0.1 -u 4 _
		read -r u _ < /proc/uptime
		t=$((${u%.*} * 100 + 1${u#*.} - 100)) last=$start
		if [ -s /run/watch.last ]; then
			read -r w _ < /run/watch.last
			# the watcher may be rewriting it this moment: whole lines only
			case $w in
			[0-9]*.[0-9][0-9])
				c=$((${w%.*} * 100 + 1${w#*.} - 100))
				if [ "$c" -gt "$start" ]; then last=$c T_LAST=$w; fi ;;
			esac
		fi
		if [ $((t - last)) -ge $((q * 100)) ]; then
			pidof modprobe > /dev/null || break
		fi
		[ $((t - start)) -ge $((max * 100)) ] && break
	done
	exec 4<&-
	return 0
}

# hang_report PID SECONDS [LOG] (in the background): if PID still runs
# after SECONDS, ask it (SIGUSR1: uevbox's daemon logs what its queue
# holds, to LOG) and print what every thread of it and every module loader
# process waits in (wchan, kernel stack) and which modules are still
# "coming": a hang leaves evidence on the console before boot.sh's timeout.
hang_report() {
	(
		sleep "$2"
		[ -d "/proc/$1" ] || exit 0
		echo "ERROR pid $1 still running after $2 s"
		read -r s1 < /sys/kernel/uevent_seqnum
		kill -USR1 "$1"
		sleep 1
		read -r s2 < /sys/kernel/uevent_seqnum
		echo "HANG uevent seqnum $s1 then $s2 a second later"
		[ -z "$3" ] || tail -n 5 "$3" | sed 's/^/HANG log: /'
		for t in /proc/$1/task/* /proc/[0-9]*; do
			[ -r "$t/comm" ] || continue
			read -r comm < "$t/comm"
			case $t in /proc/$1/task/*) ;; *) case $comm in modalias-load|modprobe) ;; *) continue ;; esac ;; esac
			echo "HANG $t $comm wchan=$(cat "$t/wchan" 2>/dev/null)"
			sed 's/^/HANG   /' "$t/stack" 2>/dev/null | head -n 12
		done
		grep -l coming /sys/module/*/initstate 2>/dev/null | sed 's/^/HANG coming /'
	) &
}

# uevbox has APPLET?  Else print SKIP and return 1.
need_applet() {
	if [ ! -x /bin/uevbox ]; then echo "SKIP no /bin/uevbox in this image"; return 1; fi
	if ! /bin/uevbox --list 2>/dev/null | grep -qx "$1"; then
		echo "SKIP the uevbox binary has no applet '$1'"; return 1
	fi
}

# gz_modules: names of the modules that the index maps to a .ko.gz file
gz_modules() {
	awk -F: '$1 ~ /\.ko\.gz$/ { n = $1; sub(/.*\//, "", n); sub(/\.ko\.gz$/, "", n);
		gsub(/-/, "_", n); print n }' "$MODDIR/modules.dep" | sort
}

# cpu_busy: "busy=S idle=S" from the test's start to the last change, in
# CPU-seconds summed over all CPUs (USER_HZ 100): is the time spent working
# or waiting?
cpu_busy() {
	echo "$CPU0 $CPU_LAST" | awk '{ for (i = 1; i <= 10; i++) { d = $(i + 10) - $i; if (i == 4 || i == 5) idle += d; else busy += d }
		printf "busy=%.2f idle=%.2f sys=%.2f", busy / 100, idle / 100, ($(13) - $3) / 100 }'
}

# report NAME T_DONE [key=val...]: wait for calm, then print RESULT and lists
report() {
	name=$1 tdone=$2; shift 2
	read -r _ CPU_LAST < /proc/stat
	quiesce "$QUIET" 120
	touch /run/watch.stop
	wait "$WATCH_PID"
	# the last change, during the tool's run or after it
	T_LAST=
	[ -s /run/watch.last ] && read -r T_LAST CPU_LAST < /run/watch.last
	modaliases > /run/aliases.end
	modules > /run/modules.end
	echo "RESULT name=$name t_done=$(since "$T_INIT" "$tdone")" \
		"t_last=$(since "$T_INIT" "${T_LAST:-$tdone}") mods=$(wc -l < /run/modules.end)" \
		"aliases=$(wc -l < /run/aliases.end) $(cpu_busy) $*"
	sed 's/^/ALIAS /' /run/aliases.end
	sed 's/^/MOD /' /run/modules.end
	gz_modules > /run/gz
	awk 'FILENAME == "/run/gz" { g[$0] = 1; next } ($0 in g) { print "GZMOD " $0 }' /run/gz /run/modules.end
	# the host's speed drifts (other guests on it); a fixed piece of
	# work, timed after the test, lets runs be put on one scale
	c0=$(now)
	awk 'BEGIN { for (i = 0; i < 100000; i++) s += i * i }'
	echo "INFO calib=$(since "$c0")"
	# vmtest.trace=1: the watcher's samples (uptime seqnum modules cpu...)
	# and the uevents seen, for a timeline on the host
	if [ -n "${TRACE:-}" ]; then
		[ -z "${TRACE_PID:-}" ] || kill "$TRACE_PID"
		sed 's/^/TRACECPU /' /run/trace.cpu
		[ ! -s /run/trace.ev ] || sed 's/^/TRACEEV /' /run/trace.ev
	fi
	# vmtest.dmesg=1 (with initcall_debug on the command line): every module
	# init after /init started, for a timeline of where coldplug's time goes
	[ -z "${DMESG:-}" ] || dmesg | awk -v t0="$T_INIT" '{ t = $0; sub(/^\[ */, "", t); sub(/\].*/, "", t) }
		t + 0 >= t0 + 0 && /initcall|calling/ { print "DMESG " $0 }'
}

# check_nodes DIR: every device the kernel knows with a device number
# (/sys/dev/{char,block}) must have a node DIR/DEVNAME of the right type
# and number.  Prints NODES ok=N bad=N and a BADNODE line per problem.
check_nodes() {
	dir=$1 ok=0 bad=0
	for l in /sys/dev/char/* /sys/dev/block/*; do
		[ -e "$l/uevent" ] || continue
		num=${l##*/} type=c
		case $l in /sys/dev/block/*) type=b ;; esac
		dn=$(sed -n 's/^DEVNAME=//p' "$l/uevent")
		[ -n "$dn" ] || continue
		p=$dir/$dn
		if [ "$type" = c ] && [ ! -c "$p" ]; then
			echo "BADNODE $dn: no char device node (want $num)"; bad=$((bad + 1)); continue
		fi
		if [ "$type" = b ] && [ ! -b "$p" ]; then
			echo "BADNODE $dn: no block device node (want $num)"; bad=$((bad + 1)); continue
		fi
		set -- $(stat -L -c '%t %T' "$p")
		got=$(printf '%d:%d' "0x$1" "0x$2")
		if [ "$got" != "$num" ]; then
			echo "BADNODE $dn: number $got, want $num"; bad=$((bad + 1)); continue
		fi
		ok=$((ok + 1))
	done
	echo "NODES ok=$ok bad=$bad dir=$dir"
}

# kernel_modprobe: the kernel's own module requests (request_module():
# crypto-*, snd-hda-codec-generic, fs-*, ...) go to uevbox's modalias-load,
# which takes the kernel's "-q -- NAME" call: a uevbox system loads every
# module through uevbox, as a udevd system loads them all through kmod.
# Under TCG that matters: aesni alone makes 16 requests at init, each a
# kmod modprobe process costing ~0.2 s of emulated CPU, ~0.03 s for uevbox.
# On the gz layout it is needed as well: Debian's kmod (built without zlib)
# cannot load .ko.gz.
kernel_modprobe() {
	if /bin/uevbox --list 2>/dev/null | grep -qx modalias-load; then
		ln -sf /bin/uevbox /sbin/modalias-load
		echo /sbin/modalias-load > /proc/sys/kernel/modprobe
		echo "INFO kernel module requests: uevbox modalias-load"
	else
		echo "INFO kernel module requests: kmod (no modalias-load applet; .ko.gz requests will fail)"
	fi
}
