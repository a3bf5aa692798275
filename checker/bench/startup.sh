#!/usr/bin/env bash
# lockcheck's start-up benchmark, issue 6 item 7: checking one small file, against a bare
# `java -version` of the same JDK (bar: <= 2x). Prints the best of N runs of each:
#   - java -version;
#   - LOCKCHECK_DAEMON=0 ./lockcheck FILE: a new JVM, with the AOT cache (JDK 25+) or CDS (21-24);
#   - ./lockcheck FILE with its resident checker running (checker/docs/daemon.md), after one run
#     has started it; the benchmark waits for it, checks that both print the same, and stops it.
# Usage: checker/bench/startup.sh [N]   (default 10 runs of each; run on a quiet machine)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/find-jdk.sh"
find_jdk || exit 2
runs=${1:-10}
work=$(mktemp -d)
export LOCKCHECK_DAEMON_DIR="$work/daemons" LOCKCHECK_DAEMON=1   # on even where CI is set
trap '"$root/lockcheck" --stop-daemons >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
cd "$work"
cat >Small.java <<'EOF'
import java.util.concurrent.CompletableFuture;

class Small {
  private final Object lock = new Object();

  String read(CompletableFuture<String> value) {
    synchronized (lock) {
      return value.join();
    }
  }
}
EOF

best() { # best wall time in seconds of $runs runs of "$@" (output discarded)
  local b="" t s e
  for _ in $(seq "$runs"); do
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    t=$(( (e - s) / 1000 ))
    if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
  done
  awk -v us="$b" 'BEGIN { printf "%.3f", us / 1e6 }'
}

"$root/lockcheck" --no-daemon --version >/dev/null   # builds the checker and its start-up cache
echo "startup: JDK $JDK_HOME, $(nproc) processors, best of $runs, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
jv=$(best "$JDK_HOME/bin/java" -version)
cold=$(best env LOCKCHECK_DAEMON=0 "$root/lockcheck" Small.java)

"$root/lockcheck" Small.java >/dev/null 2>&1 || true   # starts the daemon
for _ in $(seq 120); do
  if compgen -G "$LOCKCHECK_DAEMON_DIR/*.state" >/dev/null; then break; fi
  sleep 0.5
done
compgen -G "$LOCKCHECK_DAEMON_DIR/*.state" >/dev/null || { echo "startup: the daemon did not start; see $LOCKCHECK_DAEMON_DIR/*.log" >&2; exit 1; }
set +e
"$root/lockcheck" Small.java >daemon.out 2>&1; rd=$?
LOCKCHECK_DAEMON=0 "$root/lockcheck" Small.java >jvm.out 2>&1; rn=$?
set -e
if [ "$rd" != "$rn" ] || ! cmp -s daemon.out jvm.out; then
  echo "startup: the daemon's answer differs from a new JVM's (exit $rd vs $rn):" >&2
  diff daemon.out jvm.out >&2 || true
  exit 1
fi
warm=$(best "$root/lockcheck" Small.java)

awk -v jv="$jv" -v cold="$cold" -v warm="$warm" 'BEGIN {
  printf "java -version                             %6.3f s\n", jv
  printf "LOCKCHECK_DAEMON=0 ./lockcheck Small.java %6.3f s   %5.1fx java -version   (a new JVM)\n", cold, cold / jv
  printf "./lockcheck Small.java (daemon running)   %6.3f s   %5.1fx java -version   (bar: <= 2x: %s)\n", warm, warm / jv, (warm <= 2 * jv ? "met" : "NOT met")
}'
