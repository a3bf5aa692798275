#!/usr/bin/env bash
# Compares our server (a reference design, default ex03: ConcurrentHashMap.compute) with redis-server,
# all on loopback, with redis-benchmark: SET and GET, 50 clients, bounded request count, then pipelined,
# after an unmeasured warm-up of each.
#
# Ours runs twice, side by side:
#   - with the JDK's default of one carrier thread per processor;
#   - with --carriers 1: every connection's virtual thread on one carrier thread, as redis-server
#     serves every connection from its one event-loop thread (Tokio's single-threaded runtime, in the
#     lesson's terms).
# RUNS=N (default 3) alternates the three servers N times and keeps each one's best figure, so a burst
# of load from elsewhere on the machine does not decide a ratio. EXTRA adds redis-benchmark options to
# every measured run, e.g. EXTRA="-r 100000" (random keys). SERVER_JAVA_OPTS adds JVM options to ours.
#   RUNS=3 ./exercises/ex08-measure-it/redis-benchmark.sh [ex01|ex03|ex04] [requests]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
design=${1:-ex03}; n=${2:-100000}; runs=${RUNS:-3}
for t in redis-benchmark redis-server redis-cli; do
  command -v $t >/dev/null || { echo "needs $t (apt-get install redis-tools redis-server)"; exit 1; }
done
source scripts/find-jdk.sh; find_jdk
quiet_mvn -B -q -pl exercises -am compile
declare -A port pid label
label[default]="ours($design ref, $(nproc) carriers)"
label[one]="ours($design ref, 1 carrier)"
label[redis]="redis-server"
start_ours() { # start_ours WHO [options]: on a port the system picks, read back from its first line
  local log=/tmp/rb.$$.$1.log
  "$JDK_HOME/bin/java" ${SERVER_JAVA_OPTS:-} -cp exercises/target/classes dev.sharedstate.exercises.ServerMain \
    "$design" --reference --port 0 "${@:2}" >"$log" 2>&1 &
  pid[$1]=$!
  for _ in $(seq 100); do
    port[$1]=$(sed -n 's/.* listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log")
    [ -n "${port[$1]}" ] && return 0
    sleep 0.1
  done
  echo "redis-benchmark.sh: our server did not start:" >&2; cat "$log" >&2; exit 1
}
start_ours default
start_ours one --carriers 1
# redis-server cannot be asked for a free port (--port 0 turns TCP off): a random high one
port[redis]=$(( 20000 + RANDOM % 10000 ))
redis-server --bind 127.0.0.1 --port "${port[redis]}" --save '' --appendonly no --daemonize no >/dev/null &
pid[redis]=$!
trap 'kill ${pid[default]} ${pid[one]} ${pid[redis]} 2>/dev/null || true; rm -f /tmp/rb.$$.*' EXIT
for who in default one redis; do
  for _ in $(seq 100); do redis-cli -p "${port[$who]}" ping >/dev/null 2>&1 && break; sleep 0.1; done
done
bench() { # bench PORT [redis-benchmark options]: "SET n" and "GET n" lines, requests per second
  redis-benchmark -h 127.0.0.1 -p "$1" -t set,get -c 50 -n "$n" -q ${EXTRA:-} "${@:2}" | tr '\r' '\n' \
    | grep -E '^(SET|GET): [0-9.]+ requests per second' | sort \
    | sed -E 's/^(SET|GET): ([0-9.]+) requests per second.*/\1 \2/'
}
# Warm-up, not measured: a JVM server runs interpreted until the JIT has compiled its hot paths, and
# redis-benchmark runs SET first, so without this the SET figure measures mostly JIT warm-up.
# Every server gets the same warm-up.
for who in default one redis; do
  redis-benchmark -h 127.0.0.1 -p "${port[$who]}" -t set,get -c 50 -n 100000 -q >/dev/null 2>&1
done
best() { sort -k1,1 -k2,2nr | awk '!seen[$1]++'; }   # per command, the highest requests/s
echo "redis-benchmark.sh: $(nproc) processors, JDK $JDK_HOME, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
for opts in "" "-P 16"; do
  goal=$([ -z "$opts" ] && echo 0.7 || echo 0.5)
  echo "== redis-benchmark -t set,get -c 50 -n $n${EXTRA:+ $EXTRA}${opts:+ $opts} (best of $runs, alternating; goal: ratio >= $goal)"
  for who in default one redis; do : >"/tmp/rb.$$.$who"; done
  for _ in $(seq "$runs"); do
    for who in default one redis; do bench "${port[$who]}" $opts >>"/tmp/rb.$$.$who"; done
  done
  for who in default one redis; do best <"/tmp/rb.$$.$who" >"/tmp/rb.$$.$who.best"; done
  for who in default one; do
    join "/tmp/rb.$$.$who.best" "/tmp/rb.$$.redis.best" \
      | awk -v l="${label[$who]}" -v g="$goal" \
          '{printf "%s  %-28s %10.0f/s   redis-server %10.0f/s   ratio %.2f%s\n", $1, l, $2, $3, $2/$3, ($2/$3 >= g ? "" : "  (below the goal)")}'
  done
done
