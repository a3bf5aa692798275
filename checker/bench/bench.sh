#!/usr/bin/env bash
# lockcheck's benchmark, issue 6 item 7: in one run over the same tree (the JDK's own sources by
# default), side by side:
#   - lockcheck, whole process, a new JVM per run (./lockcheck --no-daemon --format json --output /dev/null TREE);
#   - a parse-only JavaParser pass (bench/ParseOnly.java: every file parsed at lockcheck's language
#     level with that level's validation, nothing else, on all processors);
#   - PMD 7 running one rule (bench/PmdOneRule.java: category/java/multithreading.xml/
#     AvoidSynchronizedStatement, no analysis cache, all processors), resolved from Maven Central by
#     bench/pmd/pom.xml.
# Prints wall time, files/s and peak RSS for each, and the ratios against the bars
# (lockcheck >= 1.5x PMD, >= 1.2x parse-only). The three are run interleaved, RUNS=N times each; the
# best time of each counts (and the peak RSS of that run).
#
#   checker/bench/bench.sh [DIR_OR_SRC_ZIP]     RUNS=3 for the best of 3; ONLY="lockcheck pmd" to skip one
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/find-jdk.sh"
find_jdk
runs=${RUNS:-1}
only=${ONLY:-lockcheck parse-only pmd}
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
timer=/usr/bin/time
[ -x "$timer" ] || { echo "bench: needs GNU time at /usr/bin/time (apt-get install time) for the peak RSS" >&2; exit 2; }

# Build lockcheck (and its start-up cache), the parse-only program and the PMD runner first; no build is timed.
"$root/lockcheck" --no-daemon --version >/dev/null
cp="$root/checker/target/lockcheck.jar:$(ls "$root"/checker/target/lib/*.jar | paste -sd: -)"
out="$root/checker/target/bench"
mkdir -p "$out/parse-only" "$out/pmd"
"$JDK_HOME/bin/javac" -d "$out/parse-only" -cp "$cp" "$root/checker/bench/ParseOnly.java"
if [[ " $only " == *" pmd "* ]]; then
  if [ ! -s "$out/pmd/classpath.txt" ] || [ "$root/checker/bench/pmd/pom.xml" -nt "$out/pmd/classpath.txt" ]; then
    quiet_mvn -q -B -f "$root/checker/bench/pmd/pom.xml" dependency:build-classpath -Dmdep.outputFile="$out/pmd/classpath.txt"
  fi
  pmdcp=$(cat "$out/pmd/classpath.txt")
  "$JDK_HOME/bin/javac" -d "$out/pmd" -cp "$pmdcp" "$root/checker/bench/PmdOneRule.java"
fi

declare -A cmd=(
  [lockcheck]="'$root/lockcheck' --no-daemon --format json --output /dev/null '$tree'"
  [parse-only]="'$JDK_HOME/bin/java' -cp '$out/parse-only:$cp' ParseOnly '$tree'"
  [pmd]="'$JDK_HOME/bin/java' -cp '$out/pmd:${pmdcp:-}' PmdOneRule '$tree'"
)
declare -A best=() rss=()
echo "bench: $files files in $tree, $(nproc) processors, JDK $JDK_HOME, best of $runs run(s), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$runs"); do
  for what in $only; do
    # lockcheck exits 1 (findings) or 2 (unparseable files): not a failure here
    "$timer" -f '%e %M' -o "$out/time.txt" bash -c "${cmd[$what]}" >"$out/$what.out" 2>&1 || true
    read -r t m < <(tail -1 "$out/time.txt")
    echo "bench:   $what ${t}s, peak RSS $((m / 1024)) MB: $(grep -v '^SLF4J' "$out/$what.out" | tail -1)" >&2
    if [ -z "${best[$what]:-}" ] || awk -v t="$t" -v b="${best[$what]}" 'BEGIN { exit !(t < b) }'; then
      best[$what]=$t
      rss[$what]=$m
    fi
  done
done
echo "bench: load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
for what in $only; do
  awk -v w="$what" -v n="$files" -v t="${best[$what]}" -v m="${rss[$what]}" \
    'BEGIN { printf "%-28s %7.1f s %7.0f files/s   peak RSS %5.0f MB\n", w, t, n / t, m / 1024 }'
done
if [ -n "${best[lockcheck]:-}" ]; then
  for what in parse-only pmd; do
    [ -n "${best[$what]:-}" ] || continue
    bar=$([ "$what" = pmd ] && echo 1.5 || echo 1.2)
    awk -v w="$what" -v a="${best[lockcheck]}" -v b="${best[$what]}" -v bar="$bar" 'BEGIN {
      r = b / a; printf "ratio lockcheck / %-10s %6.2fx   (bar: >= %.1fx: %s)\n", w, r, bar, (r >= bar ? "met" : "NOT met") }'
  done
fi
