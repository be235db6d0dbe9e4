#!/usr/bin/env bash
# How long the browsers of a killed instance take to resume on another instance of the cluster.
#
#   bench/cluster-resume.sh                        # 2,000 clients
#   CLIENTS=5000 bench/cluster-resume.sh
#   KILL=leader bench/cluster-resume.sh            # the leader killed: the edge takes the line over
#
# Starts a Redis on a free port and two instances with -Xms512m -Xmx512m (the leader on $PORT, the
# edge on $PORT+1); CLIENTS browsers join through the edge; the edge is killed (SIGKILL); each browser
# reconnects at once to the leader and resumes its session with its secret, at most 200 at a time.
# Prints the time from the first lost connection to the last resumed session, and whether every
# browser kept its number. With KILL=leader the browsers join through the leader, which is killed;
# they resume at once on the edge, where their resumes wait until the edge has taken the lease over
# (two leases at most, webphone.cluster.lease, 5 s by default) and restored the line from Redis.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CLIENTS="${CLIENTS:-2000}"
KILL="${KILL:-edge}"
LEADER_PORT="$PORT"
EDGE_PORT=$((PORT + 1))
[[ "$KILL" == edge || "$KILL" == leader ]] || { echo "KILL is edge or leader, not '$KILL'" >&2; exit 2; }


raise_fd_limit $((CLIENTS * 2 + 500))
machine_facts
build

start_redis

start_cluster "$LEADER_PORT" "$EDGE_PORT" --webphone.lines[0].name=Bench --webphone.lines[0].presence=false \
  --logging.level.dev.webphone.cluster.LeaderSessions=INFO

if [[ "$KILL" == edge ]]; then
  JOIN_PORT="$EDGE_PORT"; RESUME_PORT="$LEADER_PORT"; VICTIM_PID="$EDGE_PID"
else
  JOIN_PORT="$LEADER_PORT"; RESUME_PORT="$EDGE_PORT"; VICTIM_PID="$LEADER_PID"
fi
log "joining $CLIENTS clients through the $KILL (:$JOIN_PORT); they resume on the other instance (:$RESUME_PORT)"
loadgen 600 resume --url="ws://127.0.0.1:$JOIN_PORT/webphone/ws" --resume-url="ws://127.0.0.1:$RESUME_PORT/webphone/ws" \
  --line=Bench --clients="$CLIENTS" > "$OUT/loadgen.log" 2>&1 &
LOADGEN_PID=$!
for _ in $(seq 1 600); do
  grep -q '^READY' "$OUT/loadgen.log" && break
  kill -0 "$LOADGEN_PID" 2> /dev/null || break
  sleep 0.5
done
grep -q '^READY' "$OUT/loadgen.log" || { log "the clients did not all join"; tail "$OUT/loadgen.log"; exit 1; }
log "killing the $KILL (pid $VICTIM_PID) with SIGKILL"
kill -9 "$VICTIM_PID"
wait "$LOADGEN_PID" && ok=yes || ok=no
LOADGEN_PID=""
{
  grep '^all-connected' "$OUT/loadgen.log" || true
  grep '^RESULT' "$OUT/loadgen.log" || echo 'RESULT none'
  [[ "$KILL" == leader ]] && grep -h 'Restored' "$OUT/edge.log" | sed 's/.*LeaderSessions *: //' || true
  echo "generator finished cleanly: $ok; load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$OUT/summary.txt"
[[ "$ok" == yes ]]
