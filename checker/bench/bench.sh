#!/usr/bin/env bash
# lockcheck's benchmark: whole-process ./lockcheck against a parse-only JavaParser pass (same language
# level, same configuration, same thread count) over the same tree, the JDK's own sources by default.
# Prints files/s for each and the ratio (issue 2's bar: lockcheck >= 0.8x parse-only).
#
#   checker/bench/bench.sh [DIR_OR_SRC_ZIP]     (RUNS=3 to take the best of 3 runs each)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/find-jdk.sh"
find_jdk
runs=${RUNS:-1}
input=${1:-$JDK_HOME/lib/src.zip}
if [ -d "$input" ]; then
  tree=$input
else
  tree="$root/checker/target/jdk-src"
  if [ ! -d "$tree/java.base" ]; then
    echo "bench: extracting $input into $tree (once)" >&2
    mkdir -p "$tree"
    (cd "$tree" && "$JDK_HOME/bin/jar" xf "$input")
  fi
fi
files=$(find "$tree" -name '*.java' | wc -l)

# Build lockcheck and the parse-only program first; neither build is timed.
"$root/lockcheck" --version >/dev/null
cp="$root/checker/target/lockcheck.jar:$(ls "$root"/checker/target/lib/*.jar | paste -sd: -)"
mkdir -p "$root/checker/target/bench-classes"
"$JDK_HOME/bin/javac" -d "$root/checker/target/bench-classes" -cp "$cp" "$root/checker/bench/ParseOnly.java"
"$root/lockcheck" --version >/dev/null   # class-data archive warm, as in everyday use

now() { date +%s.%N; }
best() { # $1 = command; prints the best wall time of $runs runs, in seconds
  local b="" t0 t1 t
  for _ in $(seq "$runs"); do
    t0=$(now)
    eval "$1" >/dev/null 2>&1 || true   # lockcheck exits 1 (findings) or 2 (unparseable files)
    t1=$(now)
    t=$(awk -v a="$t1" -v b="$t0" 'BEGIN { print a - b }')
    if [ -z "$b" ] || awk -v t="$t" -v b="$b" 'BEGIN { exit !(t < b) }'; then b=$t; fi
  done
  echo "$b"
}

echo "bench: $files files in $tree, $(nproc) processors, JDK $JDK_HOME, best of $runs run(s)"
lc=$(best "'$root/lockcheck' --format json --output /dev/null '$tree'")
po=$(best "'$JDK_HOME/bin/java' -cp '$root/checker/target/bench-classes:$cp' ParseOnly '$tree'")
awk -v n="$files" -v lc="$lc" -v po="$po" 'BEGIN {
  printf "lockcheck (whole process)  %7.1f s  %7.0f files/s\n", lc, n / lc
  printf "parse-only JavaParser      %7.1f s  %7.0f files/s\n", po, n / po
  printf "ratio lockcheck/parse-only %7.2fx   (bar: >= 0.8x)\n", (n / lc) / (n / po)
}'
