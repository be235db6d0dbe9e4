# Shared by the benchmark scripts: build, start and stop the server, and read its memory.
# Everything runs on 127.0.0.1; every wait has a limit.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PORT:-18080}"
OUT="${OUT:-$ROOT/target/bench/$(date +%Y%m%d-%H%M%S)-$(basename "$0" .sh)}"
SERVER_PID=""
LOADGEN_PID=""
mkdir -p "$OUT"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/summary.txt" >&2; }

# Each side needs a descriptor per connection plus its own jars and selectors. The hard limit is
# as far as a process may go without privileges this machine does not give.
raise_fd_limit() {
  local need="$1" hard
  hard="$(ulimit -Hn)"
  if [[ "$hard" == unlimited ]]; then hard=1048576; fi
  ulimit -n "$hard"
  if (( hard < need )); then
    log "WARNING: ulimit -n is at most $hard here; $need descriptors are needed per process"
  fi
  log "ulimit -n $(ulimit -n)"
}

# Builds both; SERVER_JAR=path skips the server's build and runs that jar instead (to compare two
# versions on the same machine, one run after the other).
build() {
  if [[ -n "${SERVER_JAR:-}" ]]; then
    log "server jar given: $SERVER_JAR; building the load generator"
  else
    log "building the server jar and the load generator"
    (cd "$ROOT" && ./mvnw -q -B -DskipTests package)
    SERVER_JAR="$(ls "$ROOT"/target/webphone-*.jar | grep -v plain | head -n 1)"
  fi
  (cd "$ROOT" && ./mvnw -q -B -f bench/loadgen/pom.xml package)
  LOADGEN_CP="$ROOT/bench/loadgen/target/classes:$(cat "$ROOT/bench/loadgen/target/classpath.txt")"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

# start_server JVM_AND_APP_ARGS...: the server on 127.0.0.1:$PORT with a 512 MB heap; its logs are
# $OUT/$SERVER_NAME.log and $OUT/$SERVER_NAME-gc.log (SERVER_NAME defaults to "server").
start_server() {
  local name="${SERVER_NAME:-server}"
  port_free || { log "port $PORT is in use; set PORT"; exit 1; }
  log "starting the server: -Xms512m -Xmx512m -XX:+AlwaysPreTouch $*"
  # AlwaysPreTouch makes the whole heap resident at start, so that RSS growth is memory outside
  # the heap (native buffers, zlib, thread stacks), which -Xmx does not cap.
  java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+ExitOnOutOfMemoryError -Xlog:gc:file="$OUT/$name-gc.log" \
    ${SERVER_JVM_OPTS:-} -jar "$SERVER_JAR" \
    --server.address=127.0.0.1 --server.port="$PORT" --logging.level.root=WARN "$@" \
    > "$OUT/$name.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$PORT/actuator/health" > /dev/null 2>&1; then
      log "server up, pid $SERVER_PID"
      return 0
    fi
    kill -0 "$SERVER_PID" 2> /dev/null || { log "server exited; see $OUT/$name.log"; exit 1; }
    sleep 1
  done
  log "server did not come up within 120 s"; exit 1
}

stop_process() {
  local pid="$1"
  [[ -n "$pid" ]] && kill -0 "$pid" 2> /dev/null || return 0
  kill "$pid" 2> /dev/null || true
  for _ in $(seq 1 20); do kill -0 "$pid" 2> /dev/null || return 0; sleep 0.5; done
  kill -9 "$pid" 2> /dev/null || true
}

cleanup() {
  stop_process "$LOADGEN_PID"
  stop_process "$SERVER_PID"
  stop_process "$EDGE_PID"
  stop_process "$LEADER_PID"
  stop_process "$REDIS_PID"
}
trap cleanup EXIT

# For the cluster benchmarks: Redis, and two instances on it.
REDIS_PORT="${REDIS_PORT:-16379}"
REDIS_PID=""
LEADER_PID=""
EDGE_PID=""

# start_redis: an empty Redis without persistence on 127.0.0.1:$REDIS_PORT.
start_redis() {
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no > "$OUT/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping > /dev/null 2>&1 && return 0; sleep 0.2; done
  log "redis did not answer on port $REDIS_PORT; see $OUT/redis.log"; exit 1
}

# start_cluster LEADER_PORT EDGE_PORT APP_ARGS...: two instances on that Redis, the leader (started
# first, so it takes the lease) and the edge; sets LEADER_PID and EDGE_PID.
start_cluster() {
  local leader_port="$1" edge_port="$2"; shift 2
  local cluster=(--webphone.cluster.enabled=true --spring.data.redis.url="redis://127.0.0.1:$REDIS_PORT")
  PORT="$leader_port" SERVER_NAME=leader start_server "$@" "${cluster[@]}" --webphone.cluster.instance-id=leader
  LEADER_PID="$SERVER_PID"
  PORT="$edge_port" SERVER_NAME=edge start_server "$@" "${cluster[@]}" --webphone.cluster.instance-id=edge
  EDGE_PID="$SERVER_PID"
  SERVER_PID=""
  log "redis $(redis-server --version | cut -d' ' -f3) on port $REDIS_PORT; leader pid $LEADER_PID on :$leader_port, edge pid $EDGE_PID on :$edge_port"
}

# loadgen SECONDS BENCHMARK ARGS... &: the generator in its own JVM, killed if it overruns SECONDS.
# Always run it in the background: it replaces the subshell, so that $! is the generator itself.
loadgen() {
  local limit="$1"; shift
  exec timeout "$limit" java -Xms1g -Xmx3g ${LOADGEN_JVM_OPTS:-} -cp "$LOADGEN_CP" dev.webphone.bench.LoadGenerator "$@"
}

# Heap in use right after a full collection, in KiB, as the GC log states it (GC.heap_info, a moment
# later, would count what the server allocated in between).
# Of the server $SERVER_PID, whose GC log is $OUT/$SERVER_NAME-gc.log.
heap_after_gc_kib() {
  jcmd "$SERVER_PID" GC.run > /dev/null
  jcmd "$SERVER_PID" GC.heap_info > "$OUT/heap-info-${SERVER_NAME:-server}-$1.txt"
  grep 'Pause Full (Diagnostic Command)' "$OUT/${SERVER_NAME:-server}-gc.log" | tail -n 1 \
    | sed -n 's/.*->\([0-9]*\)\([KMG]\)(.*/\1 \2/p' \
    | awk '{print ($2 == "G") ? $1 * 1048576 : ($2 == "M") ? $1 * 1024 : $1}'
}

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
threads() { awk '/^Threads/ {print $2}' "/proc/$SERVER_PID/status"; }
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"; }

machine_facts() {
  {
    echo "nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "memory: $(free -g | awk '/^Mem/ {print $2 " GiB total, " $7 " GiB available"}')"
    echo "java: $(java -version 2>&1 | head -n 1)"
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  } | tee -a "$OUT/summary.txt" >&2
}
