#!/usr/bin/env bash
# 100,000 connected sockets on one machine: the production layout as separate clustered JVMs (GATEWAYS gateways,
# MESSAGE_SERVICES message-services, PRESENCE_SERVICES presence-services on one Hazelcast cluster with event-bus TLS,
# one Postgres, one Redis), and GENERATORS load generators, each a process of its own with source addresses of its
# own, every one spreading its sockets over all gateways round-robin (so most deliveries cross gateways). Every
# process stays under the 20,000 open files of one process: about SOCKETS/GATEWAYS sockets per gateway and
# SOCKETS/GENERATORS per generator.
#
#   loadtest/bench/hundred-k.sh                                     # the 100,000 run, about 10 minutes
#   SOCKETS=6000 GATEWAYS=3 GENERATORS=3 CHAT_SECONDS=20 loadtest/bench/hundred-k.sh     # a small check
#
# Phases: the cluster starts and settles (snapshot S0 of each gateway: full GC, live heap, resident memory);
# the generators connect at CONNECT_RATE connects/s in all and join rooms of ROOM_SIZE (rooms never span
# generators; their members do span gateways); everyone holds HOLD_SECONDS, joined and silent (snapshot S1:
# the idle cost per socket, live heap after a full GC plus resident growth outside the heap, as
# idle-memory.sh measures it); then all generators chat at CHAT_RATE msg/s in all (open loop), CHAT_WARMUP_SECONDS
# unjudged then CHAT_SECONDS measured, and every process's CPU is read from /proc over the measured window
# (snapshot S2: resident memory at the end of it, no GC). The generators release the chat together: each
# writes its --ready-file when joined and waits for the --go-file this script creates.
#
# Settings (environment): SOCKETS (100000), GATEWAYS (6), MESSAGE_SERVICES (2), PRESENCE_SERVICES (2),
# GENERATORS (6), ROOM_SIZE (10), CONNECT_RATE (1000 connects/s in all), HOLD_SECONDS (30), CHAT_RATE
# (1000 msg/s in all), CHAT_WARMUP_SECONDS (30), CHAT_SECONDS (120), GATEWAY_HEAP (384m: about 17,000 sockets
# of 3.5 KB live each and the chat's garbage), SERVICE_HEAP (512m), LT_HEAP (1g per generator), SB_JVM and
# SB_JAVA_HOME (as loadtest/bench/sb-java.sh), SB_WARMUP (each gateway's WARMUP_CONNECTIONS, 5000 as k8s/ pods:
# the JIT code and buffer pool chunks that the first sockets would pay for are in S0, not in the cost per socket),
# BASE_PORT (4400: gateways BASE_PORT.., their ops ports BASE_PORT+100..,
# message-services' ops ports BASE_PORT+150.., presence-services' BASE_PORT+170.., Redis BASE_PORT+190,
# Hazelcast members BASE_PORT+200..), PG_PORT (55493), SOURCE_BASE (generator g uses 127.0.0.(SOURCE_BASE+10g+1)
# to +SOURCES_PER_GENERATOR; 10 and 2), OUT (result folder), SB_JAR and LT_JAR.
# Needs jcmd, python3, curl and Debian's postgresql (../shared/bench/start-postgres).
#
# Writes OUT/summary.md (the table), OUT/snapshots.tsv, each generator's gen-N.json / .html / .log and each
# server's log. Everything it starts it stops, also on failure and Ctrl-C.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SOCKETS=${SOCKETS:-100000}
GATEWAYS=${GATEWAYS:-6}
MESSAGE_SERVICES=${MESSAGE_SERVICES:-2}
PRESENCE_SERVICES=${PRESENCE_SERVICES:-2}
GENERATORS=${GENERATORS:-6}
ROOM_SIZE=${ROOM_SIZE:-10}
CONNECT_RATE=${CONNECT_RATE:-1000}
HOLD_SECONDS=${HOLD_SECONDS:-30}
CHAT_RATE=${CHAT_RATE:-1000}
CHAT_WARMUP_SECONDS=${CHAT_WARMUP_SECONDS:-30}
CHAT_SECONDS=${CHAT_SECONDS:-120}
[ "$CHAT_SECONDS" -ge 10 ] || { echo "hundred-k: CHAT_SECONDS must be at least 10" >&2; exit 2; }
GATEWAY_HEAP=${GATEWAY_HEAP:-384m}
SERVICE_HEAP=${SERVICE_HEAP:-512m}
LT_HEAP=${LT_HEAP:-1g}
SB_WARMUP=${SB_WARMUP:-5000}
BASE_PORT=${BASE_PORT:-4400}
PG_PORT=${PG_PORT:-55493}
SOURCE_BASE=${SOURCE_BASE:-10}
SOURCES_PER_GENERATOR=${SOURCES_PER_GENERATOR:-2}
SB_JAR=${SB_JAR:-$ROOT/launcher/target/switchboard.jar}
LT_JAR=${LT_JAR:-$ROOT/loadtest/target/loadtest.jar}
START_PG=${START_PG:-$ROOT/../shared/bench/start-postgres}
OUT=${OUT:-$ROOT/loadtest/target/hundred-k-$(date +%Y%m%d-%H%M%S)}
. "$ROOT/loadtest/bench/sb-java.sh"
SECRET=bench-secret
CLK_TCK=$(getconf CLK_TCK)

ROOMS=$((SOCKETS / ROOM_SIZE))
PER_GATEWAY=$(( (SOCKETS + GATEWAYS - 1) / GATEWAYS ))
PER_GENERATOR=$(( (ROOMS + GENERATORS - 1) / GENERATORS * ROOM_SIZE ))
if [ "$PER_GATEWAY" -gt 18000 ] || [ "$PER_GENERATOR" -gt 19000 ]; then
  echo "hundred-k: $PER_GATEWAY sockets per gateway and $PER_GENERATOR per generator; a process holds at most" \
    "18,000 (the gateway's MAX_CONNECTIONS) and 19,000 (under 20,000 open files): raise GATEWAYS or GENERATORS" >&2
  exit 2
fi
for f in "$SB_JAR" "$LT_JAR"; do
  [ -f "$f" ] || { echo "hundred-k: $f missing; build with: mvn -q -DskipTests package -pl loadtest -am" >&2; exit 2; }
done

mkdir -p "$OUT"
log() { echo "hundred-k $(date +%H:%M:%S): $*" | tee -a "$OUT/run.log"; }

# Every process started here, as NAME=PID (servers) and generator PIDs; cleanup stops exactly these.
SERVERS=()
GENS=()
PGDIR=""
cleanup() {
  local rc=$? kv p pids=()
  trap - EXIT INT TERM
  for p in "${GENS[@]}"; do pids+=("$p"); done
  # Gateways first (clients drained), then the services, then Redis: reverse start order.
  for ((i = ${#SERVERS[@]} - 1; i >= 0; i--)); do pids+=("${SERVERS[$i]#*=}"); done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$p" 2>/dev/null || true
  done
  if [ -n "$PGDIR" ]; then "$START_PG" --stop "$PGDIR" >/dev/null 2>&1 || true; fi
  log "stopped everything it started (exit $rc)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_free() { ! ss -Htln "sport = :$1" | grep -q .; }
for p in $(seq "$BASE_PORT" $((BASE_PORT + GATEWAYS - 1))) $(seq $((BASE_PORT + 100)) $((BASE_PORT + 99 + GATEWAYS))) \
  $((BASE_PORT + 190)) $(seq $((BASE_PORT + 200)) $((BASE_PORT + 199 + GATEWAYS + MESSAGE_SERVICES + PRESENCE_SERVICES))) "$PG_PORT"; do
  port_free "$p" || { echo "hundred-k: port $p is in use; pick another BASE_PORT / PG_PORT" >&2; exit 2; }
done

log "$SOCKETS sockets: $GATEWAYS gateways (-Xmx$GATEWAY_HEAP), $MESSAGE_SERVICES message-services, $PRESENCE_SERVICES" \
  "presence-services (-Xmx$SERVICE_HEAP), $GENERATORS generators (-Xmx$LT_HEAP), rooms of $ROOM_SIZE;" \
  "connect $CONNECT_RATE/s, hold $HOLD_SECONDS s, chat $CHAT_RATE msg/s for $CHAT_WARMUP_SECONDS + $CHAT_SECONDS s"
log "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $("$SB_JAVA" -version 2>&1 | head -1)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg), open files per process $(ulimit -n)"

# --- The cluster ---------------------------------------------------------------------------------------------
PGDIR=$("$START_PG" "$PG_PORT")
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "create database switchboard" >/dev/null
PG_PID=$(head -1 "$PGDIR/data/postmaster.pid")
unzip -p "$SB_JAR" redis-server-6.2.6-v5-linux-amd64 >"$OUT/redis-server"
chmod +x "$OUT/redis-server"
"$OUT/redis-server" --port $((BASE_PORT + 190)) --bind 127.0.0.1 --save "" --appendonly no --maxclients 10000 \
  >"$OUT/redis.log" 2>&1 &
SERVERS+=("redis=$!")
"$ROOT/deploy/cluster-ca.sh" ca "$OUT/cluster-ca" >/dev/null
"$ROOT/deploy/cluster-ca.sh" member "$OUT/cluster-ca" "$OUT/cluster-tls" >/dev/null

# name role port ops-port cluster-port heap
PLAN=()
idx=0
for i in $(seq 1 "$MESSAGE_SERVICES"); do PLAN+=("message-$i message 0 $((BASE_PORT + 149 + i)) $((BASE_PORT + 200 + idx)) $SERVICE_HEAP"); idx=$((idx + 1)); done
for i in $(seq 1 "$PRESENCE_SERVICES"); do PLAN+=("presence-$i presence 0 $((BASE_PORT + 169 + i)) $((BASE_PORT + 200 + idx)) $SERVICE_HEAP"); idx=$((idx + 1)); done
for i in $(seq 1 "$GATEWAYS"); do PLAN+=("gateway-$i gateway $((BASE_PORT + i - 1)) $((BASE_PORT + 99 + i)) $((BASE_PORT + 200 + idx)) $GATEWAY_HEAP"); idx=$((idx + 1)); done
MEMBERS=$(for p in "${PLAN[@]}"; do set -- $p; printf '127.0.0.1:%s,' "$5"; done)
MEMBERS=${MEMBERS%,}

launch() { # name role port ops cluster heap
  local name=$1 role=$2 port=$3 ops=$4 cport=$5 heap=$6
  (cd "$OUT" && JWT_SECRET=$SECRET HOST=127.0.0.1 SWITCHBOARD_SERVICES=$role SWITCHBOARD_CLUSTER=true \
    CLUSTER_HOST=127.0.0.1 CLUSTER_MEMBERS=$MEMBERS CLUSTER_PORT=$cport \
    CLUSTER_TLS_CA="$OUT/cluster-tls/ca.crt" CLUSTER_TLS_CERT="$OUT/cluster-tls/tls.crt" CLUSTER_TLS_KEY="$OUT/cluster-tls/tls.key" \
    REDIS_URL="redis://127.0.0.1:$((BASE_PORT + 190))" PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/switchboard" \
    PG_POOL_SIZE=10 WARMUP_CONNECTIONS=$SB_WARMUP \
    PORT=$([ "$role" = gateway ] && echo "$port" || echo $((BASE_PORT + 99))) \
    GATEWAY_OPS_PORT=$([ "$role" = gateway ] && echo "$ops" || echo $((BASE_PORT + 98))) \
    MESSAGE_OPS_PORT=$([ "$role" = message ] && echo "$ops" || echo $((BASE_PORT + 149))) \
    PRESENCE_OPS_PORT=$([ "$role" = presence ] && echo "$ops" || echo $((BASE_PORT + 169))) \
    RATE_MESSAGES=100000:100000 RATE_USER_MESSAGES=100000:100000 RATE_JOINS=100000:100000 \
    exec "$SB_JAVA" -Xmx"$heap" $SB_JVM -jar "$SB_JAR" >"$OUT/$name.log" 2>&1) &
  SERVERS+=("$name=$!")
}
await_ready() { # name ops-port
  local pid
  pid=$(pid_of "$1")
  for _ in $(seq 1 480); do
    curl -sf "http://127.0.0.1:$2/ready" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { log "$1 exited (see $1.log)"; return 1; }
    sleep 0.5
  done
  log "$1 not ready after 240 s (see $1.log)"; return 1
}
pid_of() { local kv; for kv in "${SERVERS[@]}"; do [ "${kv%%=*}" = "$1" ] && { echo "${kv#*=}"; return; }; done; }

# One message-service first (it creates the schema), then the other services, then the gateways.
set -- ${PLAN[0]}; launch "$@"
await_ready "$1" "$4"
for p in "${PLAN[@]:1}"; do set -- $p; if [ "$2" != gateway ]; then launch "$@"; fi; done
for p in "${PLAN[@]:1}"; do set -- $p; if [ "$2" != gateway ]; then await_ready "$1" "$4"; fi; done
for p in "${PLAN[@]}"; do set -- $p; if [ "$2" = gateway ]; then launch "$@"; fi; done
for p in "${PLAN[@]}"; do set -- $p; if [ "$2" = gateway ]; then await_ready "$1" "$3"; fi; done
log "cluster ready: $(for kv in "${SERVERS[@]}"; do printf '%s ' "$kv"; done)postgres=$PG_PID"

# --- Readings ------------------------------------------------------------------------------------------------
# snapshot LABEL GC: one line per server process into snapshots.tsv: label, name, pid, sockets (gateways' /socket-metrics),
# open files, RSS KB, RSS of the Java heap's mapping KB, heap used bytes (/metrics; after the full GC of jcmd GC.run when GC=gc).
echo -e "label\tname\tpid\tsockets\tfds\trss_kb\theap_rss_kb\theap_used_bytes" >"$OUT/snapshots.tsv"
snapshot() {
  local label=$1 gc=$2 p name role ops pid
  for p in "${PLAN[@]}"; do
    set -- $p; name=$1 role=$2 ops=$4; pid=$(pid_of "$name")
    if [ "$gc" = gc ]; then "$SB_JCMD" "$pid" GC.run >/dev/null; fi
    python3 - "$label" "$name" "$pid" "$SB_JCMD" "$ops" "$role" >>"$OUT/snapshots.tsv" <<'EOF'
import json, os, re, subprocess, sys, urllib.request
label, name, pid, jcmd, ops, role = sys.argv[1:]
info = subprocess.run([jcmd, pid, 'GC.heap_info'], capture_output=True, text=True).stdout
lo, hi = (int(x, 16) for x in re.search(r'\[(0x[0-9a-f]+), (0x[0-9a-f]+)\)', info).groups())
total = heap = 0
inside = False
for line in open(f'/proc/{pid}/smaps'):
    m = re.match(r'^([0-9a-f]+)-([0-9a-f]+) ', line)
    if m:
        inside = int(m.group(1), 16) < hi and int(m.group(2), 16) > lo
    elif line.startswith('Rss:'):
        kb = int(line.split()[1]); total += kb; heap += kb if inside else 0
def get(path):
    # An overloaded process may take long to answer (the end of a saturated chat): a blank, not a failed run.
    try:
        return urllib.request.urlopen(f'http://127.0.0.1:{ops}{path}', timeout=60).read().decode()
    except OSError:
        return None
metrics = get('/metrics')
used = '' if metrics is None else int(sum(float(l.rsplit(' ', 1)[1]) for l in metrics.splitlines()
           if l.startswith('jvm_memory_used_bytes{') and 'area="heap"' in l))
counts = get('/socket-metrics') if role == 'gateway' else '{"connections": {"total": 0}}'
sockets = '' if counts is None else json.loads(counts)['connections']['total']
print('\t'.join(map(str, [label, name, pid, sockets, len(os.listdir(f'/proc/{pid}/fd')), total, heap, used])))
EOF
  done
}
# cpu_all LABEL: utime+stime (with reaped children) in ticks of every process, and the machine's busy ticks, into
# cpu.tsv; one python3 for all, so that the readings are taken within milliseconds of each other.
cpu_all() {
  python3 - "$1" "$PG_PID" "${SERVERS[@]}" "${GEN_NAMES[@]}" >>"$OUT/cpu.tsv" <<'EOF'
import os, sys, time
label, pg = sys.argv[1], sys.argv[2]
def ticks(pid):
    try:
        f = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
        return int(f[11]) + int(f[12]) + int(f[13]) + int(f[14]), int(f[1])
    except OSError:
        return None, None
now = time.time()
rows = [kv.split('=', 1) for kv in sys.argv[3:]]
# Postgres forks a backend per connection: its CPU is the tree's.
pg_total = 0
for pid in filter(str.isdigit, os.listdir('/proc')):
    t, ppid = ticks(pid)
    if t is not None and (pid == pg or str(ppid) == pg):
        pg_total += t
for name, pid in rows:
    t, _ = ticks(pid)
    print(f'{label}\t{now}\t{name}\t{"" if t is None else t}')
print(f'{label}\t{now}\tpostgres\t{pg_total}')
cpu = open('/proc/stat').readline().split()
print(f'{label}\t{now}\tmachine\t{sum(int(cpu[i]) for i in (1, 2, 3, 6, 7, 8))}')
EOF
}
sleep_until() { sleep "$(awk -v t="$1" -v now="$(date +%s.%N)" 'BEGIN {d = t - now; printf "%.3f\n", (d > 0 ? d : 0)}')"; }
GEN_NAMES=()
: >"$OUT/cpu.tsv"
sleep 5
snapshot S0 gc
log "S0 (cluster idle, after a full GC) taken"

# --- The generators ------------------------------------------------------------------------------------------
URLS=()
for i in $(seq 1 "$GATEWAYS"); do URLS+=(--url "http://127.0.0.1:$((BASE_PORT + i - 1))"); done
PER_RATE=$(( CONNECT_RATE / GENERATORS > 0 ? CONNECT_RATE / GENERATORS : 1 ))
# A bound, not a schedule: connecting may take several times its nominal time on a busy machine.
MAX_DURATION=$(( PER_GENERATOR / PER_RATE * 5 + 300 + HOLD_SECONDS + CHAT_WARMUP_SECONDS + CHAT_SECONDS + 300 ))
CHAT_PER_GEN=$(python3 -c "print(round($CHAT_RATE / $GENERATORS, 3))")
rm -f "$OUT/go"
left=$ROOMS
for g in $(seq 1 "$GENERATORS"); do
  rooms=$(( left / (GENERATORS - g + 1) )); left=$((left - rooms))
  first=$((SOURCE_BASE + 10 * g + 1))
  java -Xmx"$LT_HEAP" -XX:+UseParallelGC -jar "$LT_JAR" fanout --target switchboard "${URLS[@]}" \
    --source-ips "127.0.0.$first-127.0.0.$((first + SOURCES_PER_GENERATOR - 1))" --jwt-secret $SECRET \
    --user-prefix "hk$g" --rooms "$rooms" --members "$ROOM_SIZE" --connect-rate "$PER_RATE/s" \
    --rates "$CHAT_PER_GEN" --warmup-rate "$CHAT_PER_GEN" --warmup-seconds "$CHAT_WARMUP_SECONDS" \
    --step-seconds "$CHAT_SECONDS" --stop-p99-ms 60000 --drain-ms 15000 --socket-metrics-url none \
    --ready-file "$OUT/gen-$g.ready" --go-file "$OUT/go" --max-duration "$MAX_DURATION" --quiet \
    --label "hundred-k-gen$g" --out "$OUT/gen-$g" >"$OUT/gen-$g.log" 2>&1 &
  GENS+=("$!")
  GEN_NAMES+=("gen-$g=$!")
done
CONNECT_START=$(date +%s.%N)
cpu_all connect-start
log "$GENERATORS generators connecting ($PER_GENERATOR sockets and $PER_RATE connects/s each, at most)"
while true; do
  ready=0
  for g in $(seq 1 "$GENERATORS"); do [ -f "$OUT/gen-$g.ready" ] && ready=$((ready + 1)); done
  [ "$ready" = "$GENERATORS" ] && break
  for i in "${!GENS[@]}"; do
    kill -0 "${GENS[$i]}" 2>/dev/null || { log "generator $((i + 1)) exited before joining (see gen-$((i + 1)).log)"; exit 1; }
  done
  sleep 1
done
CONNECT_END=$(date +%s.%N)
cpu_all connect-end
JOINED=$(cat "$OUT"/gen-*.ready | awk '{s+=$1} END {print s}')
log "all joined: $JOINED sockets in $(python3 -c "print(round($CONNECT_END - $CONNECT_START))") s; holding $HOLD_SECONDS s"
sleep "$HOLD_SECONDS"
snapshot S1 gc
# The generators' open files, resident memory and live heap (after a full GC; they are idle too).
for i in "${!GENS[@]}"; do
  live=$(jcmd "${GENS[$i]}" GC.run >/dev/null && jcmd "${GENS[$i]}" GC.heap_info | grep -oE 'used [0-9]+K' | awk '{s+=$2} END {print s}')
  echo -e "gen-$((i + 1))\t$(ls "/proc/${GENS[$i]}/fd" | wc -l)\t$(awk '/VmRSS/ {print $2}' "/proc/${GENS[$i]}/status")\t${live:-0}"
done >"$OUT/generators.tsv"
log "S1 (all joined, idle, after a full GC) taken; chatting"

# --- The chat ------------------------------------------------------------------------------------------------
touch "$OUT/go"
GO=$(date +%s.%N)
# The CPU window lies inside every generator's measured step: they start it a little apart (each sees the go
# file within 100 ms and drains its warm-up, a few ms on a machine with cores to spare) and exit right after it.
sleep_until "$(awk -v go="$GO" -v w="$CHAT_WARMUP_SECONDS" 'BEGIN {printf "%.3f\n", go + w + 2}')"
cpu_all chat-start
sleep_until "$(awk -v go="$GO" -v w="$CHAT_WARMUP_SECONDS" -v c="$CHAT_SECONDS" 'BEGIN {printf "%.3f\n", go + w + c - 1}')"
cpu_all chat-end
snapshot S2 nogc
log "chat done; S2 taken; waiting for the generators' reports"
for i in "${!GENS[@]}"; do
  wait "${GENS[$i]}" || log "generator $((i + 1)) exited with $? (see gen-$((i + 1)).log)"
done
GENS=()

# --- The table -----------------------------------------------------------------------------------------------
python3 - "$OUT" "$CLK_TCK" "$GENERATORS" "$SOCKETS" "$CHAT_RATE" "$CHAT_SECONDS" \
  "$(python3 -c "print(round($CONNECT_END - $CONNECT_START, 1))")" "$CONNECT_RATE" "$ROOM_SIZE" \
  "$GATEWAY_HEAP" "$SERVICE_HEAP" "$LT_HEAP" >"$OUT/summary.md" <<'EOF'
import csv, json, os, sys
out, tck, gens, sockets, rate, seconds, connect_s, connect_rate, room, gw_heap, svc_heap, lt_heap = sys.argv[1:]
tck, gens = int(tck), int(gens)
snaps = {}
for r in csv.DictReader(open(f'{out}/snapshots.tsv'), delimiter='\t'):
    snaps[(r['label'], r['name'])] = r
cpu = {}
for line in open(f'{out}/cpu.tsv'):
    label, t, name, ticks = line.rstrip('\n').split('\t')
    if ticks:
        cpu[(label, name)] = (float(t), float(ticks))
gen_proc = {}
for line in open(f'{out}/generators.tsv'):
    name, fds, rss, live = line.split()
    gen_proc[name] = (int(fds), int(rss), int(live))
def pct(name, a, b):
    if (a, name) not in cpu or (b, name) not in cpu:
        return '-'
    (t0, c0), (t1, c1) = cpu[(a, name)], cpu[(b, name)]
    return f'{(c1 - c0) / tck / (t1 - t0) * 100:.0f} %'
def kb(v):
    return f'{int(v) / 1024:,.0f} MB'
names = sorted({n for (_, n) in snaps}, key=lambda n: ({'gateway': 0, 'message': 1, 'presence': 2}[n.split('-')[0]], n))
reports = []
for g in range(1, gens + 1):
    try:
        reports.append(json.load(open(f'{out}/gen-{g}.json')))
    except (OSError, ValueError):
        reports.append(None)
print(f'# {sockets} sockets, rooms of {room}, chat at {rate} msg/s\n')
print(f'Connected and joined in {connect_s} s (at most {connect_rate} connects/s in all). Heaps: gateways -Xmx{gw_heap}, '
      f'services -Xmx{svc_heap}, generators -Xmx{lt_heap}. Memory per socket: (live heap after a full GC + resident '
      f'outside the heap) at S1 (all joined, idle) minus S0 (before the first connection), over the gateway\'s sockets. '
      f'CPU: share of one core (the machine has {os.cpu_count()}) while connecting and over the measured chat '
      f'(its {seconds} s less 3, inside every generator\'s step). The machine\'s CPU, other work included: {pct("machine", "connect-start", "connect-end")} '
      f'connecting, {pct("machine", "chat-start", "chat-end")} chatting.\n')
print('| Process | Sockets (S1) | Open files (S1) | Live heap S0 / S1 | RSS S0 / S1 / S2 (chat) | Memory per socket (heap + outside) | CPU connecting | CPU chat |')
print('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
tot = {'sockets': 0, 'heap': 0, 'outside': 0}
for n in names:
    s0, s1, s2 = snaps.get(('S0', n)), snaps.get(('S1', n)), snaps.get(('S2', n))
    if not s0 or not s1:
        continue
    socks = int(s1['sockets'])
    heap_d = int(s1['heap_used_bytes']) - int(s0['heap_used_bytes'])
    out_d = ((int(s1['rss_kb']) - int(s1['heap_rss_kb'])) - (int(s0['rss_kb']) - int(s0['heap_rss_kb']))) * 1024
    per = f'{(heap_d + out_d) / socks:,.0f} B ({heap_d / socks:,.0f} + {out_d / socks:,.0f})' if socks else '-'
    if socks:
        tot['sockets'] += socks; tot['heap'] += heap_d; tot['outside'] += out_d
    rss = f"{kb(s0['rss_kb'])} / {kb(s1['rss_kb'])} / {kb(s2['rss_kb']) if s2 else '-'}"
    print(f"| {n} | {socks:,} | {int(s1['fds']):,} | {int(s0['heap_used_bytes']) / 2**20:,.0f} / {int(s1['heap_used_bytes']) / 2**20:,.0f} MB "
          f"| {rss} | {per} | {pct(n, 'connect-start', 'connect-end')} | {pct(n, 'chat-start', 'chat-end')} |")
for n in ['redis', 'postgres']:
    print(f'| {n} | | | | | | {pct(n, "connect-start", "connect-end")} | {pct(n, "chat-start", "chat-end")} |')
if tot['sockets']:
    print(f"| **gateways** | **{tot['sockets']:,}** | | | | **{(tot['heap'] + tot['outside']) / tot['sockets']:,.0f} B** "
          f"({tot['heap'] / tot['sockets']:,.0f} + {tot['outside'] / tot['sockets']:,.0f}) | | |")
print('\n| Generator | Sockets joined | Open files (S1) | RSS / live heap (S1) | Connect p50 / p99 | Sent (measured) | Delivered / expected | Delivery p50 / p99 / max | Ack p50 / p99 | CPU connecting | CPU chat |')
print('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
def ms(v):
    return '-' if v is None else f'{v:,.1f}'

worst = None
for g, r in enumerate(reports, 1):
    if r is None or 'result' not in r or not r['result'].get('steps'):
        print(f'| gen-{g} | (no report: see gen-{g}.log) | | | | | | | | | |')
        continue
    step = r['result']['steps'][0]
    d, a = step['latency']['delivery'], step['latency']['ack']
    conn = r.get('latency', {}).get('connect', {})
    worst = max(worst or 0, d.get('p99') or 0)
    fds, rss, live = gen_proc.get(f'gen-{g}', (0, 0, 0))
    print(f"| gen-{g} | {r['result']['population']['joined']:,} | {fds:,} | {kb(rss)} / {kb(live)} | {ms(conn.get('p50'))} / {ms(conn.get('p99'))} ms "
          f"| {step['sent']:,} | {step['delivered']:,} / {step['expectedDeliveries']:,} "
          f"| {ms(d.get('p50'))} / {ms(d.get('p99'))} / {ms(d.get('max'))} ms | {ms(a.get('p50'))} / {ms(a.get('p99'))} ms | {pct(f'gen-{g}', 'connect-start', 'connect-end')} | {pct(f'gen-{g}', 'chat-start', 'chat-end')} |")
if worst is not None:
    print(f'\nDelivery p99 of the worst generator: {ms(worst)} ms (each generator\'s p99 is over its own rooms; every room\'s members '
          f'are spread over all gateways).')
EOF
cat "$OUT/summary.md"
log "results in $OUT (summary.md, snapshots.tsv, cpu.tsv, gen-N.json/.html/.log, the servers' logs)"
