# Shared settings for the real-kernel lane scripts (sourced, not run).
# The lane's state lives in $LANE_DIR (git-ignored); nothing outside it is written.
set -euo pipefail

LANE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LANE_DIR="${LANE_DIR:-$LANE_ROOT/.lane}"
LANE_WORK="$LANE_DIR/work"          # shared read-write with the guest over 9p
LANE_RESULTS="$LANE_WORK/results"   # what the guest reports
LANE_IQN="${LANE_IQN:-iqn.2026-11.dev.discforge:lane}"
LANE_ISCSI_HOST=127.0.0.1
# The bundled CLI's compile cache (packages/cli/src/compile-cache.ts): in the work folder, emptied every run.
export DISCFORGE_COMPILE_CACHE="$LANE_WORK/compile-cache"

lane_log() { printf '[lane %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
lane_die() { printf '[lane] FAILED: %s\n' "$*" >&2; exit 1; }

# The Debian kernel the guest boots: the newest /boot/vmlinuz-* with modules installed.
lane_kernel_version() {
  local v best=""
  for f in /boot/vmlinuz-*; do
    [ -e "$f" ] || continue
    v="${f#/boot/vmlinuz-}"
    [ -d "/lib/modules/$v" ] && best="$v"
  done
  [ -n "$best" ] || lane_die "no /boot/vmlinuz-* with /lib/modules (install linux-image-amd64: bash scripts/lane/install.sh)"
  printf '%s\n' "$best"
}
