#!/usr/bin/env bash
# Runs inside the lane guest (from guest-command.sh): the contract suite against the four
# device nodes, then the guest checks and benchmark. Results go to /work/results.
set -u
cd /repo
export DISCFORGE_LANE_RESULTS=/work/results
mkdir -p "$DISCFORGE_LANE_RESULTS"
echo "guest: kernel $(uname -r), node $(node --version), devices: $(ls /dev/sg* /dev/sr* | tr '\n' ' ')"
# The bundled CLI goes onto the guest's own file system, as an installed CLI sits on a local disk:
# read over the uncached 9p share, each of its chunks costs round trips at every start.
if [ -d /work/discforge ]; then
  cp -a /work/discforge /tmp/discforge && export DISCFORGE_LANE_CLI=/tmp/discforge/discforge.cjs
fi
# Its compile cache on the guest's own disk as well (the first run of each command fills it).
export DISCFORGE_COMPILE_CACHE=/tmp/discforge-compile-cache

# Every MMC device of the lane: QEMU's scsi-cd and one per tgt LUN (lane.devices= from boot.sh).
for arg in $(cat /proc/cmdline); do case "$arg" in lane.devices=*) export DISCFORGE_LANE_MMC_DEVICES="${arg#lane.devices=}" ;; esac; done
# The contract suite runs against the scsi-cd and the first tgt LUN; the other LUNs are blanks
# kept for the burn comparisons (guest-burn.ts, scripts/lane/guest-burn-compare.ts).
nodes=()
for name in sr0 sr1; do
  sr="/sys/class/block/$name"
  nodes+=("/dev/$name")
  for sg in "$sr"/device/scsi_generic/sg*; do [ -e "$sg" ] && nodes+=("/dev/$(basename "$sg")"); done
done
# Independent view of what each device returns for a 96-byte INQUIRY (sg3-utils).
for n in "${nodes[@]}"; do echo "guest: sg_raw INQUIRY(96) $n: $(sg_raw -r 96 "$n" 12 00 00 00 60 00 2>&1 | grep -i received)"; done
export DISCFORGE_SG_DEVICES="$(IFS=,; echo "${nodes[*]}")"
echo "guest: contract suite against $DISCFORGE_SG_DEVICES"
start=$(date +%s)
contract_rc=0
[ "${DISCFORGE_LANE_SKIP_CONTRACT:-0}" = 1 ] || node_modules/.bin/vitest run --config packages/transport-linux/test/lane/vitest.guest.config.ts \
  --reporter=default --reporter=json --outputFile.json="$DISCFORGE_LANE_RESULTS/contract.json"
contract_rc=$((contract_rc + $?))
echo "guest: contract suite exit $contract_rc after $(( $(date +%s) - start ))s"
# The host judges contract.json (scripts/lane/verdict.ts): a failure the lane can explain as a
# device deviation is reported, not hidden; anything else fails the lane.
echo "$contract_rc" > "$DISCFORGE_LANE_RESULTS/contract.exit"

start=$(date +%s)
node --import tsx packages/transport-linux/test/lane/guest-checks.ts
checks_rc=$?
echo "guest: checks exit $checks_rc after $(( $(date +%s) - start ))s"

# Our images under the kernel's isofs and udf (issues 6, 7).
start=$(date +%s)
node --import tsx packages/transport-linux/test/lane/guest-fs.ts
fs_rc=$?
echo "guest: file-system checks exit $fs_rc after $(( $(date +%s) - start ))s"

# discforge info against sg3-utils, discforge burn against growisofs (issues 5, 8).
start=$(date +%s)
node --import tsx packages/transport-linux/test/lane/guest-burn.ts
burn_rc=$?
echo "guest: info and burn checks exit $burn_rc after $(( $(date +%s) - start ))s"

# The same larger image burned by discforge and growisofs, timed and traced the same way (issue 8).
start=$(date +%s)
node --import tsx scripts/lane/guest-burn-compare.ts
compare_rc=$?
echo "guest: burn comparison exit $compare_rc after $(( $(date +%s) - start ))s"

dmesg > "$DISCFORGE_LANE_RESULTS/dmesg.txt" 2>&1 || true
[ "$checks_rc" -eq 0 ] && [ "$fs_rc" -eq 0 ] && [ "$burn_rc" -eq 0 ] && [ "$compare_rc" -eq 0 ]
