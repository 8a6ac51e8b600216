# lib.sh — shared by the guest scripts (busybox sh; sourced).
#
# Output protocol, one record per line on the console (boot.sh keeps the
# lines between the markers; run.sh and bench-vm.sh read them):
#   RESULT name=N t_done=S t_last=S mods=N aliases=N [key=val...]
#          t_done  /init start -> the tool under test returned (seconds)
#          t_last  /init start -> the last uevent or module change seen
#                  before QUIET seconds of calm (all work finished)
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
	esac
done

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

# quiesce Q MAX: return once neither the uevent sequence number nor the
# module list changed and no modprobe process ran for Q seconds (or MAX
# seconds passed).  A modprobe that finds its module already loaded changes
# nothing visible, yet its daemon is still busy with a backlog.  Sets T_LAST
# to the uptime of the last change seen ("" if none).
quiesce() {
	q=$1 max=$2 T_LAST=
	start=$(now) seq=$(cat /sys/kernel/uevent_seqnum) m=$(nmodules) last=$start
	while :; do
		sleep 0.1
		t=$(now) s=$(cat /sys/kernel/uevent_seqnum) n=$(nmodules)
		if [ "$s" != "$seq" ] || [ "$n" != "$m" ] || pidof modprobe > /dev/null; then
			seq=$s m=$n last=$t T_LAST=$t
		fi
		awk -v t="$t" -v l="$last" -v s="$start" -v q="$q" -v x="$max" \
			'BEGIN { exit !(t - l >= q || t - s >= x) }' && return 0
	done
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

# report NAME T_DONE [key=val...]: wait for calm, then print RESULT and lists
report() {
	name=$1 tdone=$2; shift 2
	quiesce "$QUIET" 120
	modaliases > /run/aliases.end
	modules > /run/modules.end
	echo "RESULT name=$name t_done=$(since "$T_INIT" "$tdone")" \
		"t_last=$(since "$T_INIT" "${T_LAST:-$tdone}") mods=$(wc -l < /run/modules.end)" \
		"aliases=$(wc -l < /run/aliases.end) $*"
	sed 's/^/ALIAS /' /run/aliases.end
	sed 's/^/MOD /' /run/modules.end
	gz_modules > /run/gz
	awk 'FILENAME == "/run/gz" { g[$0] = 1; next } ($0 in g) { print "GZMOD " $0 }' /run/gz /run/modules.end
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

# kernel_modprobe: on the gz layout the kernel's own module requests
# (request_module(): snd-hda-codec-generic, crypto-*, fs-*, ...) must go to
# a loader that reads .ko.gz, which Debian's kmod (built without zlib)
# cannot.  uevbox's modalias-load takes the kernel's "-q -- NAME" call.
kernel_modprobe() {
	[ "$(cat /vmtest/layout)" = gz ] || return 0
	if /bin/uevbox --list 2>/dev/null | grep -qx modalias-load; then
		ln -sf /bin/uevbox /sbin/modalias-load
		echo /sbin/modalias-load > /proc/sys/kernel/modprobe
		echo "INFO kernel module requests: uevbox modalias-load"
	else
		echo "INFO kernel module requests: kmod (no modalias-load applet; .ko.gz requests will fail)"
	fi
}
