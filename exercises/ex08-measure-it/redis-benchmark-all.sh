#!/usr/bin/env bash
# redis-benchmark's whole default test list (-q, 50 clients, 100,000 requests per test unless N says
# otherwise) against three servers on loopback, one run each, one after the other, and their
# requests per second side by side:
#   - ours, a reference design (default ex03), with the JDK's default carrier threads (one per processor);
#   - ours with --carriers 1 (every connection's virtual thread on one platform thread, as redis-server
#     serves every client from one event-loop thread);
#   - redis-server.
# Each server first gets the same unmeasured warm-up pass (-n 20000). A test missing from a column
# means redis-benchmark stopped there (it exits at the first error reply).
#   ./exercises/ex08-measure-it/redis-benchmark-all.sh [ex01..ex07] [requests]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
design=${1:-ex03}; n=${2:-100000}
for t in redis-benchmark redis-server redis-cli; do
  command -v $t >/dev/null || { echo "needs $t (apt-get install redis-tools redis-server)"; exit 1; }
done
if [ -z "${CLASSES:-}" ]; then
  source scripts/find-jdk.sh; quiet_mvn -B -q -pl exercises -am compile -Dmaven.test.skip=true
  CLASSES=exercises/target/classes
fi
source scripts/find-jdk.sh; find_jdk
declare -A port pid
start_ours() { # start_ours WHO [options]
  local log=/tmp/rba.$$.$1.log
  "$JDK_HOME/bin/java" ${SERVER_JAVA_OPTS:-} -cp "$CLASSES" dev.sharedstate.exercises.ServerMain \
    "$design" --reference --port 0 "${@:2}" >"$log" 2>&1 &
  pid[$1]=$!
  for _ in $(seq 100); do
    port[$1]=$(sed -n 's/.* listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log")
    [ -n "${port[$1]}" ] && return 0
    sleep 0.1
  done
  echo "our server did not start:" >&2; cat "$log" >&2; exit 1
}
start_ours default
start_ours one --carriers 1
port[redis]=$(( 20000 + RANDOM % 10000 ))
redis-server --bind 127.0.0.1 --port "${port[redis]}" --save '' --appendonly no >/dev/null &
pid[redis]=$!
trap 'kill ${pid[default]} ${pid[one]} ${pid[redis]} 2>/dev/null || true; rm -f /tmp/rba.$$.*' EXIT
for who in default one redis; do
  for _ in $(seq 100); do redis-cli -p "${port[$who]}" ping >/dev/null 2>&1 && break; sleep 0.1; done
done
for who in default one redis; do
  redis-benchmark -h 127.0.0.1 -p "${port[$who]}" -q -n 20000 >/dev/null 2>&1 || true
  redis-cli -p "${port[$who]}" flushall >/dev/null
done
echo "redis-benchmark-all.sh: $(nproc) processors, JDK $JDK_HOME, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "redis-benchmark -q -c 50 -n $n (default tests), one run each: ours ($design reference, $(nproc) carriers), ours (1 carrier), redis-server"
for who in default one redis; do
  redis-benchmark -h 127.0.0.1 -p "${port[$who]}" -q -n "$n" 2>&1 | tr '\r' '\n' \
    | sed -n -E 's/^(.*): ([0-9.]+) requests per second.*/\1|\2/p' >"/tmp/rba.$$.$who" || true
done
echo "| test | ours, $(nproc) carriers | ours, 1 carrier | redis-server | ratio, $(nproc) carriers | ratio, 1 carrier |"
echo "|---|---:|---:|---:|---:|---:|"
while IFS='|' read -r test redis; do
  d=$(awk -F'|' -v t="$test" '$1 == t {print $2}' "/tmp/rba.$$.default")
  o=$(awk -F'|' -v t="$test" '$1 == t {print $2}' "/tmp/rba.$$.one")
  awk -v t="$test" -v d="${d:-0}" -v o="${o:-0}" -v r="$redis" 'BEGIN {
    printf "| %s | %s | %s | %s | %.2f | %.2f |\n", t, (d ? sprintf("%\047.0f", d) : "—"), (o ? sprintf("%\047.0f", o) : "—"),
      sprintf("%\047.0f", r), d / r, o / r }'
done <"/tmp/rba.$$.redis"
