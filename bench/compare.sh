#!/usr/bin/env bash
# Parley beside the team's peer servers (node + ws and Bun by default; aiohttp, aiohttp + uvloop
# on request) in one run, with
# the team's own harness (../shared/peers/bench.sh and its LoadGen): every target started fresh
# for each run, runs interleaved, medians in <out>/summary.md.
#
#   bench/compare.sh [--runs 3] [--quick] [--out DIR] [--java PATH] [--targets node,bun,project]
#
# Needs: the shared folder beside the project (../shared/peers), node + npm, and for the aiohttp
# targets Debian's python3-aiohttp and python3-uvloop. Takes about 17 minutes with --runs 3.
# Parley runs from server/target/parley-server.jar (built if missing) on its embedded store,
# with a fixed heap, with the per-address session limit raised for the 10,000-connection
# scenario (every load-generator connection comes from 127.0.0.1) and the per-session call rate
# raised from its default 10,000/s, which one closed-loop echo connection exceeds (the peers have
# no such limit).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS="${PEERS:-$ROOT/../shared/peers}"
JAVA=java
TARGETS=node,bun,project
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --java) JAVA="$2"; shift 2;;
    --targets) TARGETS="$2"; shift 2;;
    *) ARGS+=("$1"); shift;;
  esac
done

if [ ! -x "$PEERS/bench.sh" ]; then
  echo "no peer harness at $PEERS (set PEERS=/path/to/shared/peers)" >&2
  exit 2
fi
JAR="$ROOT/server/target/parley-server.jar"
if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && mvn -B -q package -DskipTests)
fi

# \$(mktemp -d) is expanded by the harness each time it starts the server: a fresh store per run.
export PROJECT_CMD="$JAVA -Xms256m -Xmx1g -XX:MaxNewSize=32m -jar $JAR --port 8770 --max-sessions-per-address 20000 --rate-limit 1000000 --rate-burst 1000000 --data-dir \$(mktemp -d)"
export PROJECT_URL="ws://127.0.0.1:8770/ws"
# Parley's method names; publishers join the room (Parley only takes chat.send from members).
export PROJECT_ARGS="--join-method room.join --send-method chat.send --pub-join"
exec "$PEERS/bench.sh" --targets "$TARGETS" "${ARGS[@]}"
