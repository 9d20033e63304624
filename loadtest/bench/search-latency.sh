#!/usr/bin/env bash
# Message search over a million stored messages (docs/benchmarks.md, "Search"): a throwaway Postgres
# (../shared/bench/start-postgres), Switchboard on it (its migrations make the schema and the search
# index), MESSAGES messages seeded in SQL into ROOMS rooms of one tenant whose every room the searching
# user is a member of (the worst case: every message is theirs to search), then search-messages over a
# socket, each query QUERIES times one after the other, and the plan of the common word's query. Stops
# what it starts.
#
#   loadtest/bench/search-latency.sh                         # 1,000,000 messages, about 3 minutes
#   MESSAGES=100000 loadtest/bench/search-latency.sh
#
# Settings: MESSAGES (1000000), ROOMS (200), QUERIES (30), PG_PORT (55493), SB_PORT (3400), OUT (result
# folder), SB_JAR. Searches are reads: the server runs with RATE_READS=1000:1000 so that none is rate limited. Bodies are 8 to 16 words drawn from a vocabulary of 5,000 (w0 ... w4999) with a
# Zipf-like skew, so w0 is in most messages and w4999 in a few; "needle" is planted in 10 messages.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MESSAGES=${MESSAGES:-1000000}
ROOMS=${ROOMS:-200}
QUERIES=${QUERIES:-30}
PG_PORT=${PG_PORT:-55493}
SB_PORT=${SB_PORT:-3400}
OUT=${OUT:-$ROOT/loadtest/target/search-$(date +%Y%m%d-%H%M%S)}
SB_JAR=${SB_JAR:-$ROOT/launcher/target/switchboard.jar}
. "$ROOT/loadtest/bench/sb-java.sh"
mkdir -p "$OUT"
PSQL="$(ls -d /usr/lib/postgresql/*/bin | tail -1)/psql -h 127.0.0.1 -p $PG_PORT -U postgres -d test -v ON_ERROR_STOP=1 -q"

PG_DIR=""; SB_PID=""
cleanup() {
  [ -n "$SB_PID" ] && kill "$SB_PID" 2>/dev/null && wait "$SB_PID" 2>/dev/null || true
  [ -n "$PG_DIR" ] && "$ROOT/../shared/bench/start-postgres" --stop "$PG_DIR" || true
}
trap cleanup EXIT INT TERM

PG_DIR=$("$ROOT/../shared/bench/start-postgres" "$PG_PORT")
DATA=$(mktemp -d -t search-sb.XXXXXX)
PORT=$SB_PORT GATEWAY_OPS_PORT=$((SB_PORT + 90)) MESSAGE_OPS_PORT=$((SB_PORT + 91)) PRESENCE_OPS_PORT=$((SB_PORT + 92)) \
  PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/test" DATA_DIR="$DATA" RATE_READS=1000:1000 \
  "$SB_JAVA" -Xmx1g $SB_JVM -jar "$SB_JAR" > "$OUT/switchboard.log" 2>&1 &
SB_PID=$!
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$SB_PORT/ready" >/dev/null && break; sleep 1; done

echo "seeding $MESSAGES messages in $ROOMS rooms"
SEED_START=$(date +%s)
$PSQL <<SQL
INSERT INTO tenants (id) VALUES ('bench') ON CONFLICT DO NOTHING;
INSERT INTO rooms (id, tenant_id, name, kind, created_by, last_seq)
  SELECT 'room-' || r, 'bench', 'room ' || r, 'group', 'reader', 0 FROM generate_series(1, $ROOMS) r;
INSERT INTO room_members (room_id, user_id, role) SELECT 'room-' || r, 'reader', 'owner' FROM generate_series(1, $ROOMS) r;
-- Word i is drawn with a weight of about 1/(i+1): w0 in most messages, w4999 in a few.
INSERT INTO messages (room_id, seq, id, client_msg_id, sender_id, sender_name, body, created_at)
  SELECT 'room-' || (n % $ROOMS + 1), n / $ROOMS + 1, gen_random_uuid(), 'c' || n, 'user' || (n % 50), 'user' || (n % 50),
         (SELECT string_agg('w' || floor(exp(random() * ln(5000)) - 1)::int, ' ')
            FROM generate_series(1, 8 + (n % 9)) k WHERE k > 0 AND n >= 0),
         now() - make_interval(secs => $MESSAGES - n)
    FROM generate_series(0, $MESSAGES - 1) n;
UPDATE messages SET body = body || ' needle' WHERE client_msg_id IN (SELECT 'c' || (n * ($MESSAGES / 10)) FROM generate_series(0, 9) n);
UPDATE rooms r SET last_seq = (SELECT max(seq) FROM messages m WHERE m.room_id = r.id) WHERE tenant_id = 'bench';
-- As autovacuum would have: the planner needs the rooms' and members' statistics too.
VACUUM ANALYZE;
SQL
echo "seeded in $(( $(date +%s) - SEED_START )) s"
$PSQL -At -c "SELECT 'w0: ' || count(*) FROM messages WHERE body_tsv @@ 'w0'::tsquery AND NOT deleted
  UNION ALL SELECT 'w50: ' || count(*) FROM messages WHERE body_tsv @@ 'w50'::tsquery AND NOT deleted
  UNION ALL SELECT 'w4000: ' || count(*) FROM messages WHERE body_tsv @@ 'w4000'::tsquery AND NOT deleted" \
  | tee "$OUT/matches.txt"

NODE_PATH="$ROOT/system-tests/src/test/js/node_modules" node "$ROOT/loadtest/bench/search-latency.mjs" \
  "http://127.0.0.1:$SB_PORT" "$QUERIES" | tee "$OUT/latency.md"

# The plan of the common word's first page, as message-service runs it.
$PSQL -c "EXPLAIN (ANALYZE, BUFFERS) SELECT m.id, ts_rank_cd(m.body_tsv, q) AS rank FROM messages m
  JOIN rooms r ON r.id = m.room_id AND r.tenant_id = 'bench'
  JOIN room_members rm ON rm.room_id = m.room_id AND rm.user_id = 'reader', websearch_to_tsquery('simple', 'w50') q
  WHERE NOT m.deleted AND m.body_tsv @@ q ORDER BY rank DESC, m.created_at DESC, m.id DESC LIMIT 21" \
  > "$OUT/plan-w50.txt"
echo "results in $OUT"
