#!/usr/bin/env bash
# Sourced by ./lockcheck, ./learn and .ci/run: sets JDK_HOME to an installed JDK whose feature
# version is at least ${REQUIRED_JDK:-21}, without starting a JVM (it reads each JDK's `release` file).
# Looks at, in order: $JAVA_HOME, the `java` on PATH, then the usual install folders, newest first.
# On failure prints what it looked at and how to fix it, and returns 1.

jdk_feature() { # $1 = a JDK home; prints its feature version (17, 21, 25, ...) or nothing
  local rel="$1/release" v
  [ -f "$rel" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$rel")
  v=${v#1.}
  v=${v%%[.+-]*}
  [[ "$v" =~ ^[0-9]+$ ]] && echo "$v"
}

find_jdk() {
  local need=${REQUIRED_JDK:-21} cand best="" best_v=0 v seen=()
  local path_java
  path_java=$(command -v java 2>/dev/null) && path_java=$(readlink -f "$path_java") && path_java=${path_java%/bin/java}
  # An explicit JAVA_HOME that is new enough wins outright.
  if [ -n "${JAVA_HOME:-}" ] && v=$(jdk_feature "$JAVA_HOME") && [ "$v" -ge "$need" ]; then
    JDK_HOME=$JAVA_HOME; export JDK_HOME; return 0
  fi
  for cand in "$path_java" /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
              "$HOME"/.jdks/* "$HOME"/.asdf/installs/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$cand" ] && [ -d "$cand" ] || continue
    cand=$(readlink -f "$cand")
    case " ${seen[*]} " in *" $cand "*|*" $cand("*) continue ;; esac
    v=$(jdk_feature "$cand") || { seen+=("$cand"); continue; }
    seen+=("$cand($v)")
    if [ "$v" -ge "$need" ] && [ "$v" -gt "$best_v" ]; then best=$cand; best_v=$v; fi
  done
  if [ -n "$best" ]; then JDK_HOME=$best; export JDK_HOME; return 0; fi
  {
    echo "error: this project needs a JDK $need or newer, and none was found."
    echo "  looked at: \$JAVA_HOME (${JAVA_HOME:-unset}), the java on PATH, /usr/lib/jvm, /usr/java, /opt/java, ~/.sdkman, ~/.jdks, ~/.asdf"
    echo "  found:     ${seen[*]:-nothing}"
    echo "  fix:       install one (e.g. 'apt-get install openjdk-21-jdk' or 'sdk install java 25-tem'),"
    echo "             or point JAVA_HOME at it: JAVA_HOME=/path/to/jdk-21 $0 ..."
  } >&2
  return 1
}

# Runs mvn with its output kept in a log that is shown only when the build fails: Maven 3.8's -q
# still writes bare colour resets (ESC[0m) to the terminal, which would litter a script's figures.
quiet_mvn() {
  local log rc=0
  log=$(mktemp)
  mvn "$@" >"$log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    sed 's/\x1b\[[0-9;]*m//g' "$log" >&2
    echo "the build failed: mvn $*" >&2
  fi
  rm -f "$log"
  return "$rc"
}
