#!/usr/bin/env bash
# Call set-ups per second and set-up latency with the two parties on different instances of a
# cluster, against the same load on one instance, in one run on one machine.
#
#   bench/cluster-throughput.sh                    # 200 pairs, 5 s warm-up, 30 s measured, each way
#   PAIRS=100 DURATION=20s bench/cluster-throughput.sh
#
# Starts a Redis (redis-server, no persistence) on a free port, then:
#   1. one instance, no cluster: callers and callees on it (as bench/call-throughput.sh);
#   2. two instances on that Redis: callers on the first, callees on the second, so every message of
#      every call crosses Redis (both parties' edges and the leader).
# Each instance has -Xms512m -Xmx512m; the generator runs in a process of its own. Everything shares
# this machine's cores, Redis included.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PAIRS="${PAIRS:-200}"
CALLS_PER_PAIR="${CALLS_PER_PAIR:-20}"
WARMUP="${WARMUP:-5s}"
DURATION="${DURATION:-30s}"
FIRST_PORT="$PORT"
SECOND_PORT=$((PORT + 1))
LINE_ARGS=(--webphone.lines[0].name=Bench --webphone.lines[0].presence=false --webphone.limits.call-attempts-per-minute=0)


raise_fd_limit $((PAIRS * 2 + 500))
machine_facts
build

start_redis

# run_calls NAME CALLER_PORT CALLEE_PORT: the generator against the running instance(s).
run_calls() {
  local name="$1" caller_port="$2" callee_port="$3" pids=("${@:4}") before=() after=() i
  for i in "${!pids[@]}"; do before[$i]="$(cpu_seconds "${pids[$i]}")"; done
  log "$name: $PAIRS pairs, at most $CALLS_PER_PAIR calls/s each, callers on :$caller_port, callees on :$callee_port"
  loadgen 600 calls --url="ws://127.0.0.1:$caller_port/webphone/ws" --callee-url="ws://127.0.0.1:$callee_port/webphone/ws" \
    --line=Bench --pairs="$PAIRS" --calls-per-pair="$CALLS_PER_PAIR" --warmup="$WARMUP" --duration="$DURATION" \
    > "$OUT/loadgen-$name.log" 2>&1 &
  LOADGEN_PID=$!
  wait "$LOADGEN_PID" && ok=yes || ok=no
  LOADGEN_PID=""
  for i in "${!pids[@]}"; do after[$i]="$(cpu_seconds "${pids[$i]}")"; done
  {
    echo "$name: $(grep '^RESULT' "$OUT/loadgen-$name.log" || echo 'RESULT none')"
    for i in "${!pids[@]}"; do
      echo "$name: process ${pids[$i]} CPU during the run: $(awk -v a="${after[$i]}" -v b="${before[$i]}" 'BEGIN {printf "%.1f", a - b}') s"
    done
    echo "$name: load average $(cut -d' ' -f1-3 /proc/loadavg); generator finished cleanly: $ok"
  } | tee -a "$OUT/summary.txt"
}

# 1. One instance.
PORT="$FIRST_PORT" SERVER_NAME=single start_server "${LINE_ARGS[@]}"
run_calls single "$FIRST_PORT" "$FIRST_PORT" "$SERVER_PID"
stop_process "$SERVER_PID"
SERVER_PID=""

# 2. Two instances of a cluster; the first one started leads.
start_cluster "$FIRST_PORT" "$SECOND_PORT" "${LINE_ARGS[@]}"
run_calls across "$FIRST_PORT" "$SECOND_PORT" "$LEADER_PID" "$EDGE_PID" "$REDIS_PID"
echo "across: redis $(redis-cli -p "$REDIS_PORT" info stats | grep -E '^(total_connections_received|total_commands_processed)' | tr -d '\r' | tr '\n' ' ')" | tee -a "$OUT/summary.txt"
