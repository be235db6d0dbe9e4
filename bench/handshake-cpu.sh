#!/usr/bin/env bash
# Server CPU per WebSocket handshake + join, by thread group, and heap per connection, for one or more
# server builds alternated: the quick check behind a change to the connection path.
#
#   bench/handshake-cpu.sh                                   # this checkout, 6,000 clients, 1 run
#   RUNS=3 CLIENTS=6000 bench/handshake-cpu.sh old.jar new.jar   # alternated: old, new, old, new, ...
#
# The server (512 MB heap, presence off) first takes 2,000 clients that leave again (class loading and
# the first compilations), then CLIENTS clients connect, 200 handshakes in flight, with the Node
# generator of bench/compare-peerjs.sh (its `ws` client comes with peer@1.0.2: run that script once, or
# `npm install --prefix target/bench/peerjs peer@1.0.2`). CPU is the server's from the first handshake
# to the last access-granted; heap is after a full GC with all clients connected.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RUNS="${RUNS:-1}"
CLIENTS="${CLIENTS:-6000}"
NODE_MODULES="$ROOT/target/bench/peerjs/node_modules"
[[ -d "$NODE_MODULES/ws" ]] || { log "no $NODE_MODULES/ws: run bench/compare-peerjs.sh once first"; exit 1; }
hz="$(getconf CLK_TCK)"

jars=("$@")
if (( ${#jars[@]} == 0 )); then
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package)
  jars=("$(ls "$ROOT"/target/webphone-*.jar | grep -v plain | head -n 1)")
fi
raise_fd_limit $(( CLIENTS + 2000 ))
machine_facts

generate() { # CLIENTS HOLD LOG
  PEERJS_HOME="$NODE_MODULES" timeout 300 node "$ROOT/bench/compare/generator.mjs" connect --server=webphone \
    --port="$PORT" --clients="$1" --in-flight=200 --hold="$2" > "$3" 2>&1
}

# per_thread FILE: CPU ticks of each of the server's threads, "name|ticks"
per_thread() {
  for t in /proc/"$SERVER_PID"/task/*; do
    echo "$(cat "$t/comm")|$(cut -d')' -f2- "$t/stat" | awk '{print $12 + $13}')|${t##*/}"
  done > "$1"
}

for run in $(seq 1 "$RUNS"); do
  for jar in "${jars[@]}"; do
    SERVER_JAR="$jar"
    label="$(basename "$jar" .jar)-$run"
    start_server --webphone.lines[0].name=Bench --webphone.lines[0].presence=false
    generate 2000 1 "$OUT/warm-$label.log"
    sleep 2
    cp "/proc/$SERVER_PID/stat" "$OUT/stat0-$label"; per_thread "$OUT/threads0-$label"
    generate "$CLIENTS" 8 "$OUT/gen-$label.log" &
    gen=$!
    for _ in $(seq 1 3000); do grep -q '^CONNECTED' "$OUT/gen-$label.log" && break; sleep 0.1; done
    cp "/proc/$SERVER_PID/stat" "$OUT/stat1-$label"; per_thread "$OUT/threads1-$label"
    server_threads="$(threads)"
    heap="$(heap_after_gc_kib "$label")"
    wait "$gen" || true
    python3 - "$OUT" "$label" "$CLIENTS" "$hz" "$heap" "$server_threads" "$(grep '^CONNECTED' "$OUT/gen-$label.log")" <<'PY' | tee -a "$OUT/summary.txt"
import collections, re, sys
out, label, n, hz, heap, threads, connected = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7]
us = lambda ticks: ticks * 1e6 / hz / n
def stat(f):
    return open(f).read().rsplit(")", 1)[1].split()
s0, s1 = stat(f"{out}/stat0-{label}"), stat(f"{out}/stat1-{label}")
user, system = int(s1[11]) - int(s0[11]), int(s1[12]) - int(s0[12])
def threads_of(f):
    return {tid: (name, int(t or 0)) for name, t, tid in (l.rstrip("\n").rsplit("|", 2) for l in open(f))}
a, b = threads_of(f"{out}/threads0-{label}"), threads_of(f"{out}/threads1-{label}")
groups = collections.Counter()
for tid, (name, t) in b.items():
    groups[re.sub(r"[-#]?\d+$", "", re.sub(r"\d+", "N", name)).strip()] += t - a.get(tid, (name, 0))[1]
print(f"{label}: {connected}; server CPU {us(user + system):.0f} µs per connection (user {us(user):.0f}, system {us(system):.0f}); "
      + ", ".join(f"{g} {us(t):.0f}" for g, t in groups.most_common(4))
      + f"; {threads} threads; heap after GC {heap} KiB ({heap / n:.1f} KiB per connection, the empty server's included)")
PY
    stop_process "$SERVER_PID"; SERVER_PID=""
    sleep 2
  done
done
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
