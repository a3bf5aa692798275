#!/usr/bin/env bash
# Exercise 8: measure it. Starts each exercise's reference store behind the same RESP server, one after the
# other, on a free loopback port, and drives it with redis-benchmark (many clients, a bounded request count).
# Prints one table row per design, so the designs of chapters 4, 6 and 7 can be compared side by side.
#   ./exercises/ex08-measure-it/compare.sh [-c CLIENTS] [-n REQUESTS] [--yours] [DESIGN...]
# DESIGN is an exercise id (default: ex01 to ex06).
# --yours measures your code instead of the references.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
clients=50; requests=100000; which="--reference"; designs=()
while [ $# -gt 0 ]; do
  case "$1" in
    -c) clients="$2"; shift 2 ;;
    -n) requests="$2"; shift 2 ;;
    --yours) which=""; shift ;;
    -h|--help) sed -n 2,7p "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    ex0[0-9]) designs+=("$1"); shift ;;
    *) echo "compare.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[ ${#designs[@]} -gt 0 ] || designs=(ex01 ex02 ex03 ex04 ex05 ex06)
command -v redis-benchmark >/dev/null || { echo "compare.sh: needs redis-benchmark (Debian: apt-get install redis-tools)" >&2; exit 2; }
[ "$requests" -le 1000000 ] || { echo "compare.sh: -n is capped at 1000000 to keep the run bounded" >&2; exit 2; }

echo "compare.sh: compiling the exercises..." >&2
source scripts/find-jdk.sh; find_jdk
quiet_mvn -B -q -pl exercises -am compile

printf '%s\n' "redis-benchmark -t set,get,incr -c $clients -n $requests -q, ${which:+reference }stores, $(nproc) cores, $(date -u +%F)"
printf '%-6s %-44s %12s %12s %12s\n' design store "SET req/s" "GET req/s" "INCR req/s"
for d in "${designs[@]}"; do
  port=$(( 20000 + RANDOM % 20000 ))
  log="$(mktemp)"
  "$JDK_HOME/bin/java" -cp exercises/target/classes dev.sharedstate.exercises.ServerMain "$d" $which --port "$port" >"$log" 2>&1 &
  pid=$!
  up=""
  for _ in $(seq 100); do
    if redis-cli -p "$port" ping >/dev/null 2>&1; then up=yes; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$up" ]; then
    printf '%-6s %s\n' "$d" "(did not start: $(head -c 200 "$log" | tr '\n' ' '))"
    kill "$pid" 2>/dev/null || true; rm -f "$log"; continue
  fi
  case "$d" in
    ex01) store="one map behind one lock (chapter 4)" ;;
    ex02) store="lock only inside short methods (chapter 7)" ;;
    ex03) store="ConcurrentHashMap, atomic compute/merge" ;;
    ex04) store="N independently locked shards (chapter 6)" ;;
    ex05) store="slow backing store, lock not held on load" ;;
    ex06) store="owner thread + BlockingQueue (chapter 2)" ;;
    *) store="$d" ;;
  esac
  declare -A r=()
  while read -r name rate; do r[$name]=$rate; done < <(
    timeout 300 redis-benchmark -h 127.0.0.1 -p "$port" -t set,get,incr -c "$clients" -n "$requests" -q \
      | tr '\r' '\n' | grep -E '^(SET|GET|INCR): [0-9.]+ requests per second' \
      | sed -E 's/^([A-Z]+): ([0-9.]+) requests per second.*/\1 \2/')
  printf '%-6s %-44s %12.0f %12.0f %12.0f\n' "$d" "$store" "${r[SET]:-0}" "${r[GET]:-0}" "${r[INCR]:-0}"
  unset r
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"
done
