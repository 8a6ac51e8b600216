#!/bin/sh
# netwatch.sh — netwatch on the real kernel, inside a network namespace this
# test creates (uevbox-nw-PID) and always deletes: COMMAND fires once per
# interesting change and coalesces bursts, dull changes fire nothing, -w
# waits for a route or times out, -m matches `ip monitor`, an overflowed
# event socket ends in REASON=resync with the right final state, and runs
# never overlap (one pending at most).
. ./lib.sh

if ! is_root; then skip all "not root (needs network namespaces)"; exit 0; fi
if ! command -v ip >/dev/null 2>&1; then skip all "no ip(8) (iproute2)"; exit 0; fi

NS=uevbox-nw-$$
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; kill -CONT "$p" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT
if ! ip netns add "$NS" 2>"$TMPD/err"; then
	skip all "cannot create a network namespace: $(cat "$TMPD/err")"; exit 0
fi
if ! ip -n "$NS" link add nwa0 type veth peer name nwb0 2>"$TMPD/err"; then
	skip all "no veth support: $(cat "$TMPD/err")"; exit 0
fi
nip() { ip -n "$NS" "$@"; }

# wait_lines FILE N SECONDS: until FILE has >= N lines (0 on success)
wait_lines() {
	i=0
	while [ "$i" -lt $(($3 * 10)) ]; do
		[ "$(lines "$1")" -ge "$2" ] && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
lines() { if [ -f "$1" ]; then wc -l < "$1" | tr -d ' '; else echo 0; fi; }
# settle FILE N: wait for N lines, then make sure no more come
settle() { wait_lines "$1" "$2" 5; sleep 1; lines "$1"; }

cat > "$TMPD/rec.sh" <<'X'
echo "$REASON|$IFACES|$DEFAULT_IF|$HAVE_V4|$HAVE_V6" >> "$OUT"
X

# --- COMMAND runs: counted per step -----------------------------------
OUT=$TMPD/runs; export OUT
"$UEVBOX" netwatch -N "$NS" -d 200 -M 2000 -- sh "$TMPD/rec.sh" 2>"$TMPD/nw1.err" &
NW=$!; PIDS="$PIDS $NW"
sleep 1
nip link add nwc0 type veth peer name nwd0	# down links: not interesting
expect_eq down_links_fire_nothing "$(settle "$OUT" 1)" 0
nip link set nwa0 up; nip link set nwb0 up
expect_eq link_up_one_run "$(settle "$OUT" 1)" 1
nip addr add 10.9.0.1/24 dev nwa0
expect_eq address_one_run "$(settle "$OUT" 2)" 2
nip route add default via 10.9.0.2
expect_eq route_one_run "$(settle "$OUT" 3)" 3
expect_eq route_env "$(tail -n 1 "$OUT")" "change|nwa0|nwa0|1|0"
i=1; : > "$TMPD/batch"
while [ $i -le 50 ]; do echo "addr add 10.9.1.$i/24 dev nwa0" >> "$TMPD/batch"; i=$((i + 1)); done
nip -batch "$TMPD/batch"
expect_eq burst_of_50_one_run "$(settle "$OUT" 4)" 4
expect_eq burst_addresses_there "$(nip -4 addr show dev nwa0 | grep -c 'inet 10\.9\.1\.')" 50
nip addr add 169.254.7.7/16 dev nwa0
nip addr add fe80::1234/64 dev nwa0 nodad
sleep 0.5
expect_eq link_local_fires_nothing "$(settle "$OUT" 5)" 4
nip addr add 2001:db8::1/64 dev nwa0 nodad
expect_eq global_v6_one_run "$(settle "$OUT" 5)" 5
expect_eq global_v6_env "$(tail -n 1 "$OUT")" "change|nwa0|nwa0|1|0"
kill "$NW"; wait "$NW" 2>/dev/null
check no_errors test ! -s "$TMPD/nw1.err"

# --- -w wait-online ------------------------------------------------------
nip route del default
t0=$(date +%s)
"$UEVBOX" netwatch -N "$NS" -4 -w -T 1; rc=$?
t1=$(date +%s)
expect_eq wait_timeout_exit_1 "$rc" 1
check wait_timeout_took_time test $((t1 - t0)) -ge 1 -a $((t1 - t0)) -le 4
"$UEVBOX" netwatch -N "$NS" -4 -w -T 20 -d 50 & W=$!; PIDS="$PIDS $W"
sleep 1
if kill -0 "$W" 2>/dev/null; then pass wait_still_waiting; else fail wait_still_waiting "exited before the route"; fi
nip route add default via 10.9.0.2
i=0; while kill -0 "$W" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
wait "$W"; rc=$?
expect_eq wait_route_exit_0 "$rc" 0
check wait_route_fast test "$i" -lt 30
"$UEVBOX" netwatch -N "$NS" -w -T 1; rc=$?
expect_eq wait_already_online "$rc" 0

# --- monitor mode against ip monitor --------------------------------------
"$UEVBOX" netwatch -N "$NS" -m > "$TMPD/nw.mon" 2>"$TMPD/nw.mon.err" & M1=$!
ip netns exec "$NS" ip monitor link address route > "$TMPD/ip.mon" 2>&1 & M2=$!
"$UEVBOX" netwatch -N "$NS" -m -j > "$TMPD/nw.json" 2>&1 & M3=$!
"$UEVBOX" netwatch -N "$NS" -m -t > "$TMPD/nw.ts" 2>&1 & M4=$!
PIDS="$PIDS $M1 $M2 $M3 $M4"
sleep 1
nip link add nwe0 type veth peer name nwf0
nip link set nwe0 up; nip link set nwf0 up
nip addr add 10.9.2.1/24 dev nwe0
nip route add 10.9.3.0/24 via 10.9.2.2
nip addr add 2001:db8:2::1/64 dev nwe0 nodad
nip route del 10.9.3.0/24
nip addr del 10.9.2.1/24 dev nwe0
nip link set nwe0 down
sleep 1
kill "$M1" "$M2" "$M3" "$M4"; wait "$M1" "$M2" "$M3" "$M4" 2>/dev/null
# the essential fields of each first line: link index/name/state, address
# index/name/family/address, route dst/via/dev; "Deleted" kept
norm() {
	awk '
	/^[ \t]/ { next }
	{ d = ""; if ($1 == "Deleted") { d = "del "; $0 = substr($0, 9) } }
	/^[0-9]+: [^ ]+: </ {
		n = $2; sub(/:$/, "", n); sub(/@.*/, "", n); st = ""
		for (i = 3; i < NF; i++) if ($i == "state") st = $(i + 1)
		print d "link " $1 " " n " " st; next
	}
	/^[0-9]+: [^ ]+ +inet6? / { print d "addr " $1 " " $2 " " $3 " " $4; next }
	{
		s = d "route"
		for (i = 1; i <= NF; i++) { s = s " " $i; if ($i == "dev") { s = s " " $(i + 1); break } }
		print s
	}' "$1"
}
norm "$TMPD/ip.mon" > "$TMPD/ip.norm"
norm "$TMPD/nw.mon" > "$TMPD/nw.norm"
if cmp -s "$TMPD/ip.norm" "$TMPD/nw.norm"; then
	pass monitor_matches_ip_monitor
else
	fail monitor_matches_ip_monitor "$(diff "$TMPD/ip.norm" "$TMPD/nw.norm" | head -5 | tr '\n' ';')"
fi
check monitor_saw_address grep -q '^addr [0-9]*: nwe0 inet 10.9.2.1/24$' "$TMPD/nw.norm"
check monitor_saw_route grep -q '^route 10.9.3.0/24 via 10.9.2.2 dev nwe0$' "$TMPD/nw.norm"
check monitor_saw_deleted grep -q '^del addr [0-9]*: nwe0 inet 10.9.2.1/24$' "$TMPD/nw.norm"
check monitor_saw_link_down grep -q '^link [0-9]*: nwe0 DOWN$' "$TMPD/nw.norm"
expect_eq monitor_json_lines "$(grep -c '^{"event":"[a-z]*","action":"\(new\|del\)",.*}$' "$TMPD/nw.json")" \
	"$(lines "$TMPD/nw.mon")"
check monitor_json_route grep -q '"event":"route","action":"new","family":"inet","type":"unicast","dst":"10.9.3.0/24","gateway":"10.9.2.2","dev":"nwe0"' "$TMPD/nw.json"

expect_eq monitor_timestamps "$(grep -c '^\[20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]\{6\}Z\] ' "$TMPD/nw.ts")" \
	"$(lines "$TMPD/nw.mon")"
expect_eq monitor_timestamps_same_events "$(sed 's/^\[[^]]*\] //' "$TMPD/nw.ts" | cksum)" "$(cksum < "$TMPD/nw.mon")"

# --- overflow: a stopped watcher with a tiny buffer, then a storm ----------
OUT=$TMPD/runs2
"$UEVBOX" netwatch -N "$NS" -b 4096 -d 100 -- sh "$TMPD/rec.sh" 2>"$TMPD/nw2.err" &
NW=$!; PIDS="$PIDS $NW"
sleep 1
kill -STOP "$NW"
i=1; : > "$TMPD/batch"
while [ $i -le 200 ]; do echo "addr add 10.9.4.$i/24 dev nwa0" >> "$TMPD/batch"; i=$((i + 1)); done
echo "route del default" >> "$TMPD/batch"
nip -batch "$TMPD/batch"
kill -CONT "$NW"
settle "$OUT" 1 >/dev/null
expect_eq overflow_one_run "$(lines "$OUT")" 1
expect_eq overflow_resync_state "$(tail -n 1 "$OUT")" "resync|nwa0||0|0"
nip route add default via 10.9.0.2
settle "$OUT" 2 >/dev/null
expect_eq after_resync_tracks "$(tail -n 1 "$OUT")" "change|nwa0|nwa0|1|0"
kill "$NW"; wait "$NW" 2>/dev/null

# --- one run at a time, one pending, run timeout ----------------------------
cat > "$TMPD/slow.sh" <<'X'
echo start >> "$OUT"; sleep "$SLOW"; echo end >> "$OUT"
X
OUT=$TMPD/runs3 SLOW=1.5; export SLOW
"$UEVBOX" netwatch -N "$NS" -d 100 -- sh "$TMPD/slow.sh" 2>"$TMPD/nw3.err" &
NW=$!; PIDS="$PIDS $NW"
sleep 1
nip addr add 10.9.5.1/24 dev nwa0; sleep 0.5
nip addr add 10.9.5.2/24 dev nwa0; sleep 0.4
nip addr add 10.9.5.3/24 dev nwa0
wait_lines "$OUT" 4 8; sleep 2
expect_eq runs_serialised "$(tr '\n' ' ' < "$OUT")" "start end start end "
kill "$NW"; wait "$NW" 2>/dev/null
OUT=$TMPD/runs4 SLOW=30
"$UEVBOX" netwatch -N "$NS" -d 100 -k 1 -- sh "$TMPD/slow.sh" 2>"$TMPD/nw4.err" &
NW=$!; PIDS="$PIDS $NW"
sleep 1
nip addr add 10.9.5.4/24 dev nwa0
i=0; while ! grep -q 'timed out' "$TMPD/nw4.err" && [ $i -lt 40 ]; do sleep 0.1; i=$((i + 1)); done
check run_timeout_kills grep -q 'timed out' "$TMPD/nw4.err"
kill "$NW"; wait "$NW" 2>/dev/null
expect_eq run_timeout_no_end "$(tr '\n' ' ' < "$OUT")" "start "

# --- -i/-x filters, -R rules, SIGHUP (no COMMAND: one line per change) -----
"$UEVBOX" netwatch -N "$NS" -d 100 -i 'nwa*' > "$TMPD/i.out" 2>&1 & P1=$!
"$UEVBOX" netwatch -N "$NS" -d 100 -x 'nwa*' > "$TMPD/x.out" 2>&1 & P2=$!
"$UEVBOX" netwatch -N "$NS" -d 100 -R > "$TMPD/R.out" 2>&1 & P3=$!
PIDS="$PIDS $P1 $P2 $P3"
sleep 1
nip addr add 10.9.6.1/24 dev nwa0
settle "$TMPD/i.out" 1 >/dev/null
expect_eq include_glob_fires "$(cat "$TMPD/i.out")" "REASON=change IFACES='nwa0' DEFAULT_IF=nwa0 HAVE_V4=1 HAVE_V6=0"
expect_eq exclude_glob_silent "$(lines "$TMPD/x.out")" 0
nip addr add 10.9.7.1/24 dev nwb0
settle "$TMPD/x.out" 1 >/dev/null
expect_eq exclude_glob_other_iface "$(cat "$TMPD/x.out")" "REASON=change IFACES='nwb0' DEFAULT_IF= HAVE_V4=0 HAVE_V6=0"
expect_eq include_glob_other_silent "$(lines "$TMPD/i.out")" 1
nip rule add from 10.9.8.0/24 table 100
settle "$TMPD/R.out" 1 >/dev/null
expect_eq rules_watched "$(lines "$TMPD/R.out")" 1
check rules_line grep -q '^REASON=change IFACES=.. DEFAULT_IF= HAVE_V4=0 HAVE_V6=0$' "$TMPD/R.out"
expect_eq rules_not_watched_by_default "$(lines "$TMPD/i.out")" 1
kill -HUP "$P1"; sleep 0.5
expect_eq sighup_no_change_no_line "$(lines "$TMPD/i.out")" 1
check sighup_still_running kill -0 "$P1"
kill "$P1" "$P2" "$P3"; wait "$P1" "$P2" "$P3" 2>/dev/null

# --- usage ------------------------------------------------------------------
"$UEVBOX" netwatch -4 -6 >/dev/null 2>&1; expect_eq usage_4_and_6 $? 2
"$UEVBOX" netwatch -N no-such-ns-$$ -w -T 1 >/dev/null 2>&1; expect_eq bad_netns_exit_1 $? 1
