#!/usr/bin/env bash
# What idle browsers cost in a cluster of two instances: the browsers connect to one instance (an
# edge), whose sessions the other (the leader) holds, and both are measured.
#
#   bench/cluster-idle.sh                          # 10,000 clients, line without presence
#   CLIENTS=2000 HOLD=60 bench/cluster-idle.sh
#
# Starts a Redis on a free port and two instances with -Xms512m -Xmx512m (the leader first, on
# $PORT, then the edge on $PORT+1), connects CLIENTS browsers to the edge from one generator process,
# holds them idle past several of the edge's pings (every 5 s by default), and prints for each instance the heap and RSS per
# connection after a full GC, its threads and the CPU it spent while the browsers were idle.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CLIENTS="${CLIENTS:-10000}"
PING="${PING:-5s}"   # the default; the idle time-out (12 s) must stay above it
HOLD="${HOLD:-45}"
LEADER_PORT="$PORT"
EDGE_PORT=$((PORT + 1))


raise_fd_limit $((CLIENTS + 500))
machine_facts
build

start_redis

start_cluster "$LEADER_PORT" "$EDGE_PORT" --webphone.lines[0].name=Bench --webphone.lines[0].presence=false \
  --webphone.signaling.ping-interval="$PING"
# The leader serves a lease (5 s) after it took the lease.
sleep 8

# measure NAME PID TAG: heap after a full GC (KiB) of one instance
measure() { SERVER_PID="$2" SERVER_NAME="$1" heap_after_gc_kib "$3"; }
rss_of() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
threads_of() { awk '/^Threads/ {print $2}' "/proc/$1/status"; }

leader_heap0="$(measure leader "$LEADER_PID" before)"; edge_heap0="$(measure edge "$EDGE_PID" before)"
leader_rss0="$(rss_of "$LEADER_PID")"; edge_rss0="$(rss_of "$EDGE_PID")"

log "connecting $CLIENTS clients to the edge (:$EDGE_PORT), holding ${HOLD}s, ping every $PING"
loadgen 900 idle --url="ws://127.0.0.1:$EDGE_PORT/webphone/ws" --line=Bench --clients="$CLIENTS" --hold="${HOLD}s" \
  --in-flight=200 --presence=false > "$OUT/loadgen.log" 2>&1 &
LOADGEN_PID=$!
for _ in $(seq 1 900); do
  grep -q '^all-connected' "$OUT/loadgen.log" && break
  kill -0 "$LOADGEN_PID" 2> /dev/null || break
  sleep 1
done
grep '^all-connected' "$OUT/loadgen.log" | tee -a "$OUT/summary.txt" >&2 || { log "generator stopped early"; tail "$OUT/loadgen.log"; exit 1; }

# The idle CPU over a window that holds at least one round of pings.
leader_cpu0="$(cpu_seconds "$LEADER_PID")"; edge_cpu0="$(cpu_seconds "$EDGE_PID")"; redis_cpu0="$(cpu_seconds "$REDIS_PID")"
sleep $((HOLD > 15 ? HOLD - 15 : 1))
window=$((HOLD > 15 ? HOLD - 15 : 1))
leader_cpu1="$(cpu_seconds "$LEADER_PID")"; edge_cpu1="$(cpu_seconds "$EDGE_PID")"; redis_cpu1="$(cpu_seconds "$REDIS_PID")"
leader_heap="$(measure leader "$LEADER_PID" held)"; edge_heap="$(measure edge "$EDGE_PID" held)"
leader_rss="$(rss_of "$LEADER_PID")"; edge_rss="$(rss_of "$EDGE_PID")"
leader_threads="$(threads_of "$LEADER_PID")"; edge_threads="$(threads_of "$EDGE_PID")"

wait "$LOADGEN_PID" && gen_ok=yes || gen_ok=no
LOADGEN_PID=""
result="$(grep '^RESULT' "$OUT/loadgen.log" || echo 'RESULT none')"
held="$(sed -n 's/.* held_open=\([0-9]*\).*/\1/p' <<< "$result")"
held="${held:-0}"

{
  echo "$result"
  for who in leader edge; do
    h0="${who}_heap0"; h="${who}_heap"; r0="${who}_rss0"; r="${who}_rss"; t="${who}_threads"; c0="${who}_cpu0"; c1="${who}_cpu1"
    awk -v w="$who" -v h="${!h}" -v b="${!h0}" -v r="${!r}" -v br="${!r0}" -v n="$held" -v t="${!t}" \
      -v c0="${!c0}" -v c1="${!c1}" -v s="$window" \
      'BEGIN {printf "%s: heap after full GC %d KiB (%.1f KiB per connection), RSS %.1f KiB per connection, %d threads, idle CPU %.1f%% of a core\n", w, h, (h - b) / (n ? n : 1), (r - br) / (n ? n : 1), t, (c1 - c0) * 100 / s}'
  done
  awk -v c0="$redis_cpu0" -v c1="$redis_cpu1" -v s="$window" 'BEGIN {printf "redis: idle CPU %.1f%% of a core\n", (c1 - c0) * 100 / s}'
  echo "generator finished cleanly: $gen_ok; load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$OUT/summary.txt"
[[ "$gen_ok" == yes ]]
