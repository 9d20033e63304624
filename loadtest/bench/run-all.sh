#!/usr/bin/env bash
# Re-runs the benchmark table of docs/benchmarks.md: Switchboard next to the Node reference server,
# same load, same machine, one after the other. Starts a throwaway Postgres (../shared/bench/start-postgres),
# then for each scenario and each target a fresh server on it, runs the load generator against it and
# stops it; finally writes a side-by-side Markdown table. Everything it starts, it stops (also on Ctrl-C).
#
#   loadtest/bench/run-all.sh                      # everything, about an hour
#   SCENARIOS="fanout durable" loadtest/bench/run-all.sh
#
# Every run watches the CPU of the server's processes and its Postgres (and Switchboard's Redis): fan-out steps
# report CPU milliseconds per message of each (--watch-pid).
#
# Settings (environment): SCENARIOS (idle storm storm-floor failover fanout fanout-durable reactions large-room large-room-durable cost cost-floor cost-durable cost-batched
# cost-split deflate floor durable durable-nobatch ackrate broadcast slow churn churn-cold scale; storm-floor and cost-floor run the storm and cost against FloorServer, the Socket.IO layer alone relaying from memory; floor runs no server: what fan-out's frames cost the kernel, loadtest/bench/wire-floor.c, needs gcc),
# TARGETS (the order: reference switchboard), OUT (result folder),
# SB_JAR and LT_JAR (the jars to run; by default the ones built here),
# PG_PORT (55491), REF_PORT (3100), SB_PORT (3200; the split layout's Hazelcast members take CLUSTER_BASE (SB_PORT+2611,
# so 5811 by default) to CLUSTER_BASE+3), SB_HEAP (1g), SB_JVM (Switchboard's JVM options besides the heap,
# -XX:MaxTenuringThreshold=2 -XX:TrimNativeHeapInterval=5000 as in the deployments, and on JDK 25 or newer
# -XX:+UseCompactObjectHeaders as in the image), SB_JAVA_HOME (the JDK of Switchboard's processes; the java on the PATH
# by default), SB_AOT (on: with JDK 25 or newer, an AOT cache made by one training run (--exit-when-ready, SB_WARMUP
# connections) before the scenarios and used by every Switchboard process, as the image does; off), SB_EXTRA_ENV (KEY=VALUE ... for every Switchboard process, e.g.
# "PERSIST_BATCH_WINDOW_MS=5": not the keys run-all sets itself); add e.g. "-Xms1g -XX:+AlwaysPreTouch" for a fixed, pre-touched heap), SB_WARMUP (Switchboard's
# WARMUP_CONNECTIONS, 5000 as in k8s/; 0 for a gateway that meets its first clients uncompiled), IDLE_SOCKETS (18000),
# STORM_SOCKETS (18000), STORM_RATE (3000 connects/s) and STORM_LT_JVM (the storm's generator: LT_JVM, C1 only), COST_RATE (500 msg/s), COST_SECONDS (60) and COST_BATCH_WINDOW (20 ms, cost-batched's PERSIST_BATCH_WINDOW_MS), LARGE_ROOM_RATES (20,40,80), DEFLATE_RATE (500 msg/s),
# DEFLATE_SECONDS (30) and DEFLATE_BODY_BYTES (2000), LT_JVM (the load generator's JVM options), FANOUT_RATES, STEP_SECONDS (15), WARMUP_SECONDS (30: before the
# measured steps of fanout, durable and ackrate; a JVM needs that long at load to compile its hot paths, and both targets get the same),
# FANOUT_WARMUP_RATE (500), SCALE_JVM (the JVM options of every process of the scale scenario), SCALE_WARMUP_SECONDS
# (90: the scale scenario's warm-up; three gateway JVMs compile on the same two cores, see below), FAILOVER_ROOMS (300 rooms
# of 10), FAILOVER_RATE (300 msg/s), FAILOVER_KILL_AFTER (20 s), FAILOVER_AFTER (30 s), FAILOVER_RECONNECT_DELAY_MS (1000,
# jittered +-50% as socket.io-client; 0 for every socket at once), REF_DIR (the reference server's sources).
#
# failover: gateway A killed with kill -9 while its sockets chat; they reconnect to gateway B and rejoin with sinceSeq.
# Switchboard: the split layout with two gateways (A on SB_PORT, B on SB_PORT+1, ops ports SB_PORT+90 and +93);
# the reference: two processes with the Redis adapter on one Redis (REF_PORT+80), A on REF_PORT, B on REF_PORT+1.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SCENARIOS=${SCENARIOS:-idle storm storm-floor failover fanout fanout-durable reactions large-room large-room-durable cost cost-floor cost-durable cost-batched cost-split deflate floor durable durable-nobatch ackrate broadcast slow churn churn-cold scale}
TARGETS=${TARGETS:-reference switchboard}
OUT=${OUT:-$ROOT/loadtest/target/bench-$(date +%Y%m%d-%H%M%S)}
PG_PORT=${PG_PORT:-55491}
REF_PORT=${REF_PORT:-3100}
SB_PORT=${SB_PORT:-3200}
SB_HEAP=${SB_HEAP:-1g}
# As the deployments (deploy/Dockerfile, k8s/): SB_JAVA, SB_JVM.
. "$ROOT/loadtest/bench/sb-java.sh"
if [ "${SB_JAVA_VERSION%%.*}" -ge 25 ]; then SB_AOT=${SB_AOT:-on}; else SB_AOT=off; fi
SB_WARMUP=${SB_WARMUP:-5000}
IDLE_SOCKETS=${IDLE_SOCKETS:-18000}
# The storm: sockets that each join their room of 10 the moment they are connected, at this rate.
STORM_SOCKETS=${STORM_SOCKETS:-18000}
STORM_RATE=${STORM_RATE:-3000}
# What a message costs: 5,000 sockets in rooms of 10 at a rate both targets sustain; the warm-up (at the same
# rate) is what a freshly started server pays, the measured step what a warm one does.
COST_RATE=${COST_RATE:-500}
COST_SECONDS=${COST_SECONDS:-60}
COST_BATCH_WINDOW=${COST_BATCH_WINDOW:-20}
# One room of 2,000 members (40,000 deliveries/s at 20 msg/s).
LARGE_ROOM_RATES=${LARGE_ROOM_RATES:-20,40,80}
# permessage-deflate: the cost scenario's rooms at one rate, bodies of prose-like text above the 1 KB threshold,
# clients that offer compression as browsers do; the server with it off, then on (Switchboard: WS_COMPRESSION).
DEFLATE_RATE=${DEFLATE_RATE:-500}
DEFLATE_SECONDS=${DEFLATE_SECONDS:-30}
DEFLATE_BODY_BYTES=${DEFLATE_BODY_BYTES:-2000}
FANOUT_RATES=${FANOUT_RATES:-250,500,750,1000,1500,2000,2500,3000,3500,4000,5000}
STEP_SECONDS=${STEP_SECONDS:-15}
WARMUP_SECONDS=${WARMUP_SECONDS:-30}
FANOUT_WARMUP_RATE=${FANOUT_WARMUP_RATE:-500}
DURABLE_WINDOW=${DURABLE_WINDOW:-1000}
# The generator on the Parallel collector: at 4,000 fan-out msg/s (72,000 frames/s received), G1's concurrent
# refinement cost the generator about a sixth of its CPU, on the cores both servers need (docs/benchmarks-log.md).
LT_JVM=${LT_JVM:--Xmx3g -XX:+UseParallelGC}
# The storm's generator compiles with C1 only: a fresh generator JVM spent about half of its CPU of a storm in
# C2, on the cores the server needs; its C1 code connects and joins at half the CPU (docs/benchmarks-log.md).
STORM_LT_JVM=${STORM_LT_JVM:-$LT_JVM -XX:TieredStopAtLevel=1}
# What a JVM of a k8s/base pod sees: one CPU (so the Serial collector and one event loop) and about 300 MB of heap.
SCALE_JVM=${SCALE_JVM:--Xmx300m -XX:ActiveProcessorCount=1 -XX:MaxTenuringThreshold=2}
# Each gateway JVM spends 50-65 s of CPU in its JIT compilers (jstat -compiler), most of it in the first
# minute of load: three of them on two cores were still compiling through a 30 s warm-up and the steps
# after it, which then compared three warming JVMs with one warm one (docs/benchmarks-log.md, 2026-11-27 02:00).
SCALE_WARMUP_SECONDS=${SCALE_WARMUP_SECONDS:-90}
# The floor scenario: fan-out rates (msg/s) whose frames are written and read with no server, and the frames
# of one message in rooms of 10 (9 created, 10 confirmed, the ack: docs/benchmarks.md).
FLOOR_RATES=${FLOOR_RATES:-1000,4000,7500,10000}
FLOOR_FRAMES_PER_MESSAGE=20
SB_ENV=()   # extra environment of the Switchboard server, per scenario
SB_EXTRA_ENV=${SB_EXTRA_ENV:-}   # extra environment of every Switchboard server, e.g. "PERSIST_BATCH_WINDOW_MS=5 PERSIST_LANES=1"
SB_LAYOUT=one   # one (every service in one JVM) or split (gateway, message, presence: three clustered JVMs), per scenario
SB_GATEWAYS=1   # gateways of the split layout: 2 adds gateway B on SB_PORT+1 (the failover scenario)
SPLIT_PIDS=()   # the split layout's processes besides the gateway: name=PID (also the reference pair's Redis and B)
# Hazelcast member ports of the split layout, derived from SB_PORT so that runs on other ports never join each other.
CLUSTER_BASE=${CLUSTER_BASE:-$((SB_PORT + 2611))}
FAILOVER_ROOMS=${FAILOVER_ROOMS:-300}
FAILOVER_RATE=${FAILOVER_RATE:-300}
FAILOVER_KILL_AFTER=${FAILOVER_KILL_AFTER:-20}
FAILOVER_AFTER=${FAILOVER_AFTER:-30}
FAILOVER_RECONNECT_DELAY_MS=${FAILOVER_RECONNECT_DELAY_MS:-1000}
REF_DIR=${REF_DIR:-$ROOT/../shared/bench/socketio-reference}
START_PG=${START_PG:-$ROOT/../shared/bench/start-postgres}
SECRET=bench-secret
SWITCHBOARD_JAR=${SB_JAR:-$ROOT/launcher/target/switchboard.jar}
LOADTEST_JAR=${LT_JAR:-$ROOT/loadtest/target/loadtest.jar}
SOURCES=127.0.0.1-127.0.0.8

mkdir -p "$OUT"
log() { echo "run-all: $*" | tee -a "$OUT/run-all.log"; }

PGDIR=""
SERVER_PID=""
cleanup() {
  stop_server
  if [ -n "$PGDIR" ]; then "$START_PG" --stop "$PGDIR" || true; PGDIR=""; fi
}
trap cleanup EXIT INT TERM

if [ ! -f "$SWITCHBOARD_JAR" ] || [ ! -f "$LOADTEST_JAR" ]; then
  log "building"
  (cd "$ROOT" && mvn -q -DskipTests package -pl loadtest -am)
fi

# The reference server's dependencies, installed in the result folder (the shared folder stays untouched).
mkdir -p "$OUT/reference"
cp "$REF_DIR/server.js" "$REF_DIR/package.json" "$REF_DIR/package-lock.json" "$OUT/reference/"
(cd "$OUT/reference" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

log "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $("$SB_JAVA" -version 2>&1 | head -1), node $(node --version)"
log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# The AOT cache's training run: the whole system on embedded databases of its own starts, warms up and
# stops; its JVM writes the classes it loaded and the methods it profiled (docs/operations.md).
SB_AOT_CACHE=""
if [ "$SB_AOT" = on ]; then
  (cd "$OUT" && JWT_SECRET=$SECRET HOST=127.0.0.1 PORT=$SB_PORT SWITCHBOARD_DATA_DIR="$OUT/aot-training" \
    WARMUP_CONNECTIONS=$SB_WARMUP GATEWAY_OPS_PORT=$((SB_PORT + 90)) MESSAGE_OPS_PORT=$((SB_PORT + 91)) \
    PRESENCE_OPS_PORT=$((SB_PORT + 92)) "$SB_JAVA" -Xmx$SB_HEAP $SB_JVM -XX:AOTCacheOutput="$OUT/switchboard.aot" \
    -jar "$SWITCHBOARD_JAR" --exit-when-ready >"$OUT/aot-training.log" 2>&1)
  rm -rf "$OUT/aot-training"
  SB_AOT_CACHE="-XX:AOTCache=$OUT/switchboard.aot"
  log "AOT cache: $(du -m "$OUT/switchboard.aot" | cut -f1) MB from a training run of $SB_WARMUP warm-up connections"
fi

PGDIR=$("$START_PG" "$PG_PORT")
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "create database switchboard" >/dev/null
log "postgres on 127.0.0.1:$PG_PORT ($PGDIR)"

await_url() {
  local url=$1
  for _ in $(seq 1 240); do
    if curl -sf "$url" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then log "server exited"; return 1; fi
    sleep 0.5
  done
  log "$url not up after 120 s"; return 1
}

start_server() {
  local target=$1 name=$2
  if [ "$target" = floor ]; then
    (cd "$OUT" && exec "$SB_JAVA" -Xmx$SB_HEAP $SB_JVM -Dfloor.port=$SB_PORT -cp "$SWITCHBOARD_JAR" \
      io.switchboard.socketio.conformance.FloorServer >"$OUT/$name.server.log" 2>&1) &
    SERVER_PID=$!
    PORT_IN_USE=$SB_PORT
    await_url "http://127.0.0.1:$PORT_IN_USE/health"
    return
  fi
  if [ "$target" = switchboard ] && [ "$SB_LAYOUT" = split ]; then
    start_split "$name"
    PORT_IN_USE=$SB_PORT
    return
  fi
  if [ "$target" = reference ]; then
    (cd "$OUT/reference" && PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=postgres PGDATABASE=test PORT=$REF_PORT \
      JWT_SECRET=$SECRET exec node server.js >"$OUT/$name.server.log" 2>&1) &
    SERVER_PID=$!
    PORT_IN_USE=$REF_PORT
  else
    (cd "$OUT" && for kv in "${SB_ENV[@]}" $SB_EXTRA_ENV; do export "$kv"; done && JWT_SECRET=$SECRET HOST=127.0.0.1 PORT=$SB_PORT SWITCHBOARD_DATA_DIR="$OUT/switchboard-data" \
      PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/switchboard" PG_POOL_SIZE=10 WARMUP_CONNECTIONS=$SB_WARMUP \
      GATEWAY_OPS_PORT=$((SB_PORT + 90)) MESSAGE_OPS_PORT=$((SB_PORT + 91)) PRESENCE_OPS_PORT=$((SB_PORT + 92)) \
      RATE_MESSAGES=100000:100000 RATE_USER_MESSAGES=100000:100000 RATE_JOINS=100000:100000 \
      exec "$SB_JAVA" -Xmx$SB_HEAP $SB_JVM $SB_AOT_CACHE -jar "$SWITCHBOARD_JAR" >"$OUT/$name.server.log" 2>&1) &
    SERVER_PID=$!
    PORT_IN_USE=$SB_PORT
  fi
  await_url "http://127.0.0.1:$PORT_IN_USE/health"
}

# --watch-pid options for the load generator: the server's processes, its Redis, and Postgres.
watch_args() {
  local target=$1 kv redis
  if [ "$target" = floor ]; then
    echo "--watch-pid floor=$SERVER_PID"
    return
  fi
  if [ "$target" = reference ]; then
    echo "--watch-pid node=$SERVER_PID"
  elif [ ${#SPLIT_PIDS[@]} -gt 0 ]; then
    echo "--watch-pid gateway=$SERVER_PID"
    for kv in "${SPLIT_PIDS[@]}"; do echo "--watch-pid $kv"; done
  else
    echo "--watch-pid switchboard=$SERVER_PID"
    redis=$(pgrep -P "$SERVER_PID" -f redis-server | head -1 || true)
    if [ -n "$redis" ]; then echo "--watch-pid redis=$redis"; fi
  fi
  echo "--watch-pid postgres=$(head -1 "$PGDIR/data/postmaster.pid")"
}

stop_server() {
  if [ -z "$SERVER_PID" ]; then return 0; fi
  local pids=("$SERVER_PID") kv children
  for kv in "${SPLIT_PIDS[@]}"; do pids+=("${kv#*=}"); done
  children=$(for p in "${pids[@]}"; do pgrep -P "$p" || true; done)
  kill "${pids[@]}" 2>/dev/null || true
  for p in "${pids[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$p" 2>/dev/null || true
  done
  # Switchboard's embedded Redis stops with it; make sure.
  for c in $children; do kill "$c" 2>/dev/null || true; done
  SERVER_PID=""
  SPLIT_PIDS=()
  sleep 2
}

# The production layout on this machine: Redis (the binary that comes with the jar), then the message and
# presence services, then the gateway, each in its own JVM on one Hazelcast cluster with event-bus TLS
# (deploy/cluster-ca.sh), as k8s/ runs them. SERVER_PID is the gateway; SPLIT_PIDS the others. With SB_GATEWAYS=2,
# a second gateway (B) on SB_PORT+1, ops port SB_PORT+93, is SPLIT_PIDS' gatewayB.
extract_redis() {
  if [ ! -x "$OUT/redis-server" ]; then
    unzip -p "$SWITCHBOARD_JAR" redis-server-6.2.6-v5-linux-amd64 >"$OUT/redis-server"
    chmod +x "$OUT/redis-server"
  fi
}

start_split() {
  local name=$1 redis_port=$((SB_PORT + 80)) svc port pid members
  extract_redis
  if [ ! -f "$OUT/cluster-tls/tls.crt" ]; then
    "$ROOT/deploy/cluster-ca.sh" ca "$OUT/cluster-ca" >/dev/null
    "$ROOT/deploy/cluster-ca.sh" member "$OUT/cluster-ca" "$OUT/cluster-tls" >/dev/null
  fi
  "$OUT/redis-server" --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >"$OUT/$name.redis.log" 2>&1 &
  SPLIT_PIDS=("redis=$!")
  members=127.0.0.1:$CLUSTER_BASE,127.0.0.1:$((CLUSTER_BASE + 1)),127.0.0.1:$((CLUSTER_BASE + 2))
  if [ "$SB_GATEWAYS" = 2 ]; then members+=,127.0.0.1:$((CLUSTER_BASE + 3)); fi
  for svc in message presence gateway $([ "$SB_GATEWAYS" = 2 ] && echo gatewayB); do
    (cd "$OUT" && for kv in "${SB_ENV[@]}" $SB_EXTRA_ENV; do export "$kv"; done && JWT_SECRET=$SECRET HOST=127.0.0.1 \
      PORT=$(if [ $svc = gatewayB ]; then echo $((SB_PORT + 1)); else echo $SB_PORT; fi) \
      SWITCHBOARD_SERVICES=${svc%B} SWITCHBOARD_CLUSTER=true CLUSTER_HOST=127.0.0.1 CLUSTER_MEMBERS=$members \
      CLUSTER_PORT=$(case $svc in message) echo $CLUSTER_BASE;; presence) echo $((CLUSTER_BASE + 1));;
        gateway) echo $((CLUSTER_BASE + 2));; *) echo $((CLUSTER_BASE + 3));; esac) \
      CLUSTER_TLS_CA="$OUT/cluster-tls/ca.crt" CLUSTER_TLS_CERT="$OUT/cluster-tls/tls.crt" CLUSTER_TLS_KEY="$OUT/cluster-tls/tls.key" \
      REDIS_URL="redis://127.0.0.1:$redis_port" PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/switchboard" \
      PG_POOL_SIZE=10 WARMUP_CONNECTIONS=$SB_WARMUP \
      GATEWAY_OPS_PORT=$(if [ $svc = gatewayB ]; then echo $((SB_PORT + 93)); else echo $((SB_PORT + 90)); fi) \
      MESSAGE_OPS_PORT=$((SB_PORT + 91)) PRESENCE_OPS_PORT=$((SB_PORT + 92)) \
      RATE_MESSAGES=100000:100000 RATE_USER_MESSAGES=100000:100000 RATE_JOINS=100000:100000 \
      exec "$SB_JAVA" -Xmx$SB_HEAP $SB_JVM $SB_AOT_CACHE -jar "$SWITCHBOARD_JAR" >"$OUT/$name.$svc.log" 2>&1) &
    pid=$!
    if [ "$svc" = gateway ]; then SERVER_PID=$pid; else SPLIT_PIDS+=("$svc=$pid"); fi
  done
  for port in $((SB_PORT + 91)) $((SB_PORT + 92)) $SB_PORT $([ "$SB_GATEWAYS" = 2 ] && echo $((SB_PORT + 1))); do
    await_url "http://127.0.0.1:$port/ready" || return 1
  done
}

# The reference as it scales out: Redis, then two server processes with the Redis adapter on the same Postgres,
# A on REF_PORT (SERVER_PID) and B on REF_PORT+1 (SPLIT_PIDS' nodeB, beside its redis).
start_reference_pair() {
  local name=$1 redis_port=$((REF_PORT + 80)) port
  extract_redis
  "$OUT/redis-server" --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >"$OUT/$name.redis.log" 2>&1 &
  SPLIT_PIDS=("redis=$!")
  for port in $REF_PORT $((REF_PORT + 1)); do
    (cd "$OUT/reference" && PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=postgres PGDATABASE=test PORT=$port \
      REDIS_URL="redis://127.0.0.1:$redis_port" JWT_SECRET=$SECRET exec node server.js >"$OUT/$name.$port.log" 2>&1) &
    if [ "$port" = "$REF_PORT" ]; then SERVER_PID=$!; else SPLIT_PIDS+=("nodeB=$!"); fi
    # One at a time: both create the tables at start.
    await_url "http://127.0.0.1:$port/health" || return 1
  done
}

# The failover scenario: gateway A killed (kill -9, by the load generator) while its sockets chat; all reconnect
# to gateway B, which has been running all along, and rejoin their rooms with sinceSeq.
run_failover() {
  local target=$1 name=failover-$1 url_a url_b b_pid kv extra=()
  log "$name: failover against $target"
  if [ "$target" = switchboard ]; then
    SB_GATEWAYS=2
    start_split "$name" || { SB_GATEWAYS=1; stop_server; return 0; }
    SB_GATEWAYS=1
    url_a=http://127.0.0.1:$SB_PORT url_b=http://127.0.0.1:$((SB_PORT + 1))
    extra+=(--watch-pid "gatewayA=$SERVER_PID")
  else
    start_reference_pair "$name" || { stop_server; return 0; }
    url_a=http://127.0.0.1:$REF_PORT url_b=http://127.0.0.1:$((REF_PORT + 1))
    extra+=(--watch-pid "nodeA=$SERVER_PID")
  fi
  for kv in "${SPLIT_PIDS[@]}"; do
    extra+=(--watch-pid "$kv")
    case $kv in gatewayB=*|nodeB=*) b_pid=${kv#*=};; esac
  done
  extra+=(--watch-pid "postgres=$(head -1 "$PGDIR/data/postmaster.pid")")
  # --server-pid: B, the survivor, whose CPU and memory the timeline shows through the storm.
  java $LT_JVM -jar "$LOADTEST_JAR" failover --target "$target" --url "$url_a" --failover-url "$url_b" \
    --kill-pid "$SERVER_PID" --source-ips $SOURCES --jwt-secret $SECRET --server-pid "$b_pid" --socket-metrics-url none \
    --label failover --out "$OUT/$name" --max-duration 420 --rooms "$FAILOVER_ROOMS" --members 10 \
    --rate "$FAILOVER_RATE" --kill-after "$FAILOVER_KILL_AFTER" --after "$FAILOVER_AFTER" \
    --reconnect-delay-ms "$FAILOVER_RECONNECT_DELAY_MS" "${extra[@]}" >"$OUT/$name.log" 2>&1 \
    || log "$name: the load generator reported a failure (see $name.log)"
  grep 'verdict' "$OUT/$name.log" | tee -a "$OUT/run-all.log" || true
  stop_server
}

# The network's floor, once per run: the frames of fan-out at FLOOR_RATES on 9,000 loopback connections, no server.
floor() {
  if ! command -v gcc >/dev/null; then
    log "floor: gcc not found, skipped"
    return 0
  fi
  gcc -O2 -pthread -o "$OUT/wire-floor" "$ROOT/loadtest/bench/wire-floor.c"
  local rate
  for rate in ${FLOOR_RATES//,/ }; do
    echo "fan-out $rate msg/s: $("$OUT/wire-floor" 9000 $((rate * FLOOR_FRAMES_PER_MESSAGE)) 10 450 300 2)" | tee -a "$OUT/floor.txt" "$OUT/run-all.log"
  done
}

# run NAME TARGET SCENARIO ARGS...: a fresh server, the load generator against it, the server stopped.
run() {
  local name=$1 target=$2 scenario=$3; shift 3
  log "$name: $scenario against $target"
  start_server "$target" "$name"
  generate "$name" "$target" "$scenario" "$@"
  stop_server
}

# generate NAME TARGET SCENARIO ARGS...: the load generator against the server started.
generate() {
  local name=$1 target=$2 scenario=$3; shift 3
  local url="http://127.0.0.1:$PORT_IN_USE" extra
  # shellcheck disable=SC2207
  extra=($(watch_args "$target"))
  # Switchboard serves its figures on the gateway's ops port (GATEWAY_OPS_PORT above).
  if [ "$target" = switchboard ]; then
    extra+=(--prometheus-url "http://127.0.0.1:$((SB_PORT + 90))/metrics" --socket-metrics-url "http://127.0.0.1:$((SB_PORT + 90))/socket-metrics" --jcmd-gc)
  fi
  # The floor speaks Switchboard's protocol (create-room, then join-room).
  java $LT_JVM -jar "$LOADTEST_JAR" "$scenario" --target "${target/floor/switchboard}" --url "$url" --source-ips $SOURCES \
    --jwt-secret $SECRET --server-pid "$SERVER_PID" --label "${name%-$target}" --out "$OUT/$name" --max-duration 420 \
    "${extra[@]}" "$@" >"$OUT/$name.log" 2>&1 || log "$name: the load generator reported a failure (see $name.log)"
  tail -1 "$OUT/$name.log" | tee -a "$OUT/run-all.log"
}

# The storm's floor: the storm against this project's Socket.IO layer alone (FloorServer answers create-room and
# join-room from memory: no token, database, presence or bus), on a fresh JVM, then again on the same, warm one.
storm_floor() {
  log "storm-floor: the storm against FloorServer, fresh then warm"
  start_server floor storm-floor
  local pass
  for pass in fresh warm; do
    LT_JVM=$STORM_LT_JVM generate "storm-floor-$pass" floor storm --connections "$STORM_SOCKETS" --room-size 10 \
      --connect-rate "$STORM_RATE/s" --hold 5
  done
  stop_server
}

# The cost scenarios' load: 500 rooms of 10 at COST_RATE, warmed up at that rate; more generator arguments after the target.
cost_run() {
  local name=$1 target=$2; shift 2
  run "$name-$target" "$target" fanout --rooms 500 --members 10 --rates "$COST_RATE" --step-seconds "$COST_SECONDS" \
    --warmup-seconds "$WARMUP_SECONDS" --warmup-rate "$COST_RATE" --stop-p99-ms 10000 "$@"
}

# One room of 2,000 at LARGE_ROOM_RATES, warmed up at the first of them.
large_room_run() {
  local name=$1 target=$2; shift 2
  run "$name-$target" "$target" fanout --rooms 1 --members 2000 --rates "$LARGE_ROOM_RATES" --step-seconds "$STEP_SECONDS" \
    --warmup-seconds "$WARMUP_SECONDS" --warmup-rate "${LARGE_ROOM_RATES%%,*}" --stop-p99-ms 10000 "$@"
}

for scenario in $SCENARIOS; do
  for target in $TARGETS; do
    case $scenario in
      idle)      run "idle-$target" $target idle --connections "$IDLE_SOCKETS" --room-size 10 --connect-rate 3000/s \
                   --settle 15 --hold 10 ;;
      # As clients reconnecting after a gateway was lost: each joins its room the moment it is connected.
      storm)     LT_JVM=$STORM_LT_JVM run "storm-$target" $target storm --connections "$STORM_SOCKETS" --room-size 10 \
                   --connect-rate "$STORM_RATE/s" --hold 5 ;;
      # The storm's floor, once (storm_floor above).
      storm-floor) if [ "$target" = switchboard ]; then storm_floor; fi ;;
      fanout)    run "fanout-$target" $target fanout --rooms 1000 --members 10 --rates "$FANOUT_RATES" \
                   --step-seconds "$STEP_SECONDS" --warmup-seconds "$WARMUP_SECONDS" --warmup-rate "$FANOUT_WARMUP_RATE" \
                   --stop-p99-ms 10000 ;;
      # Switchboard only: fanout with every socket receiving durable (one event per message and receiver,
      # not two; docs/protocol.md, "Receiving"), beside fanout's optimistic figures of the same run.
      fanout-durable)
                 if [ "$target" = switchboard ]; then
                   run "fanout-durable-$target" $target fanout --rooms 1000 --members 10 --rates "$FANOUT_RATES" \
                     --step-seconds "$STEP_SECONDS" --warmup-seconds "$WARMUP_SECONDS" --warmup-rate "$FANOUT_WARMUP_RATE" \
                     --stop-p99-ms 10000 --receive durable
                 fi ;;
      # Switchboard only (the reference server has no reactions): fanout's rooms, rates and warm-up with reaction
      # changes instead of messages, add-reaction / remove-reaction on a message of each room; a delivery is a
      # member's message-reaction.
      reactions)
                 if [ "$target" = switchboard ]; then
                   run "reactions-$target" $target reactions --rooms 1000 --members 10 --rates "$FANOUT_RATES" \
                     --step-seconds "$STEP_SECONDS" --warmup-seconds "$WARMUP_SECONDS" --warmup-rate "$FANOUT_WARMUP_RATE" \
                     --stop-p99-ms 10000
                 fi ;;
      # CPU per message of each process (the warm-up's is a fresh server's); Switchboard in one JVM.
      cost)      cost_run cost "$target" ;;
      # What the cost's messages cost the Socket.IO layer alone (FloorServer relays each to the room and acks it).
      cost-floor) if [ "$target" = switchboard ]; then cost_run cost-floor floor; fi ;;
      # Switchboard only: the same with every socket receiving durable (one frame per message and receiver).
      cost-durable)
                 if [ "$target" = switchboard ]; then cost_run cost-durable "$target" --receive durable; fi ;;
      # Switchboard only: cost-durable with Postgres writes grouped (up to COST_BATCH_WINDOW ms, one lane):
      # fewer, larger transactions for a few milliseconds more per ack.
      cost-batched)
                 if [ "$target" = switchboard ]; then
                   SB_ENV=("PERSIST_BATCH_WINDOW_MS=$COST_BATCH_WINDOW" PERSIST_LANES=1)
                   cost_run cost-batched "$target" --receive durable
                   SB_ENV=()
                 fi ;;
      # One room of 2,000 members: each message is 1,999 deliveries.
      large-room) large_room_run large-room "$target" ;;
      # Switchboard only: the same, every socket receiving durable (one frame per delivery, as the reference sends).
      large-room-durable)
                 if [ "$target" = switchboard ]; then large_room_run large-room-durable "$target" --receive durable; fi ;;
      # Switchboard only: the same in the production layout, three clustered JVMs: CPU per message of each service.
      cost-split)
                 if [ "$target" = switchboard ]; then
                   SB_LAYOUT=split
                   cost_run cost-split "$target"
                   SB_LAYOUT=one
                 fi ;;
      # Bytes on the wire (what the clients' connections received and sent, from the kernel's counters) and CPU
      # per message, with compression off and on. The reference server has no setting for perMessageDeflate (off,
      # Socket.IO's default): it runs off only.
      deflate)   for mode in off on; do
                   if [ "$mode" = on ] && [ "$target" != switchboard ]; then continue; fi
                   if [ "$mode" = on ]; then SB_ENV=(WS_COMPRESSION=on); fi
                   run "deflate-$mode-$target" $target fanout --rooms 500 --members 10 --rates "$DEFLATE_RATE" \
                     --step-seconds "$DEFLATE_SECONDS" --warmup-seconds "$WARMUP_SECONDS" --warmup-rate "$DEFLATE_RATE" \
                     --stop-p99-ms 10000 --body-bytes "$DEFLATE_BODY_BYTES" --body-text words --compression --wire-bytes
                   SB_ENV=()
                 done ;;
      # No server: once per run, for the first target.
      floor)     if [ "$target" = "${TARGETS%% *}" ]; then floor; fi ;;
      durable)   run "durable-$target" $target durable --rooms 1000 --members 1 --window "$DURABLE_WINDOW" \
                   --seconds 20 --warmup-seconds "$WARMUP_SECONDS" ;;
      # The same with Switchboard's batching off (one message per transaction): what batching buys.
      durable-nobatch)
                 if [ "$target" = switchboard ]; then
                   SB_ENV=(PERSIST_BATCH_MAX=1)
                   run "durable-nobatch-$target" $target durable --rooms 1000 --members 1 --window "$DURABLE_WINDOW" \
                     --seconds 20 --warmup-seconds "$WARMUP_SECONDS"
                   SB_ENV=()
                 fi ;;
      # Ack latency at fixed send rates (open loop), one receiver per message.
      ackrate)   run "ackrate-$target" $target fanout --rooms 500 --members 2 --rates 1000,2500,5000,7500,10000 \
                   --step-seconds 10 --warmup-seconds "$WARMUP_SECONDS" --warmup-rate 1000 --stop-p99-ms 10000 ;;
      broadcast) run "broadcast-$target" $target broadcast --members 5000 --rates 1,2,5,10,20,40 --step-seconds 10 \
                   --warmup-seconds 5 --warmup-rate 1 --stop-p99-ms 10000 ;;
      # One member of a 1000-member room stops reading: the others' p99 against the same run without it.
      slow)      run "slow0-$target" $target broadcast --members 1000 --rates 20 --step-seconds 30 --warmup-seconds 5 \
                   --warmup-rate 10 --body-bytes 1000 --slow-consumers 0
                 run "slow1-$target" $target broadcast --members 1000 --rates 20 --step-seconds 30 --warmup-seconds 5 \
                   --warmup-rate 10 --body-bytes 1000 --slow-consumers 1 ;;
      churn)     run "churn-$target" $target churn --rooms 100 --rate 200 --seconds 20 --warmup-seconds 15 \
                   --warmup-rate 100 ;;
      churn-cold) run "churn-cold-$target" $target churn --rooms 100 --rate 200 --seconds 20 --warmup-seconds 0 ;;
      # Switchboard only: 3 gateway processes against 1 (ScaleBench: the production layout as separate JVMs,
      # each seeing one CPU as in a pod of k8s/base), the fanout load split over the gateways.
      scale)     if [ "$target" = switchboard ]; then
                   if [ ! -f "$ROOT/system-tests/target/test-classes/io/switchboard/launcher/ScaleBench.class" ]; then
                     (cd "$ROOT" && mvn -q -pl system-tests -am test-compile)
                   fi
                   log "scale: 3 gateways, then 1 ($SCALE_JVM)"
                   java -Dswitchboard.jar="$SWITCHBOARD_JAR" -Dloadtest.jar="$LOADTEST_JAR" -Dout="$OUT/scale" \
                     -Dswitchboard.e2e.js="$ROOT/system-tests/src/test/js" "-Dscale.jvm=$SCALE_JVM" "-Dloadtest.jvm=$LT_JVM" -Drooms=1000 -Dmembers=10 \
                     -DstepSeconds="$STEP_SECONDS" -DwarmupSeconds="$SCALE_WARMUP_SECONDS" -DwarmupRate=1000 \
                     -DwarmupConnections="$SB_WARMUP" \
                     -cp "$ROOT/system-tests/target/test-classes:$SWITCHBOARD_JAR" io.switchboard.launcher.ScaleBench 3,1 \
                     250,500,1000 >"$OUT/scale.log" 2>&1 || log "scale: ScaleBench reported a failure (see scale.log)"
                   grep -E 'fanout against|verdict' "$OUT/scale.log" | tee -a "$OUT/run-all.log" || true
                 fi ;;
      failover)  run_failover "$target" ;;
      *)         log "unknown scenario $scenario" ;;
    esac
  done
done

# The side-by-side table needs both targets' results (TARGETS may name one).
if compgen -G "$OUT/*-reference.json" >/dev/null && compgen -G "$OUT/*-switchboard.json" >/dev/null; then
  java -jar "$LOADTEST_JAR" compare --at-rate 1000 --out "$OUT/table.md" "$OUT"/*-reference.json "$OUT"/*-switchboard.json
fi
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
log "results in $OUT (table.md, one .json and .html per run)"
