#!/usr/bin/env bash
# Pastes a chapter's java blocks, in order, into the real `jshell` tool, the way a reader would, and
# prints the session (jshell's prompts and feedback included). Used to check what chapters/README.md
# says a reader sees.   Usage: chapters/jshell-paste.sh N [jshell options, e.g. -q]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../scripts/find-jdk.sh"
find_jdk || exit 2
n="${1:?usage: $0 CHAPTER-NUMBER [jshell options]}"; shift
chapter=$(ls "$here"/0"$n"-*.md 2>/dev/null | head -1)
[ -n "$chapter" ] || { echo "no chapter $n in $here" >&2; exit 2; }
script=$(mktemp); trap 'rm -f "$script"' EXIT
# Every ```java block (lockcheck-fail ones too: a reader pastes them as well; they only declare).
awk '/^```java/ {inside=1; next} /^```/ {if (inside) print ""; inside=0; next} inside {print}' "$chapter" > "$script"
echo "/exit" >> "$script"
"$JDK_HOME/bin/jshell" "$@" < "$script"
