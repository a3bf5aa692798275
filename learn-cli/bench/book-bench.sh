#!/usr/bin/env bash
# The speed bars of ./learn book, measured over HTTP as a browser uses it:
#   learn-cli/bench/book-bench.sh [ROUNDS]        (default 20)
# Copies the checkout's chapters, exercises and docs into a temporary folder (so the exercise round
# never touches your files), starts ./learn book on it, runs BookBench.java, stops the server.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-20}"
source "$root/scripts/find-jdk.sh"
find_jdk
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/checkout/checker"
cp -r "$root/chapters" "$root/exercises" "$work/checkout/"
cp -r "$root/checker/docs" "$work/checkout/checker/"
rm -rf "$work/checkout/exercises/target"
# the exercises' compiled classes, as ./learn uses them from a built checkout
if [ -d "$root/exercises/target/classes" ]; then
  mkdir -p "$work/checkout/exercises/target" && cp -r "$root/exercises/target/classes" "$work/checkout/exercises/target/"
fi
echo "book-bench: $(date -u '+%Y-%m-%d %H:%M UTC'), load: $(uptime | sed 's/.*load average: //'), JDK: $JDK_HOME" >&2
LEARN_ROOT="$work/checkout" "$root/learn" book --no-open > "$work/server.out" 2> "$work/server.err" &
server_pid=$!
for _ in $(seq 1 600); do
  if grep -q '^The book is at ' "$work/server.out" 2>/dev/null; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/server.err" >&2; exit 1; fi
  sleep 0.2
done
url="$(sed -n 's/^The book is at //p' "$work/server.out")"
[ -n "$url" ] || { echo "book-bench: the server did not start" >&2; cat "$work/server.err" >&2; exit 1; }
"$JDK_HOME/bin/java" "$root/learn-cli/bench/BookBench.java" "$url" "$work/checkout" "$rounds"
echo "book-bench: done, load now: $(uptime | sed 's/.*load average: //')" >&2
