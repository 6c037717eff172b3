#!/usr/bin/env bash
# Fan-out across two Parley nodes beside fan-out on one (issue #14): starts nodes A and B on the
# local PostgreSQL (a fresh schema, dropped afterwards) and NATS, then runs parley-bench twice
# against node B:
#   1. one node: the members and the publisher all on B (NATS on, A idle);
#   2. across nodes: the members on B, the publisher on A (--publish-url).
# Prints both runs' RESULT lines side by side per rate, then stops the nodes (also on error or ^C).
#
#   bench/cluster-fanout.sh [--jar PATH] [--bench-jar PATH] [--java PATH] [--ports 18791,18792]
#                           [--keep-logs] [parley-bench fanout options...]
#
# parley-bench runs with --members 1000 --publishers 1 --rates 40,100 --duration 8 --warmup 3
# --drain 5 and then any options given here, which override those; a smoke run:
#   bench/cluster-fanout.sh --members 200 --duration 3 --warmup 1 --drain 2
# Environment: DB_URL (jdbc:postgresql://127.0.0.1:5432/test), DB_USER (postgres), DB_PASSWORD
# (empty), NATS_URL (nats://127.0.0.1:4222): the same PostgreSQL and NATS the tests and .ci/run use.
# Other PARLEY_* variables in the environment reach both nodes (e.g. PARLEY_LOG_LEVEL=DEBUG).
# Needs the jars built: mvn -B -q -pl server,bench -am -DskipTests package
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/server/target/parley-server.jar"
BENCH="$ROOT/bench/target/parley-bench.jar"
JAVA=java
PORT_A=18791
PORT_B=18792
KEEP_LOGS=0
DB_URL="${DB_URL:-jdbc:postgresql://127.0.0.1:5432/test}"
DB_USER="${DB_USER:-postgres}"
DB_PASSWORD="${DB_PASSWORD:-}"
NATS_URL="${NATS_URL:-nats://127.0.0.1:4222}"
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) JAR="$2"; shift 2;;
    --bench-jar) BENCH="$2"; shift 2;;
    --java) JAVA="$2"; shift 2;;
    --ports) PORT_A="${2%,*}"; PORT_B="${2#*,}"; shift 2;;
    --keep-logs) KEEP_LOGS=1; shift;;
    -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0;;
    *) ARGS+=("$1"); shift;;
  esac
done

for f in "$JAR" "$BENCH"; do
  if [ ! -f "$f" ]; then
    echo "missing $f; build it: mvn -B -q -pl server,bench -am -DskipTests package" >&2
    exit 2
  fi
done
for tool in curl jq psql; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }
done
if [[ ! "$DB_URL" =~ ^jdbc:postgresql://([^/:]+)(:([0-9]+))?/([^?]+) ]]; then
  echo "DB_URL must look like jdbc:postgresql://host[:port]/database, was $DB_URL" >&2
  exit 2
fi
PG_HOST="${BASH_REMATCH[1]}" PG_PORT="${BASH_REMATCH[3]:-5432}" PG_DB="${BASH_REMATCH[4]}"
export PGPASSWORD="$DB_PASSWORD"
psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$DB_USER" -d "$PG_DB" -c 'select 1' >/dev/null \
  || { echo "PostgreSQL at $DB_URL does not answer" >&2; exit 2; }
NATS_HOSTPORT="${NATS_URL#nats://}"
(exec 3<>"/dev/tcp/${NATS_HOSTPORT%:*}/${NATS_HOSTPORT##*:}") 2>/dev/null \
  || { echo "NATS at $NATS_URL does not answer" >&2; exit 2; }

SCHEMA="parley_bench_$(date +%s)_$$"
WORK="$(mktemp -d /tmp/parley-cluster-fanout.XXXXXX)"
PID_A=""
PID_B=""

stop_node() {
  local pid="$1" waited=0
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 40 ]; do sleep 0.5; waited=$((waited + 1)); done
  if kill -0 "$pid" 2>/dev/null; then
    echo "node $pid did not stop within 20 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_node "$PID_B"
  stop_node "$PID_A"
  psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$DB_USER" -d "$PG_DB" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" \
    >/dev/null 2>&1 || echo "could not drop schema $SCHEMA" >&2
  if [ "$rc" -ne 0 ] || [ "$KEEP_LOGS" = 1 ]; then
    echo "node logs and bench output kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts a node in the background on $2; sets PID_<name> to the JVM's own pid (env execs java).
start_node() {
  local name="$1" port="$2"
  env PARLEY_HOST=127.0.0.1 PARLEY_PORT="$port" PARLEY_NODE_ID="bench-$name" \
    PARLEY_DB_URL="$DB_URL" PARLEY_DB_USER="$DB_USER" PARLEY_DB_PASSWORD="$DB_PASSWORD" PARLEY_DB_SCHEMA="$SCHEMA" \
    PARLEY_NATS_URL="$NATS_URL" PARLEY_MAX_SESSIONS_PER_ADDRESS=20000 \
    PARLEY_RATE_LIMIT=1000000 PARLEY_RATE_BURST=1000000 \
    "$JAVA" -Xms256m -Xmx1g -XX:MaxNewSize=32m -jar "$JAR" >"$WORK/node-$name.log" 2>&1 &
  printf -v "PID_$name" '%s' "$!"
}

wait_ready() {
  local name="$1" port="$2" pid="$3" waited=0
  until curl -fs -o /dev/null "http://127.0.0.1:$port/ready"; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$waited" -ge 120 ]; then
      echo "node $name (pid $pid, port $port) did not become ready; last lines of its log:" >&2
      tail -n 20 "$WORK/node-$name.log" >&2
      exit 1
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
}

echo "== java -version"; "$JAVA" -version 2>&1 | sed 's/^/   /'
echo "== server $JAR (built $(date -r "$JAR" '+%F %T'); checkout at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo "== schema $SCHEMA at $DB_URL, NATS $NATS_URL"
# A first, alone: it creates and migrates the schema; B then finds it migrated.
start_node A "$PORT_A"; wait_ready A "$PORT_A" "$PID_A"
start_node B "$PORT_B"; wait_ready B "$PORT_B" "$PID_B"
echo "== node A pid $PID_A port $PORT_A, node B pid $PID_B port $PORT_B; load average $(cut -d' ' -f1-3 /proc/loadavg)"

run_bench() {
  local label="$1"; shift
  echo "== $label"
  "$JAVA" -jar "$BENCH" fanout --url "ws://127.0.0.1:$PORT_B/ws" --server-pid "$PID_B" \
    --members 1000 --publishers 1 --rates 40,100 --duration 8 --warmup 3 --drain 5 "$@" "${ARGS[@]}" \
    | tee "$WORK/$label.txt" | grep -v '^  '
}
run_bench one-node --room cluster-fanout-one
run_bench across-nodes --room cluster-fanout-across \
  --publish-url "ws://127.0.0.1:$PORT_A/ws" --publish-server-pid "$PID_A"

results() { sed -n 's/^RESULT //p' "$WORK/$1.txt"; }
echo "== side by side (receiving node B; across: publisher on A; x = across / one node at that rate)"
jq -rn --slurpfile one <(results one-node) --slurpfile across <(results across-nodes) '
  def x(a; b): if b == null or b <= 0 or a == null then "-" else ((a / b * 100 | round) / 100 | tostring) + " x" end;
  def row($run; $r; $base):
    [$run, $r.rate, $r.members, $r.deliveries_per_s, $r.lost, ($r.publisher_lost // "-"), $r.e2e_p50_ms,
     $r.e2e_p99_ms, (if $base == null then "-" else x($r.e2e_p99_ms; $base.e2e_p99_ms) end),
     $r.server_cpu_us_per_delivery, ($r.nodes_cpu_us_per_delivery // "-"),
     (if $base == null then "-" else x($r.nodes_cpu_us_per_delivery; $base.server_cpu_us_per_delivery) end)];
  (["run", "msg/s", "members", "deliveries/s", "lost", "pub lost", "e2e p50 ms", "e2e p99 ms", "p99 x",
    "B cpu us/deliv", "A+B cpu us/deliv", "cpu x"] | @tsv),
  (range(0; [($one | length), ($across | length)] | max) as $i
   | (if $one[$i] then row("one node"; $one[$i]; null) | @tsv else empty end),
     (if $across[$i] then row("across"; $across[$i]; $one[$i]) | @tsv else empty end))
' | column -t -s $'\t'
