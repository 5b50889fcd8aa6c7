#!/usr/bin/env bash
# tgt (iSCSI target) for the lane, on loopback only.
#   tgt.sh start BACKING_FILE...  start tgtd and export each BACKING_FILE as an MMC LUN (LUN 1, 2,
#                                 ...; an empty file is a blank DVD+R); prints one iSCSI URL a line
#   tgt.sh stop                 delete the target and stop tgtd (it ignores SIGTERM)
source "$(dirname "$0")/lib.sh"

PIDFILE="$LANE_DIR/tgtd.pid"
PORTFILE="$LANE_DIR/tgtd.port"
CTLFILE="$LANE_DIR/tgtd.control"

port_in_use() { (exec 3<>"/dev/tcp/$LANE_ISCSI_HOST/$1") 2>/dev/null; }

tgt_adm() { tgtadm -C "$(cat "$CTLFILE")" "$@"; }

start() {
  local backing
  for backing in "$@"; do [ -f "$backing" ] || lane_die "tgt: backing file $backing does not exist"; done
  command -v tgtd >/dev/null || lane_die "tgtd not installed (Debian package tgt)"
  [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null && lane_die "tgt: already running (pid $(cat "$PIDFILE")); run tgt.sh stop"
  local port=3260
  while port_in_use "$port"; do port=$((port + 1)); [ "$port" -lt 3300 ] || lane_die "tgt: no free port in 3260-3299"; done
  # A control port of our own, so a tgtd of the system or of another lane is never touched.
  local ctl=$(( (port - 3260) + 5100 ))
  echo "$ctl" > "$CTLFILE"
  echo "$port" > "$PORTFILE"
  mkdir -p /var/run/tgtd
  tgtd -f -C "$ctl" --iscsi "portal=$LANE_ISCSI_HOST:$port" > "$LANE_DIR/tgtd.log" 2>&1 &
  echo $! > "$PIDFILE"
  local i=0
  until tgt_adm --op show --mode system >/dev/null 2>&1; do
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { cat "$LANE_DIR/tgtd.log" >&2; lane_die "tgt: tgtd exited"; }
    i=$((i + 1)); [ "$i" -lt 100 ] || lane_die "tgt: tgtd did not come up"
    sleep 0.1
  done
  tgt_adm --lld iscsi --op new --mode target --tid 1 -T "$LANE_IQN"
  local lun=0
  for backing in "$@"; do
    lun=$((lun + 1))
    tgt_adm --lld iscsi --op new --mode logicalunit --tid 1 --lun "$lun" --device-type cd --backing-store "$backing"
  done
  tgt_adm --lld iscsi --op bind --mode target --tid 1 -I "$LANE_ISCSI_HOST"
  for lun in $(seq 1 "$#"); do printf 'iscsi://%s:%s/%s/%s\n' "$LANE_ISCSI_HOST" "$port" "$LANE_IQN" "$lun"; done
}

stop() {
  [ -f "$PIDFILE" ] || return 0
  local pid; pid="$(cat "$PIDFILE")"
  if kill -0 "$pid" 2>/dev/null; then
    tgt_adm --lld iscsi --op delete --mode target --tid 1 --force >/dev/null 2>&1 || true
    tgt_adm --op delete --mode system >/dev/null 2>&1 || true
    local i=0
    while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    if kill -0 "$pid" 2>/dev/null; then lane_log "tgt: tgtd $pid still running, sending SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$PIDFILE" "$PORTFILE" "$CTLFILE"
}

case "${1:-}" in
  start) shift; [ "$#" -gt 0 ] || lane_die "tgt.sh start: no backing file"; start "$@" ;;
  stop) stop ;;
  *) echo "usage: tgt.sh start BACKING_FILE... | stop" >&2; exit 2 ;;
esac
