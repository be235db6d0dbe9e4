#!/usr/bin/env bash
# Webphone and peerjs-server (`peer` 1.0.2 from npm) side by side, alternated, under one load
# generator (bench/compare/generator.mjs, Node) that speaks each server's own protocol with the same
# payloads per set-up (an SDP of about 3.6 KB each way, 4 candidates each way). Prints the ratios of
# the capacity targets.
#
#   bench/compare-peerjs.sh                              # 1 run of each, 19,000 clients
#   RUNS=3 bench/compare-peerjs.sh                       # 3 runs each, alternated
#   CLIENTS=5000 DURATION=10 PRESENCE_SIZES=2000 bench/compare-peerjs.sh   # quicker
#
# Installs Node and npm from Debian when missing, and peer@1.0.2 into target/bench/peerjs. Both
# servers listen on 127.0.0.1 only; every phase has a time limit; everything started is stopped.
# Webphone runs with a 512 MB heap; peerjs-server with Node's defaults and
# --concurrent_limit 20000 (its default of 5,000 would refuse most of the 19,000 clients).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RUNS="${RUNS:-1}"
CLIENTS="${CLIENTS:-19000}"
IN_FLIGHT="${IN_FLIGHT:-200}"
HOLD="${HOLD:-20}"
PAIRS="${PAIRS:-1000}"
DURATION="${DURATION:-20}"
PRESENCE_SIZES="${PRESENCE_SIZES:-2000 5000}"
PEER_PORT="${PEER_PORT:-19000}"
PEER_HOME="$ROOT/target/bench/peerjs"
GENERATOR="$ROOT/bench/compare/generator.mjs"
GEN_PID=""

trap 'stop_process "$GEN_PID"; cleanup' EXIT

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz="$(getconf CLK_TCK)"

install_tools() {
  if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
    log "installing nodejs and npm from Debian"
    apt-get update -qq && apt-get install -y -qq nodejs npm > /dev/null
  fi
  if [[ ! -f "$PEER_HOME/node_modules/peer/package.json" ]]; then
    log "installing peer@1.0.2 into $PEER_HOME"
    mkdir -p "$PEER_HOME"
    npm install --prefix "$PEER_HOME" --no-audit --no-fund --loglevel=error peer@1.0.2 > /dev/null
  fi
  log "node $(node -v), peer $(node -p "require('$PEER_HOME/node_modules/peer/package.json').version")"
}

start_peerjs() {
  port_free_at "$PEER_PORT" || { log "port $PEER_PORT is in use; set PEER_PORT"; exit 1; }
  node "$PEER_HOME/node_modules/peer/dist/bin/peerjs.js" --port "$PEER_PORT" --concurrent_limit 20000 \
    > "$OUT/peerjs.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 60); do
    if curl -fs "http://127.0.0.1:$PEER_PORT/" > /dev/null 2>&1; then log "peerjs-server up, pid $SERVER_PID"; return 0; fi
    sleep 0.5
  done
  log "peerjs-server did not come up"; exit 1
}

port_free_at() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# generator SECONDS ARGS...: runs the generator in the background, output to $OUT/gen-<label>.log
generator() {
  local limit="$1" label="$2"; shift 2
  PEERJS_HOME="$PEER_HOME/node_modules" timeout "$limit" node --max-old-space-size=4096 "$GENERATOR" "$@" \
    > "$OUT/gen-$label.log" 2>&1 &
  GEN_PID=$!
}

wait_for_line() { # FILE PATTERN SECONDS
  for _ in $(seq 1 $(( $3 * 10 ))); do
    grep -q "$2" "$1" 2> /dev/null && return 0
    kill -0 "$GEN_PID" 2> /dev/null || { grep -q "$2" "$1" 2> /dev/null; return $?; }
    sleep 0.1
  done
  return 1
}

result() { grep '^RESULT' "$1" | sed 's/^RESULT //'; }
field() { node -e "const r = JSON.parse(process.argv[1]); console.log(r['$2'] ?? 'null')" "$1"; }

# measure NAME PORT: one server's connection and set-up figures, appended to $OUT/figures.tsv
measure() {
  local name="$1" port="$2" run="$3" label
  label="$name-$run"
  # Connections: handshake + join, then held idle.
  local t0 t1 t2 res
  t0="$(ticks "$SERVER_PID")"
  generator $(( HOLD + 300 )) "$label-connect" connect --server="$name" --port="$port" --clients="$CLIENTS" \
    --in-flight="$IN_FLIGHT" --hold="$HOLD"
  wait_for_line "$OUT/gen-$label-connect.log" '^CONNECTED' 300 || { log "$name: clients did not connect"; exit 1; }
  t1="$(ticks "$SERVER_PID")"
  local threads_after; threads_after="$(threads)"
  sleep 2
  local i0; i0="$(ticks "$SERVER_PID")"
  sleep $(( HOLD - 6 > 4 ? HOLD - 6 : 4 ))
  local i1; i1="$(ticks "$SERVER_PID")"
  local idle_seconds=$(( HOLD - 6 > 4 ? HOLD - 6 : 4 ))
  local mem
  if [[ "$name" == webphone ]]; then mem="heap $(heap_after_gc_kib "$label") KiB"; else mem="rss $(rss_kib) KiB"; fi
  wait "$GEN_PID" || true; GEN_PID=""
  res="$(result "$OUT/gen-$label-connect.log")"
  local connected seconds
  connected="$(field "$res" clients)"; seconds="$(field "$res" seconds)"
  # Call set-ups, 20 in flight, as fast as they go.
  sleep 3
  generator $(( DURATION + 300 )) "$label-calls" calls --server="$name" --port="$port" --pairs="$PAIRS" \
    --in-flight=20 --duration="$DURATION"
  wait_for_line "$OUT/gen-$label-calls.log" '^READY' 300 || { log "$name: pairs did not connect"; exit 1; }
  local c0; c0="$(ticks "$SERVER_PID")"
  wait "$GEN_PID" || true; GEN_PID=""
  local c1; c1="$(ticks "$SERVER_PID")"
  res="$(result "$OUT/gen-$label-calls.log")"
  local setups per_second p99
  setups="$(field "$res" setUps)"; per_second="$(field "$res" perSecond)"; p99="$(field "$res" p99ms)"
  awk -v n="$name" -v r="$run" -v cl="$connected" -v s="$seconds" -v ct=$(( t1 - t0 )) -v th="$threads_after" \
    -v it=$(( i1 - i0 )) -v is="$idle_seconds" -v mem="$mem" -v su="$setups" -v ps="$per_second" -v p99="$p99" \
    -v st=$(( c1 - c0 )) -v hz="$hz" 'BEGIN {
      printf "%s\t%s\t%d\t%.2f\t%.0f\t%d\t%.1f\t%s\t%d\t%.0f\t%.0f\t%s\n", n, r, cl, s, (ct / hz) * 1e6 / cl, th,
        100 * (it / hz) / is, mem, su, ps, (su > 0 ? (st / hz) * 1e6 / su : 0), p99 }' >> "$OUT/figures.tsv"
  log "$name run $run: $(tail -n 1 "$OUT/figures.tsv")"
}

# Webphone only: p99 dial -> IN_CALL at 1,000 set-ups/s, and presence completeness.
webphone_extras() {
  local run="$1" res
  generator 400 "webphone-$run-rate" calls --server=webphone --port="$PORT" --pairs="$PAIRS" --in-flight=100 \
    --duration="$DURATION" --rate=1000
  wait "$GEN_PID" || true; GEN_PID=""
  res="$(result "$OUT/gen-webphone-$run-rate.log")"
  echo -e "rate\t$run\t$(field "$res" perSecond)\t$(field "$res" p99ms)" >> "$OUT/extras.tsv"
  for size in $PRESENCE_SIZES; do
    sleep 3
    generator 400 "webphone-$run-presence-$size" presence --port="$PORT" --clients="$size" --over=5 --wait=120
    wait "$GEN_PID" || true; GEN_PID=""
    res="$(result "$OUT/gen-webphone-$run-presence-$size.log")"
    echo -e "presence\t$run\t$size\t$(field "$res" complete)\t$(field "$res" joinSeconds)\t$(field "$res" completeAfterLastJoinSeconds)" >> "$OUT/extras.tsv"
    log "presence $size: $res"
  done
}

raise_fd_limit $(( CLIENTS + 2000 ))
machine_facts
install_tools
if [[ -z "${SERVER_JAR:-}" ]]; then
  log "building the server jar"
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package)
  SERVER_JAR="$(ls "$ROOT"/target/webphone-*.jar | grep -v plain | head -n 1)"
fi
: > "$OUT/figures.tsv"; : > "$OUT/extras.tsv"

for run in $(seq 1 "$RUNS"); do
  order="webphone peerjs"; (( run % 2 == 0 )) && order="peerjs webphone"
  for name in $order; do
    if [[ "$name" == webphone ]]; then
      start_server --webphone.lines[0].name=Bench --webphone.lines[0].presence=false \
        --webphone.lines[1].name=Presence
      measure webphone "$PORT" "$run"
      webphone_extras "$run"
    else
      start_peerjs
      measure peerjs "$PEER_PORT" "$run"
    fi
    stop_process "$SERVER_PID"; SERVER_PID=""
    sleep 3
  done
done

# Medians over the runs, and the ratios the capacity targets are stated in.
node - "$OUT/figures.tsv" "$OUT/extras.tsv" <<'JS' | tee -a "$OUT/summary.txt"
const fs = require("fs");
const rows = fs.readFileSync(process.argv[2], "utf8").trim().split("\n").map(l => l.split("\t"));
const extras = fs.existsSync(process.argv[3]) ? fs.readFileSync(process.argv[3], "utf8").trim().split("\n").filter(Boolean).map(l => l.split("\t")) : [];
const median = a => { const s = a.map(Number).sort((x, y) => x - y); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
const col = (name, i) => rows.filter(r => r[0] === name).map(r => r[i]);
const w = i => median(col("webphone", i)), p = i => median(col("peerjs", i));
const range = (name, i) => { const v = col(name, i).map(Number); return v.length > 1 ? `${Math.min(...v)}–${Math.max(...v)}` : `${v[0]}`; };
const line = (what, i, target, holds) => console.log(`| ${what} | ${range("peerjs", i)} | ${range("webphone", i)} | ${target} | ${holds} |`);
console.log("| measure | peerjs-server | Webphone | target | holds |\n|---|---|---|---|---|");
line("server CPU per connection, µs (handshake + join)", 4, `ratio ≤ 1.5 (now ${(w(4) / p(4)).toFixed(2)})`, w(4) / p(4) <= 1.5 ? "yes" : "no");
line(`time to connect ${rows[0][2]} clients, s (${process.env.IN_FLIGHT || 200} in flight)`, 3, `ratio ≤ 1.5 (now ${(w(3) / p(3)).toFixed(2)})`, w(3) / p(3) <= 1.5 ? "yes" : "no");
line("server threads after the burst", 5, "Webphone ≤ 64", w(5) <= 64 ? "yes" : "no");
line("server CPU holding the clients idle, % of a core", 6, "(compare)", "-");
const perConn = (name) => col(name, 7).map((m, i) => (Number(m.split(" ")[1]) / Number(col(name, 2)[i])).toFixed(1));
console.log(`| memory per connection, KiB (Webphone: heap after a full GC, 512 MB heap; peerjs: RSS) | ${perConn("peerjs").join(", ")} | ${perConn("webphone").join(", ")} | Webphone ≤ 12 | ${median(perConn("webphone")) <= 12 ? "yes" : "no"} |`);
line("server CPU per set-up, µs (Webphone: full set-up; peerjs: offer, answer, 8 candidates)", 10, `ratio ≤ 1 (now ${(w(10) / p(10)).toFixed(2)})`, w(10) / p(10) <= 1 ? "yes" : "no");
line("set-ups per second, 20 in flight", 9, "Webphone ≥ 3,000", w(9) >= 3000 ? "yes" : "no");
for (const e of extras) {
  if (e[0] === "rate") console.log(`| Webphone p99 dial→IN_CALL at 1,000/s offered (achieved ${Math.round(e[2])}/s), ms | | ${Number(e[3]).toFixed(1)} | ≤ 10 | ${Number(e[3]) <= 10 ? "yes" : "no"} |`);
  if (e[0] === "presence") console.log(`| Webphone presence: ${e[2]} clients joined in ${Number(e[4]).toFixed(1)} s, all rosters complete after the last join, s | | ${e[5] === "null" ? `incomplete (${e[3]} of ${e[2]})` : Number(e[5]).toFixed(2)} | ≤ ${Number(e[2]) <= 2000 ? 3 : 15} | ${e[5] !== "null" && Number(e[5]) <= (Number(e[2]) <= 2000 ? 3 : 15) ? "yes" : "no"} |`);
}
JS
log "raw figures: $OUT/figures.tsv, $OUT/extras.tsv; generator logs: $OUT/gen-*.log"
