#!/usr/bin/env bash
# What an idle socket costs Switchboard, measured honestly: live heap after a full GC (a class
# histogram per socket) plus resident memory growth outside the Java heap, at IDLE_SOCKETS joined
# idle sockets (rooms of 10), one fresh one-JVM server (embedded Postgres and Redis), G1 heap not
# pre-touched. Snapshots: before the first connection (S0), after the first IDLE_SOCKETS/2 (S1) and
# after all (S2), each after the full GC that `jcmd GC.class_histogram` runs. The second half's
# figures are the marginal cost: what the first sockets paid once (JIT code, classes, the buffer
# pool's chunks) is not in them.
#
#   loadtest/bench/idle-memory.sh                       # about 4 minutes
#   IDLE_SOCKETS=18000 SB_PORT=3800 OUT=/tmp/idle-mem loadtest/bench/idle-memory.sh
#
# Settings (environment): SB_JAR, LT_JAR, SB_PORT (3800; ops ports SB_PORT+90..92), IDLE_SOCKETS
# (18000: two generators of half each, each under the 20,000 open files of one process), SB_HEAP (1g),
# SB_JVM (as deployed: loadtest/bench/sb-java.sh), SB_WARMUP (0), SB_JAVA_HOME (the JDK that runs Switchboard and whose jcmd reads it; by
# default the one on the PATH), OUT (result folder). Needs jcmd and python3.
# Writes OUT/report.txt; the histograms, NMT summaries and /proc figures beside it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SB_JAR=${SB_JAR:-$ROOT/launcher/target/switchboard.jar}
LT_JAR=${LT_JAR:-$ROOT/loadtest/target/loadtest.jar}
SB_PORT=${SB_PORT:-3800}
IDLE_SOCKETS=${IDLE_SOCKETS:-18000}
SB_HEAP=${SB_HEAP:-1g}
SB_WARMUP=${SB_WARMUP:-0}
. "$ROOT/loadtest/bench/sb-java.sh"
OUT=${OUT:-$ROOT/loadtest/target/idle-memory-$(date +%Y%m%d-%H%M%S)}
HALF=$((IDLE_SOCKETS / 2))
mkdir -p "$OUT"
cd "$OUT"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

JWT_SECRET=bench-secret HOST=127.0.0.1 PORT=$SB_PORT GATEWAY_OPS_PORT=$((SB_PORT + 90)) \
  MESSAGE_OPS_PORT=$((SB_PORT + 91)) PRESENCE_OPS_PORT=$((SB_PORT + 92)) SWITCHBOARD_DATA_DIR="$OUT/data" \
  WARMUP_CONNECTIONS=$SB_WARMUP RATE_JOINS=100000:100000 \
  "$SB_JAVA" -Xmx$SB_HEAP $SB_JVM -XX:NativeMemoryTracking=summary -jar "$SB_JAR" >server.log 2>&1 &
SB=$!
PIDS+=("$SB")
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$SB_PORT/health" >/dev/null && break; sleep 0.5; done
sleep 5

# RSS of the process and of the Java heap's mapping (from /proc/PID/smaps), in KB.
rss() {
  python3 - "$SB" "$SB_JCMD" <<'EOF'
import re, subprocess, sys
pid = sys.argv[1]
info = subprocess.run([sys.argv[2], pid, 'GC.heap_info'], capture_output=True, text=True).stdout
lo, hi = (int(x, 16) for x in re.search(r'\[(0x[0-9a-f]+), (0x[0-9a-f]+)\)', info).groups())
total = heap = 0
inside = False
for line in open(f'/proc/{pid}/smaps'):
    m = re.match(r'^([0-9a-f]+)-([0-9a-f]+) ', line)
    if m:
        inside = int(m.group(1), 16) < hi and int(m.group(2), 16) > lo
    elif line.startswith('Rss:'):
        kb = int(line.split()[1]); total += kb; heap += kb if inside else 0
print(total, heap)
EOF
}
snap() {
  "$SB_JCMD" "$SB" GC.class_histogram >"histo-$1.txt"
  "$SB_JCMD" "$SB" VM.native_memory summary >"nmt-$1.txt"
  rss >"rss-$1.txt"
}
generator() { # sockets, user prefix, source addresses
  java -Xmx2g -XX:+UseParallelGC -jar "$LT_JAR" idle --target switchboard --url "http://127.0.0.1:$SB_PORT" \
    --source-ips "$3" --jwt-secret bench-secret --connections "$1" --room-size 10 --connect-rate 3000/s \
    --settle 5 --hold 900 --max-duration 1200 --user-prefix "$2" --socket-metrics-url none --out "$OUT/$2" \
    >"generator-$2.log" 2>&1 &
  PIDS+=("$!")
}
settled() { for _ in $(seq 1 600); do grep -a -q "settling\|holding" "$1" && break; sleep 1; done; sleep 15; }

snap 0
generator "$HALF" a 127.0.0.1-127.0.0.4
settled generator-a.log
snap 1
generator "$((IDLE_SOCKETS - HALF))" b 127.0.0.5-127.0.0.8
settled generator-b.log
snap 2
curl -s "http://127.0.0.1:$((SB_PORT + 90))/socket-metrics" >socket-metrics.json

python3 - "$HALF" "$((IDLE_SOCKETS - HALF))" >report.txt <<'EOF'
import json, re, sys
n1, n2 = int(sys.argv[1]), int(sys.argv[2])
def histo(i):
    d = {}
    for line in open(f'histo-{i}.txt'):
        m = re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(.*)$', line)
        if m:
            d[m.group(3).split(' (')[0].strip()] = (int(m.group(1)), int(m.group(2)))
    return d
def nmt(i):
    d = {}
    for line in open(f'nmt-{i}.txt'):
        m = re.match(r'\s*-?\s*([A-Za-z][A-Za-z ]+?)\s+\(reserved=(\d+)KB, committed=(\d+)KB\)', line)
        if m:
            d[m.group(1).strip()] = int(m.group(3))
    return d
def rss(i):
    total, heap = map(int, open(f'rss-{i}.txt').read().split())
    return total, total - heap
h = [histo(i) for i in range(3)]
connected = json.load(open('socket-metrics.json'))['connections']['total']
print(f'sockets connected at the end: {connected} of {n1 + n2}')
for a, b, n, label in [(0, 1, n1, f'first {n1}'), (1, 2, n2, f'next {n2}'), (0, 2, n1 + n2, f'all {n1 + n2}')]:
    heap = (sum(v[1] for v in h[b].values()) - sum(v[1] for v in h[a].values())) / n
    (ta, oa), (tb, ob) = rss(a), rss(b)
    na, nb = nmt(a), nmt(b)
    parts = ', '.join(f'{k} {(nb.get(k, 0) - na.get(k, 0)) * 1024 / n:.0f}' for k in sorted(nb, key=lambda k: -(nb[k] - na.get(k, 0)))
                      if k != 'Java Heap' and abs(nb[k] - na.get(k, 0)) * 1024 / n >= 20)
    print(f'{label}: live heap {heap:.0f} B/socket + resident outside the heap {(ob - oa) * 1024 / n:.0f} B/socket'
          f' = {heap + (ob - oa) * 1024 / n:.0f} B/socket (RSS {(tb - ta) * 1024 / n:.0f}; NMT outside the heap: {parts})')
print(f'\nlive heap per socket by class, all {n1 + n2} (bytes, instances):')
rows = sorted(((h[2].get(k, (0, 0))[1] - h[0].get(k, (0, 0))[1], h[2].get(k, (0, 0))[0] - h[0].get(k, (0, 0))[0], k)
               for k in set(h[0]) | set(h[2])), reverse=True)
for b, i, k in rows[:30]:
    print(f'{b / (n1 + n2):8.1f} {i / (n1 + n2):6.2f}  {k}')
EOF
cat report.txt
