#!/usr/bin/env bash
# How many idle browsers one server holds in a 512 MB heap, and what each costs.
#
#   bench/idle-capacity.sh                         # 19,000 clients, line without presence
#   CLIENTS=2000 PRESENCE=true bench/idle-capacity.sh   # presence on: every join goes to everyone
#
# Builds the server and the load generator, starts the server with -Xms512m -Xmx512m on
# 127.0.0.1:$PORT, connects CLIENTS browsers from one generator process (each sends connect and
# waits for access-granted), holds them idle for HOLD (past the server's ping interval PING), and
# prints connections held, heap and RSS per connection after a full GC, and the class histogram.
# Stops everything by itself; raw output goes to target/bench/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CLIENTS="${CLIENTS:-19000}"
PRESENCE="${PRESENCE:-false}"
PING="${PING:-25s}"
# A browser answers only the server's pings, so it must be allowed to stay silent longer than the
# ping interval: 12/5 of it, as the defaults (ping 5 s, idle time-out 12 s).
IDLE_TIMEOUT="${IDLE_TIMEOUT:-$(( ${PING%s} * 12 / 5 ))s}"
HOLD="${HOLD:-40}"
IN_FLIGHT="${IN_FLIGHT:-200}"

raise_fd_limit $((CLIENTS + 500))
machine_facts
build
start_server --webphone.lines[0].name=Bench --webphone.lines[0].presence="$PRESENCE" \
  --webphone.signaling.ping-interval="$PING" --webphone.signaling.idle-timeout="$IDLE_TIMEOUT"

sleep 5
base_heap="$(heap_after_gc_kib before)"
base_rss="$(rss_kib)"
log "before: heap after GC ${base_heap} KiB, RSS ${base_rss} KiB, threads $(threads)"

log "connecting $CLIENTS clients (presence=$PRESENCE), holding ${HOLD}s, server ping every $PING, idle time-out $IDLE_TIMEOUT"
loadgen 900 idle --url="ws://127.0.0.1:$PORT/webphone/ws" --line=Bench --clients="$CLIENTS" --hold="${HOLD}s" \
  --in-flight="$IN_FLIGHT" --presence="$PRESENCE" > "$OUT/loadgen.log" 2>&1 &
LOADGEN_PID=$!

for _ in $(seq 1 900); do
  grep -q '^all-connected' "$OUT/loadgen.log" && break
  kill -0 "$LOADGEN_PID" 2> /dev/null || break
  sleep 1
done
grep '^all-connected' "$OUT/loadgen.log" | tee -a "$OUT/summary.txt" >&2 || { log "generator stopped early"; tail "$OUT/loadgen.log"; exit 1; }
log "after connecting: RSS $(rss_kib) KiB, threads $(threads), server CPU $(cpu_seconds "$SERVER_PID") s"

# Measure late in the hold, after the server has pinged everyone at least once.
sleep $((HOLD > 15 ? HOLD - 15 : 1))
heap="$(heap_after_gc_kib held)"
rss="$(rss_kib)"
jcmd "$SERVER_PID" GC.class_histogram > "$OUT/class-histogram.txt"
server_threads="$(threads)"

wait "$LOADGEN_PID" && gen_ok=yes || gen_ok=no
LOADGEN_PID=""
result="$(grep '^RESULT' "$OUT/loadgen.log" || echo 'RESULT none')"
held="$(sed -n 's/.* held_open=\([0-9]*\).*/\1/p' <<< "$result")"
held="${held:-0}"

{
  echo "$result"
  echo "heap after full GC: before ${base_heap} KiB, holding ${heap} KiB of 524288 KiB ($((heap * 100 / 524288))%)"
  echo "RSS: before ${base_rss} KiB, holding ${rss} KiB; server threads: ${server_threads}"
  if (( held > 0 )); then
    awk -v h="$heap" -v b="$base_heap" -v r="$rss" -v br="$base_rss" -v n="$held" \
      'BEGIN {printf "per connection: heap %.1f KiB, RSS %.1f KiB\n", (h - b) / n, (r - br) / n}'
  fi
  echo "generator finished cleanly: $gen_ok"
  echo "class histogram, top 20 (full list in $OUT/class-histogram.txt):"
  sed -n '1,23p' "$OUT/class-histogram.txt"
} | tee -a "$OUT/summary.txt"

# Fail the command when the generator saw failures (it exits non-zero then).
[[ "$gen_ok" == yes ]]
