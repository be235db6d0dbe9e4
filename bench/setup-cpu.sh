#!/usr/bin/env bash
# Server CPU per full call set-up (dial -> IN_CALL, an SDP of about 3.6 KB each way, 4 candidates each
# way, hang-up), by thread group, for one or more server builds alternated: the quick check behind a
# change to the message path.
#
#   bench/setup-cpu.sh                                       # this checkout, 1 run
#   RUNS=3 DURATION=15 bench/setup-cpu.sh old.jar new.jar    # alternated: old, new, old, new, ...
#
# Each run starts the server (512 MB heap, presence off), warms it with WARMUP seconds of set-ups,
# then measures DURATION seconds with PAIRS pairs, 20 set-ups in flight, with the Node generator of
# bench/compare-peerjs.sh (its `ws` client comes with peer@1.0.2: run that script once, or
# `npm install --prefix target/bench/peerjs peer@1.0.2`), then DURATION seconds offered at 1,000/s
# (100 in flight) for the p99 of dial -> IN_CALL. CPU is the server's, from /proc, over the
# measured window only; per set-up means divided by the set-ups completed in it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RUNS="${RUNS:-1}"
PAIRS="${PAIRS:-1000}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-8}"
NODE_MODULES="$ROOT/target/bench/peerjs/node_modules"
[[ -d "$NODE_MODULES/ws" ]] || { log "no $NODE_MODULES/ws: run bench/compare-peerjs.sh once first"; exit 1; }
hz="$(getconf CLK_TCK)"

jars=("$@")
if (( ${#jars[@]} == 0 )); then
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package)
  jars=("$(ls "$ROOT"/target/webphone-*.jar | grep -v plain | head -n 1)")
fi
raise_fd_limit $(( PAIRS * 2 + 2000 ))
machine_facts

calls() { # LOG ARGS...
  local out="$1"; shift
  PEERJS_HOME="$NODE_MODULES" timeout $(( DURATION + 300 )) node --max-old-space-size=2048 \
    "$ROOT/bench/compare/generator.mjs" calls --server=webphone --port="$PORT" --pairs="$PAIRS" "$@" > "$out" 2>&1
}

per_thread() { # FILE: "name|ticks|tid" for each of the server's threads
  for t in /proc/"$SERVER_PID"/task/*; do
    echo "$(cat "$t/comm")|$(cut -d')' -f2- "$t/stat" | awk '{print $12 + $13}')|${t##*/}"
  done > "$1"
}

for run in $(seq 1 "$RUNS"); do
  for jar in "${jars[@]}"; do
    SERVER_JAR="$jar"
    label="$(basename "$jar" .jar)-$run"
    start_server --webphone.lines[0].name=Bench --webphone.lines[0].presence=false
    calls "$OUT/warm-$label.log" --in-flight=20 --duration="$WARMUP"
    sleep 2
    calls "$OUT/gen-$label.log" --in-flight=20 --duration="$DURATION" &
    gen=$!
    for _ in $(seq 1 3000); do grep -q '^READY' "$OUT/gen-$label.log" 2> /dev/null && break; sleep 0.1; done
    load0="$(cut -d' ' -f1 /proc/loadavg)"
    cp "/proc/$SERVER_PID/stat" "$OUT/stat0-$label"; per_thread "$OUT/threads0-$label"
    wait "$gen" || true
    cp "/proc/$SERVER_PID/stat" "$OUT/stat1-$label"; per_thread "$OUT/threads1-$label"
    load1="$(cut -d' ' -f1 /proc/loadavg)"
    calls "$OUT/rate-$label.log" --in-flight=100 --duration="$DURATION" --rate=1000 || true
    python3 - "$OUT" "$label" "$hz" "$load0" "$load1" <<'PY' | tee -a "$OUT/summary.txt"
import collections, json, re, sys
out, label, hz, load0, load1 = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
res = lambda f: json.loads([l for l in open(f) if l.startswith("RESULT ")][-1][7:])
r, rate = res(f"{out}/gen-{label}.log"), res(f"{out}/rate-{label}.log")
n = r["setUps"]
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
print(f"{label}: {n} set-ups, {r['perSecond']:.0f}/s (20 in flight), p99 {r['p99ms']} ms, failed {r.get('failed')}; "
      f"server CPU {us(user + system):.0f} µs per set-up (user {us(user):.0f}, system {us(system):.0f}); "
      + ", ".join(f"{g} {us(t):.0f}" for g, t in groups.most_common(4))
      + f"; at 1,000/s offered: {rate['perSecond']:.0f}/s, p99 {rate['p99ms']} ms; load average {load0} -> {load1}")
PY
    stop_process "$SERVER_PID"; SERVER_PID=""
    sleep 2
  done
done
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
