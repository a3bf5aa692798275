#!/usr/bin/env bash
# lockcheck's fuzzer: N mutants (default 100,000) of the checker's fixtures, the chapters' snippets and
# the exercises' sources through the engine, in-process; prints inputs/s, crashes, hangs and pre-filter
# mismatches, and saves each bad input with its reason under checker/target/fuzz-crashes/.
# Exit code 0 only when nothing was found. Deterministic: the same N and SEED give the same inputs.
#
#   checker/fuzz/fuzz.sh [N] [SEED]      (THREADS=2 TIMEOUT=10 by default: seconds per input)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/find-jdk.sh"
find_jdk
count=${1:-100000}
seed=${2:-1}
threads=${THREADS:-$(nproc)}
timeout=${TIMEOUT:-10}

cd "$root"
echo "fuzz: building the checker and its tests (not timed)..." >&2
log="$(mktemp)"
if ! mvn -q -B -pl checker test-compile dependency:build-classpath -Dmdep.outputFile=target/fuzz.classpath >"$log" 2>&1; then
  cat "$log" >&2; rm -f "$log"; exit 2
fi
rm -f "$log"
cp="checker/target/test-classes:checker/target/classes:$(cat checker/target/fuzz.classpath)"
rm -rf checker/target/fuzz-crashes
exec "$JDK_HOME/bin/java" -cp "$cp" dev.sharedstate.lockcheck.fuzz.Fuzz \
  --count "$count" --seed "$seed" --threads "$threads" --timeout "$timeout" --out checker/target/fuzz-crashes \
  checker/src/test/resources/fixtures chapters exercises
