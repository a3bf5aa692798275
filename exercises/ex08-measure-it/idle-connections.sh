#!/usr/bin/env bash
# Memory (RSS) of a server holding N idle connections: ours (a reference design, default ex03) beside
# redis-server. Each connection sends one PING first, as a real client would. Prints RSS before and
# after, and per connection; for ours also after a full GC (jcmd GC.run), since a JVM's RSS includes
# heap that garbage still occupies.
#   ./exercises/ex08-measure-it/idle-connections.sh [ex01..ex07] [N]        (default ex03 10000)
# CLASSES=DIR measures another build of the server (e.g. an older commit's compiled classes).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
design=${1:-ex03}; n=${2:-10000}
command -v redis-server >/dev/null || { echo "needs redis-server (apt-get install redis-server)"; exit 1; }
# Each side holds N sockets: raise the open-files limit (the hard limit must allow it).
ulimit -n "$(( n + 1000 ))" 2>/dev/null || { echo "ulimit -n $(( n + 1000 )) refused (hard limit $(ulimit -Hn)); lower N"; exit 1; }
if [ -z "${CLASSES:-}" ]; then
  source scripts/find-jdk.sh; quiet_mvn -B -q -pl exercises -am compile -Dmaven.test.skip=true
  CLASSES=exercises/target/classes
fi
source scripts/find-jdk.sh; find_jdk
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
log=/tmp/idle.$$.log
cleanup() { kill "${spid:-}" "${rpid:-}" 2>/dev/null || true; rm -f "$log" /tmp/idle.$$.fifo*; }
trap cleanup EXIT

measure() { # measure LABEL PID PORT [gc]
  local label=$1 pid=$2 port=$3 before after gc_after="" fifo=/tmp/idle.$$.fifo.$3
  sleep 2
  [ "${4:-}" = gc ] && "$JDK_HOME/bin/jcmd" "$pid" GC.run >/dev/null
  before=$(rss_kb "$pid")
  mkfifo "$fifo"
  "$JDK_HOME/bin/java" -Xss256k "$root/exercises/ex08-measure-it/IdleClients.java" "$port" "$n" <"$fifo" >"$log.clients" 2>&1 &
  local cpid=$!
  exec 9>"$fifo"   # holds the clients' stdin open until we close it
  for _ in $(seq 600); do grep -q '^ready' "$log.clients" 2>/dev/null && break; sleep 0.1; done
  grep -q '^ready' "$log.clients" || { echo "clients failed:"; cat "$log.clients"; exit 1; }
  sleep 2
  after=$(rss_kb "$pid")
  if [ "${4:-}" = gc ]; then "$JDK_HOME/bin/jcmd" "$pid" GC.run >/dev/null; sleep 1; gc_after=$(rss_kb "$pid"); fi
  printf '%-34s RSS %7d KB idle, %7d KB with %d connections: %5.1f KB each' "$label" "$before" "$after" "$n" \
    "$(awk -v a="$after" -v b="$before" -v n="$n" 'BEGIN {print (a - b) / n}')"
  [ -n "$gc_after" ] && printf '; after a full GC %7d KB: %5.1f KB each' "$gc_after" "$(awk -v a="$gc_after" -v b="$before" -v n="$n" 'BEGIN {print (a - b) / n}')"
  echo
  exec 9>&-
  wait "$cpid" || true
  rm -f "$fifo"
}

echo "idle-connections.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg), JDK $JDK_HOME, classes $CLASSES"
"$JDK_HOME/bin/java" ${SERVER_JAVA_OPTS:-} -cp "$CLASSES" dev.sharedstate.exercises.ServerMain "$design" --reference --port 0 >"$log" 2>&1 &
spid=$!
for _ in $(seq 100); do
  sport=$(sed -n 's/.* listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log"); [ -n "$sport" ] && break; sleep 0.1
done
[ -n "$sport" ] || { echo "our server did not start:"; cat "$log"; exit 1; }
measure "ours ($design reference)" "$spid" "$sport" gc
kill "$spid"; spid=""

rport=$(( 20000 + RANDOM % 10000 ))
redis-server --bind 127.0.0.1 --port "$rport" --save '' --appendonly no --maxclients "$(( n + 10 ))" >/dev/null &
rpid=$!
for _ in $(seq 100); do redis-cli -p "$rport" ping >/dev/null 2>&1 && break; sleep 0.1; done
measure "redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/')" "$rpid" "$rport"
