#!/usr/bin/env bash
# How many call set-ups per second one server handles, and how long a set-up takes.
#
#   bench/call-throughput.sh                       # 500 pairs, 5 s warm-up, 30 s measured
#   PAIRS=200 DURATION=60s bench/call-throughput.sh
#   JFR=1 bench/call-throughput.sh                 # also record a flight recording of the server
#
# Builds the server and the load generator, starts the server with -Xms512m -Xmx512m on
# 127.0.0.1:$PORT (line without presence), and runs the generator in a second process: each pair
# loops dial -> RINGING -> incoming -> accept -> IN_CALL on both sides -> hangup -> COMPLETED on
# both sides, each pair at most CALLS_PER_PAIR calls a second (the server's per-browser rate limit,
# 50 messages a second, allows 25), so the offered load is PAIRS x CALLS_PER_PAIR. Prints set-ups
# per second, set-up latency (dial sent to the caller's IN_CALL) and the CPU each process used. Server and generator share this machine's cores.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PAIRS="${PAIRS:-500}"
CALLS_PER_PAIR="${CALLS_PER_PAIR:-20}"
WARMUP="${WARMUP:-5s}"
DURATION="${DURATION:-30s}"

raise_fd_limit $((PAIRS * 2 + 500))
machine_facts
build
if [[ "${JFR:-0}" == 1 ]]; then
  SERVER_JVM_OPTS="${SERVER_JVM_OPTS:-} -XX:StartFlightRecording=filename=$OUT/server.jfr,settings=profile"
fi
start_server --webphone.lines[0].name=Bench --webphone.lines[0].presence=false --webphone.limits.call-attempts-per-minute=0

server_cpu_before="$(cpu_seconds "$SERVER_PID")"
log "running $PAIRS pairs, at most $CALLS_PER_PAIR calls/s each: ${WARMUP} warm-up, ${DURATION} measured"
loadgen 600 calls --url="ws://127.0.0.1:$PORT/webphone/ws" --line=Bench --pairs="$PAIRS" --calls-per-pair="$CALLS_PER_PAIR" \
  --warmup="$WARMUP" --duration="$DURATION" > "$OUT/loadgen.log" 2>&1 &
LOADGEN_PID=$!
# Sample both processes' CPU while the generator runs (it exits on its own).
gen_cpu=0
while kill -0 "$LOADGEN_PID" 2> /dev/null; do
  # $LOADGEN_PID is timeout(1); the generator's JVM is its child.
  gen_java="$(pgrep -P "$LOADGEN_PID" | head -n 1 || true)"
  [[ -n "$gen_java" ]] && gen_cpu="$(cpu_seconds "$gen_java" 2> /dev/null || echo "$gen_cpu")"
  sleep 1
done
wait "$LOADGEN_PID" && gen_ok=yes || gen_ok=no
LOADGEN_PID=""
server_cpu_after="$(cpu_seconds "$SERVER_PID")"
heap="$(heap_after_gc_kib after)"

{
  grep -v '^RESULT' "$OUT/loadgen.log" | tail -n 8
  grep '^RESULT' "$OUT/loadgen.log" || echo 'RESULT none'
  echo "server CPU during the run: $(awk -v a="$server_cpu_after" -v b="$server_cpu_before" 'BEGIN {printf "%.1f", a - b}') s; generator CPU: ${gen_cpu} s (whole run, including connecting and JIT warm-up)"
  echo "server threads: $(threads); heap after full GC at the end: ${heap} KiB; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "generator finished cleanly: $gen_ok"
  if [[ "${JFR:-0}" == 1 ]]; then echo "flight recording: $OUT/server.jfr (written when the server stops)"; fi
} | tee -a "$OUT/summary.txt"

# Fail the command when the generator saw failures (it exits non-zero then).
[[ "$gen_ok" == yes ]]
