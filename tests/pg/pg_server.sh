#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (HISTORY.md, "A throwaway PostgreSQL in CI, as
# root, without systemd"): a cluster in a fresh folder under /tmp owned by the user that runs it
# (`postgres` when this script runs as root: initdb refuses root), listening on a free port of
# 127.0.0.1 and on a Unix socket in that folder only, trust authentication for everyone except
# the members of the role wslcuda_password_auth, who must give a SCRAM password over TCP (the
# credential tests). Nothing else on the machine is touched.
#
# Usage: pg_server.sh start STATE_DIR     start a server; STATE_DIR/server.env says how to reach
#                                         it (WSLCUDA_TEST_POSTGRES, a superuser URI), exit 0;
#                                         or, where no server can be started here (no PostgreSQL
#                                         package; root without a postgres user), says why in
#                                         WSLCUDA_TEST_POSTGRES_SKIP and exits 77 (CTest's skip)
#        pg_server.sh stop STATE_DIR      stop it and remove its folder (no-op when stopped)
#        pg_server.sh kill STATE_DIR      SIGKILL the server and all its processes (fault tests)
#        pg_server.sh restart STATE_DIR   start the same cluster again on the same port
#
# Every exit path stops the server: `stop` (a CTest cleanup fixture), a failed start (a trap),
# and a watcher started with it that stops it when the process that asked for it ends (CTest
# interrupted by Ctrl-C never runs its cleanup fixture): the parent process, or
# WSLCUDA_PG_OWNER_PID.
# Environment: WSLCUDA_PG_BIN, the folder of initdb and pg_ctl (default: the newest
# /usr/lib/postgresql/*/bin, Debian's layout); WSLCUDA_PG_DURABLE=1 keeps PostgreSQL's fsync
# and full-page writes (benchmarks: a real server's costs), which the tests turn off.
set -euo pipefail

usage() { echo "usage: $0 start|stop|kill|restart STATE_DIR" >&2; exit 2; }
(($# == 2)) || [[ ${1:-} == stop-cluster && $# == 3 ]] || usage
action=$1
state_dir=$2
state=$state_dir/server.env

# Runs a server program as the cluster's owner.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Reads STATE_DIR/server.env (PGBIN, PGTMP, PGPORT, WATCHER_PID) when there is one.
load_state() {
  [[ -f $state ]] || return 1
  # shellcheck disable=SC1090
  source "$state"
  [[ -n ${PGTMP:-} ]]
}

# Stops the cluster in folder $1 (pg_ctl's fast shutdown, then SIGKILL if it did not stop) and
# removes the folder. Also what the watcher runs.
stop_cluster() {
  local tmp=$1 bin=$2
  if [[ -f $tmp/data/postmaster.pid ]]; then
    as_owner "$bin/pg_ctl" -D "$tmp/data" -m fast -w -t 20 stop >/dev/null 2>&1 || kill_cluster "$tmp"
  fi
  rm -rf "$tmp"
}

# SIGKILL to the postmaster of the cluster in folder $1 and to every process it started.
kill_cluster() {
  local tmp=$1 pid
  [[ -f $tmp/data/postmaster.pid ]] || return 0
  pid=$(head -n 1 "$tmp/data/postmaster.pid")
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  # Only a live postgres: after a crash the PID in the file may belong to another process.
  [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == */postgres ]] || return 0
  local children
  children=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
  kill -KILL "$pid" 2>/dev/null || true
  for child in $children; do kill -KILL "$child" 2>/dev/null || true; done
  # Until every one is gone (reaped, not a zombie): a restart refuses to start while the PID in
  # postmaster.pid still exists. Bounded: 10 s.
  local waited
  for waited in $(seq 200); do
    local alive=0
    for p in "$pid" $children; do [[ -e /proc/$p ]] && alive=1; done
    ((alive)) || return 0
    sleep 0.05
  done
  echo "kill: processes of $tmp still there after 10 s" >&2
  return 1
}

# Starts the cluster of $PGTMP on $PGPORT; 0 when it runs.
pg_start() {
  local speed="-c fsync=off -c full_page_writes=off"
  [[ ${WSLCUDA_PG_DURABLE:-0} == 1 ]] && speed=""
  as_owner "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/pg.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGTMP $speed -c max_connections=200" \
    start >/dev/null
}

write_skip() {
  mkdir -p "$state_dir"
  printf 'WSLCUDA_TEST_POSTGRES_SKIP=%q\n' "$1" >"$state"
  echo "SKIPPED: no PostgreSQL test server: $1"
  exit 77
}

start() {
  if load_state; then stop_cluster "$PGTMP" "$PGBIN"; fi  # left by an interrupted run
  rm -f "$state"
  PGBIN=${WSLCUDA_PG_BIN:-}
  if [[ -z $PGBIN ]]; then
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  if [[ -z $PGBIN || ! -x $PGBIN/initdb || ! -x $PGBIN/pg_ctl ]]; then
    write_skip "no PostgreSQL server programs (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or WSLCUDA_PG_BIN: install postgresql-15 (ci/bootstrap.sh does)"
  fi
  if [[ $(id -u) -eq 0 ]] && ! getent passwd postgres >/dev/null; then
    write_skip "running as root and there is no postgres user to own the cluster (initdb refuses root)"
  fi
  mkdir -p "$state_dir"
  PGTMP=$(mktemp -d /tmp/wslcuda-pg.XXXXXX)
  trap 'stop_cluster "$PGTMP" "$PGBIN"' EXIT
  if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$PGTMP"; fi
  as_owner "$PGBIN/initdb" -D "$PGTMP/data" -A trust -U postgres -E UTF8 --locale=C --no-sync \
    >"$PGTMP/initdb.log" 2>&1 || { cat "$PGTMP/initdb.log" >&2; exit 1; }
  as_owner tee "$PGTMP/data/pg_hba.conf" >/dev/null <<'EOF'
# wslcuda's test cluster: trust, except a SCRAM password over TCP for the credential tests.
local all all                          trust
host  all +wslcuda_password_auth 127.0.0.1/32 scram-sha-256
host  all all                    127.0.0.1/32 trust
EOF
  # A free port (the kernel's choice), tried again if another process takes it first.
  local tries
  for tries in 1 2 3; do
    PGPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if pg_start; then break; fi
    if ((tries == 3)); then cat "$PGTMP/pg.log" >&2; exit 1; fi
  done
  "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE wslcuda_password_auth NOLOGIN" >/dev/null
  # The watcher: stops this cluster when the process that started it ends (its own session, its
  # output away from CTest's pipes, so that CTest does not wait for it).
  local owner=${WSLCUDA_PG_OWNER_PID:-$PPID}
  setsid bash -c 'tail --pid="$1" -s 0.5 -f /dev/null; "$2" stop-cluster "$3" "$4"' \
    watcher "$owner" "$(realpath "$0")" "$PGTMP" "$PGBIN" </dev/null >/dev/null 2>&1 &
  local watcher=$!
  {
    printf 'PGBIN=%q\nPGTMP=%q\nPGPORT=%q\nWATCHER_PID=%q\n' "$PGBIN" "$PGTMP" "$PGPORT" "$watcher"
    printf 'WSLCUDA_TEST_POSTGRES=%q\n' "postgresql://postgres@127.0.0.1:$PGPORT/postgres"
  } >"$state"
  trap - EXIT
  echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') test server on 127.0.0.1:$PGPORT and $PGTMP (state: $state)"
}

stop() {
  load_state || { echo "no test server recorded in $state_dir"; return 0; }
  stop_cluster "$PGTMP" "$PGBIN"
  if [[ -n ${WATCHER_PID:-} ]]; then kill -- "-$WATCHER_PID" 2>/dev/null || true; fi
  rm -f "$state"
  echo "stopped the test server of $state_dir"
}

case $action in
  start) start ;;
  stop) stop ;;
  kill) load_state && kill_cluster "$PGTMP" ;;
  restart) load_state && pg_start ;;
  stop-cluster) stop_cluster "$state_dir" "$3" ;;  # the watcher's: folder and bin, no state file
  *) usage ;;
esac
