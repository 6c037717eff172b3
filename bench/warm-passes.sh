#!/usr/bin/env bash
# Where a server's CPU goes in the harness's scenarios, fresh and warm (issue #14): starts ONE
# server process and runs connection setup, echo (100 connections) and fan-out (1,000 members at
# 40 msg/s) with the peers' load generator, then the same three again on the same process. For
# each scenario it prints the load generator's figure and server CPU per operation, the share of
# the server's CPU that its JIT compiler threads (C1/C2) took during the scenario (a JVM only:
# node's and Bun's threads do not say which of them compile), and the split of the server's CPU
# into user and system time. The harness (bench/compare.sh) measures a fresh server
# for about two minutes; this shows how much of a JVM's figure is its JIT still compiling.
#
#   bench/warm-passes.sh [--java PATH] [--jvm-opts "..."] project|node|bun
#
# Needs ../shared/peers (its LoadGen and, for node and Bun, their servers with npm install done)
# and, for project, server/target/parley-server.jar. Takes about 3 minutes per target.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS="${PEERS:-$ROOT/../shared/peers}"
JAVA=java
JVM_OPTS="-Xms256m -Xmx1g -XX:MaxNewSize=32m"
TARGET=""
while [ $# -gt 0 ]; do
  case "$1" in
    --java) JAVA="$2"; shift 2;;
    --jvm-opts) JVM_OPTS="$2"; shift 2;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0;;
    *) TARGET="$1"; shift;;
  esac
done

LG_DIR="$(mktemp -d)"
DATA_DIR="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$LG_DIR" "$DATA_DIR"
}
trap cleanup EXIT
javac -d "$LG_DIR" "$PEERS/load/LoadGen.java"

EXTRA=()
case "$TARGET" in
  project)
    PORT=8770; URL="ws://127.0.0.1:$PORT/ws"; COMPILERS='^C[12] CompilerThre'
    EXTRA=(--join-method room.join --send-method chat.send --pub-join)
    # shellcheck disable=SC2086
    "$JAVA" $JVM_OPTS -jar "$ROOT/server/target/parley-server.jar" --port "$PORT" --data-dir "$DATA_DIR" \
      --max-sessions-per-address 20000 --rate-limit 1000000 --rate-burst 1000000 > "$DATA_DIR/server.log" 2>&1 &
    SERVER_PID=$!;;
  node)
    PORT=8765; URL="ws://127.0.0.1:$PORT/"; COMPILERS=''
    node "$PEERS/node/server.js" --port "$PORT" > "$DATA_DIR/server.log" 2>&1 &
    SERVER_PID=$!;;
  bun)
    PORT=8768; URL="ws://127.0.0.1:$PORT/"; COMPILERS=''
    "$PEERS/bun/node_modules/bun/bin/bun.exe" "$PEERS/bun/server.js" --port "$PORT" > "$DATA_DIR/server.log" 2>&1 &
    SERVER_PID=$!;;
  *) echo "usage: bench/warm-passes.sh [--java PATH] [--jvm-opts \"...\"] project|node|bun" >&2; exit 2;;
esac
for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.2; done
sleep 1

# "compiler user system" clock ticks of the server so far: its compiler threads', and the process's.
ticks() {
  local compiler=-1 t
  [ -n "$COMPILERS" ] && compiler=0
  for t in /proc/"$SERVER_PID"/task/*; do
    [ -n "$COMPILERS" ] || break
    if grep -Eq "$COMPILERS" "$t/comm" 2>/dev/null; then
      compiler=$((compiler + $(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || echo 0)))
    fi
  done
  echo "$compiler $(awk '{print $14, $15}' "/proc/$SERVER_PID/stat")"
}

scenario() {  # name loadgen-args...
  local name="$1"; shift
  local before after out
  before="$(ticks)"
  out="$("$JAVA" -cp "$LG_DIR" LoadGen "$@" --url "$URL" --server-pid "$SERVER_PID" "${EXTRA[@]}" 2>&1 | grep '^RESULT ' | tail -1 | sed 's/^RESULT //')"
  after="$(ticks)"
  python3 - "$name" "$before" "$after" "$out" <<'EOF'
import json, sys
name, before, after, out = sys.argv[1:5]
c0, u0, s0 = map(int, before.split()); c1, u1, s1 = map(int, after.split())
r = json.loads(out) if out else {}
figure = next((f"{r[k]:,.0f} {unit}" for k, unit in (("setup_per_s", "conn/s"), ("rps", "RPC/s"),
    ("deliveries_per_s", "deliveries/s")) if k in r), "no result")
user, system, compiler = u1 - u0, s1 - s0, c1 - c0
total = max(user + system, 1)
share = "n/a" if c0 < 0 else f"{100 * compiler / total:4.1f} %"
print(f"  {name:<10} {figure:>20}  server CPU {r.get('server_cpu_us_per_op', '?')} us/op"
      f"  compiler threads {share}  user {100 * user / total:4.1f} %  system {100 * system / total:4.1f} %")
EOF
}

case "$TARGET" in
  project) RUNTIME="$("$JAVA" -version 2>&1 | head -1)";;
  node) RUNTIME="node $(node -v)";;
  bun) RUNTIME="bun $("$PEERS/bun/node_modules/bun/bin/bun.exe" --version)";;
esac
echo "== $TARGET on $(uname -m), $(nproc) cores; $RUNTIME"
for pass in fresh warm; do
  echo "-- $pass"
  scenario setup connect --conns 5000 --concurrency 64 --warmup-conns 1000
  scenario echo-c100 echo --conns 100 --warmup 3 --duration 10
  scenario bcast-40 broadcast --subs 1000 --pubs 1 --rates 40 --warmup 2 --duration 10 --drain 5
done
