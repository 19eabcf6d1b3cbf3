#!/usr/bin/env bash
# A container engine for the container target on a Debian machine without Docker: Podman serving
# the Docker-compatible API on a unix socket, which testcontainers talks to through DOCKER_HOST.
#
#   scripts/container-engine.sh start   # configure, start the service, print DOCKER_HOST=...
#   scripts/container-engine.sh stop    # stop the service this script started
#
# Both are safe to run twice. Needs root and `apt-get install podman runc` (.ci/run does both).
# Facts measured on the CI machines: crun fails there ("cgroups in hybrid mode not supported"),
# runc works; the sandbox refuses to raise rlimits, so containers get explicit ulimits no higher
# than this shell's hard limits.
set -euo pipefail

SOCKET_PATH="${REPLCHECK_PODMAN_SOCKET:-/run/podman/podman.sock}"
STATE_DIR="${REPLCHECK_PODMAN_STATE:-/run/replcheck-podman}"
PID_FILE="$STATE_DIR/service.pid"
LOG_FILE="$STATE_DIR/service.log"
CONF_FILE="/etc/containers/containers.conf.d/50-replcheck.conf"
URL="unix://$SOCKET_PATH"

log() { echo "container-engine: $*" >&2; }

# min(wanted, this shell's hard limit): a container may not ask for more than the host allows.
limit() {
  local hard="$1" wanted="$2"
  if [ "$hard" = "unlimited" ] || [ "$hard" -gt "$wanted" ]; then echo "$wanted"; else echo "$hard"; fi
}

configure() {
  local nofile nproc
  nofile="$(limit "$(ulimit -Hn)" 16384)"
  nproc="$(limit "$(ulimit -Hu)" 4096)"
  mkdir -p "$(dirname "$CONF_FILE")"
  cat >"$CONF_FILE.tmp" <<EOF
# Written by replcheck's scripts/container-engine.sh.
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
EOF
  mv "$CONF_FILE.tmp" "$CONF_FILE"
}

# The socket answers the Docker API's ping (what testcontainers checks first).
answers() {
  [ -S "$SOCKET_PATH" ] && curl -sf --max-time 2 --unix-socket "$SOCKET_PATH" http://d/_ping >/dev/null 2>&1
}

running_pid() {
  local pid
  [ -f "$PID_FILE" ] || return 1
  pid="$(cat "$PID_FILE")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q podman "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

start() {
  command -v podman >/dev/null || { log "podman is not installed (apt-get install -y podman runc)"; exit 1; }
  command -v runc >/dev/null || { log "runc is not installed (apt-get install -y runc)"; exit 1; }
  command -v curl >/dev/null || { log "curl is not installed (apt-get install -y curl)"; exit 1; }
  configure
  mkdir -p "$STATE_DIR" "$(dirname "$SOCKET_PATH")"
  if running_pid >/dev/null; then
    log "service already running (pid $(cat "$PID_FILE"))"
  elif answers; then
    log "another service already answers on $SOCKET_PATH; using it"
  else
    rm -f "$SOCKET_PATH"
    # setsid: the service gets its own session, so a Ctrl-C aimed at the caller does not stop it.
    setsid podman system service --time=0 "$URL" >"$LOG_FILE" 2>&1 </dev/null &
    echo $! >"$PID_FILE"
    log "started podman system service (pid $!, log $LOG_FILE)"
  fi
  local i
  for i in $(seq 1 100); do
    if answers; then
      echo "DOCKER_HOST=$URL"
      return 0
    fi
    if ! running_pid >/dev/null && [ -f "$PID_FILE" ]; then break; fi
    sleep 0.1
  done
  log "the service does not answer on $SOCKET_PATH; its log:"
  tail -n 20 "$LOG_FILE" >&2 || true
  exit 1
}

stop() {
  local pid i
  if ! pid="$(running_pid)"; then
    log "no service started by this script is running"
    rm -f "$PID_FILE"
    return 0
  fi
  kill -TERM "$pid"
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "service (pid $pid) did not stop after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE" "$SOCKET_PATH"
  log "stopped podman system service (pid $pid)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
