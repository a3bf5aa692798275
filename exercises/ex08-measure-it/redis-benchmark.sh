#!/usr/bin/env bash
# Compares our server (a reference design, default ex03: ConcurrentHashMap.compute) with redis-server,
# both on loopback, with redis-benchmark: SET and GET, 50 clients, bounded request count, then pipelined,
# after an unmeasured warm-up of both. RUNS=N (default 3) alternates the two servers N times and keeps
# each one's best figure, so a burst of load from elsewhere on the machine does not decide the ratio.
# EXTRA adds redis-benchmark options to every measured run, e.g. EXTRA="-r 100000" (random keys).
#   RUNS=3 ./exercises/ex08-measure-it/redis-benchmark.sh [ex01|ex03] [requests]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
design=${1:-ex03}; n=${2:-100000}; runs=${RUNS:-3}
for t in redis-benchmark redis-server; do command -v $t >/dev/null || { echo "needs $t (apt-get install redis-tools redis-server)"; exit 1; }; done
mvn -B -q -pl exercises -am compile
source scripts/find-jdk.sh; find_jdk
ours=$(( 20000 + RANDOM % 10000 )); theirs=$(( ours + 1 ))
"$JDK_HOME/bin/java" -cp exercises/target/classes dev.sharedstate.exercises.ServerMain "$design" --reference --port "$ours" >/dev/null &
ours_pid=$!
redis-server --bind 127.0.0.1 --port "$theirs" --save '' --appendonly no --daemonize no >/dev/null &
theirs_pid=$!
trap 'kill $ours_pid $theirs_pid 2>/dev/null || true' EXIT
for p in $ours $theirs; do for _ in $(seq 100); do redis-cli -p $p ping >/dev/null 2>&1 && break; sleep 0.1; done; done
bench() { redis-benchmark -h 127.0.0.1 -p "$1" -t set,get -c 50 -n "$n" -q ${EXTRA:-} "${@:2}" | tr '\r' '\n' | grep -E '^(SET|GET): [0-9.]+ requests per second' | sort | sed -E 's/^(SET|GET): ([0-9.]+) requests per second.*/\1 \2/'; }
# Warm-up, not measured: a JVM server runs interpreted until the JIT has compiled its hot paths, and
# redis-benchmark runs SET first, so without this the SET figure measures mostly JIT warm-up.
# Both servers get the same warm-up.
for p in $ours $theirs; do redis-benchmark -h 127.0.0.1 -p "$p" -t set,get -c 50 -n 100000 -q >/dev/null 2>&1; done
best() { sort -k1,1 -k2,2nr | awk '!seen[$1]++'; }   # per command, the highest requests/s
for opts in "" "-P 16"; do
  echo "== redis-benchmark -t set,get -c 50 -n $n ${EXTRA:-}$opts (best of $runs, alternating)"
  : > /tmp/ours.$$; : > /tmp/theirs.$$
  for _ in $(seq "$runs"); do bench $ours $opts >> /tmp/ours.$$; bench $theirs $opts >> /tmp/theirs.$$; done
  best < /tmp/ours.$$ > /tmp/ours-best.$$; best < /tmp/theirs.$$ > /tmp/theirs-best.$$
  join /tmp/ours-best.$$ /tmp/theirs-best.$$ | awk -v d="$design" '{printf "%s  ours(%s ref) %10.0f/s   redis-server %10.0f/s   ratio %.2f\n", $1, d, $2, $3, $2/$3}'
done
rm -f /tmp/ours.$$ /tmp/theirs.$$ /tmp/ours-best.$$ /tmp/theirs-best.$$
