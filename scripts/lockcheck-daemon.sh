#!/usr/bin/env bash
# Sourced by ./lockcheck: the launcher's side of the resident checker (checker/docs/daemon.md).
# The daemon (dev.sharedstate.lockcheck.daemon.Daemon) serves one working directory on 127.0.0.1 and
# publishes "PORT TOKEN PID" in a state file under a directory only this user can enter. Every
# function here fails quietly (returns 1) so the launcher falls back to a new JVM: the daemon is an
# optimisation and must never be the reason a run fails.

DAEMON_MAGIC="lockcheck-daemon/1"

# The directory of state files: $LOCKCHECK_DAEMON_DIR, else $XDG_RUNTIME_DIR/lockcheck, else
# ${TMPDIR:-/tmp}/lockcheck-UID. Created 0700; refused (no daemon) unless owned by this user. The
# state files in it are 0600: the token in them is what lets a client in.
daemon_dir() {
  local d
  if [ -n "${LOCKCHECK_DAEMON_DIR:-}" ]; then
    d=$LOCKCHECK_DAEMON_DIR
  elif [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -d "${XDG_RUNTIME_DIR}" ]; then
    d=$XDG_RUNTIME_DIR/lockcheck
  else
    d=${TMPDIR:-/tmp}/lockcheck-${UID:-$(id -u)}
  fi
  if [ ! -d "$d" ]; then
    (umask 077 && mkdir -p "$d") 2>/dev/null || return 1
  fi
  [ -O "$d" ] || return 1
  daemon_directory=$d
}

# Whether this run may use (and start) a daemon: bash 4+, not asked off, not in CI, not for --help
# (a new JVM fits the help to the terminal's width).
daemon_wanted() {
  local a
  case "${LOCKCHECK_DAEMON:-}" in
    0|false|no|off) return 1 ;;
    1|true|yes|on) ;;
    *) [ -z "${CI:-}" ] || return 1 ;;
  esac
  [ "${BASH_VERSINFO[0]:-0}" -ge 4 ] || return 1
  for a in "$@"; do
    case "$a" in
      --no-daemon|-h|--help) return 1 ;;
    esac
  done
  return 0
}

# Sets daemon_state to the state file for this working directory, JDK, jar and JVM options.
daemon_state_file() {
  daemon_dir || return 1
  local sum
  sum=$(printf '%s\n' "$PWD" "${jar:-}" "${JDK_HOME:-}" "${LOCKCHECK_JAVA_OPTS:-}" \
          "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" | cksum) || return 1
  daemon_state=$daemon_directory/${sum// /-}.state
}

# daemon_connect STATE: opens descriptor 3 to the daemon named in STATE and sets daemon_token.
# Returns 1 when there is none; a state file whose process is gone is removed.
daemon_connect() {
  local state=$1 port pid
  [ -f "$state" ] || return 1
  read -r port daemon_token pid <"$state" 2>/dev/null || return 1
  [[ "$port" =~ ^[0-9]+$ && "$pid" =~ ^[0-9]+$ && -n "$daemon_token" ]] || return 1
  if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$state"
    return 1
  fi
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null
}

# daemon_run STATE ARGS...: sends the run to the daemon named in STATE and relays its answer
# (standard error first, then standard output); sets daemon_rc. Returns 1, having printed nothing,
# when there is no daemon or it answers "retry".
daemon_run() {
  local magic rc errlen errtext colour=0
  daemon_connect "$1" || return 1
  shift
  # Colour as a new JVM decides it: both standard input and output are terminals, NO_COLOR unset.
  if [ -t 0 ] && [ -t 1 ] && [ -z "${NO_COLOR+set}" ]; then colour=1; fi
  if ! printf '%s\0' "$DAEMON_MAGIC" "$daemon_token" run "$PWD" "$colour" "$#" "$@" >&3 2>/dev/null \
     || ! IFS=' ' read -r magic rc errlen <&3 \
     || [ "$magic" != "$DAEMON_MAGIC" ] || ! [[ "$rc" =~ ^[0-9]+$ && "$errlen" =~ ^[0-9]+$ ]]; then
    exec 3<&-
    return 1
  fi
  if [ "$errlen" -gt 0 ]; then
    # LC_ALL=C: -N counts bytes, as ERRBYTES does
    LC_ALL=C IFS= read -r -d '' -N "$errlen" errtext <&3
    printf '%s' "$errtext" >&2
  fi
  cat <&3
  exec 3<&-
  daemon_rc=$rc
}

# daemon_start STATE JAR WARMUP_FILE JVM_OPTIONS...: starts a daemon for this directory in the
# background, detached from the terminal, at a lower priority than the run that started it. Its log
# is STATE.log.
daemon_start() {
  local state=$1 jar=$2 warm=$3
  shift 3
  local detach=()
  if command -v setsid >/dev/null 2>&1; then detach=(setsid); fi
  if command -v nice >/dev/null 2>&1; then detach+=(nice -n 5); fi
  (
    trap '' HUP INT
    exec ${detach[@]+"${detach[@]}"} "$JDK_HOME/bin/java" "$@" -cp "$jar" dev.sharedstate.lockcheck.daemon.Daemon \
      --state "$state" --jar "$jar" --warm "$warm" --idle-minutes "${LOCKCHECK_DAEMON_IDLE_MINUTES:-20}" \
      </dev/null >"$state.log" 2>&1
  ) &
  disown 2>/dev/null || true
}

# Asks every daemon of this user (whatever its directory) to stop; prints how many did.
daemon_stop_all() {
  local n=0 state magic
  if ! daemon_dir; then
    echo "lockcheck: no resident checkers (no state directory)"
    return 0
  fi
  for state in "$daemon_directory"/*.state; do
    [ -f "$state" ] || continue
    if daemon_connect "$state"; then
      printf '%s\0' "$DAEMON_MAGIC" "$daemon_token" stop >&3 2>/dev/null
      IFS=' ' read -r -t 5 magic _ <&3 && [ "$magic" = "$DAEMON_MAGIC" ] && n=$((n + 1))
      exec 3<&-
    fi
    rm -f "$state"
  done
  echo "lockcheck: stopped $n resident checker$([ "$n" -eq 1 ] || echo s)"
}
