#!/usr/bin/env bash
# Runs inside the lane guest (from guest-command.sh): the contract suite against the four
# device nodes, then the guest checks and benchmark. Results go to /work/results.
set -u
cd /repo
export DISCFORGE_LANE_RESULTS=/work/results
mkdir -p "$DISCFORGE_LANE_RESULTS"
echo "guest: kernel $(uname -r), node $(node --version), devices: $(ls /dev/sg* /dev/sr* | tr '\n' ' ')"

nodes=()
for sr in /sys/class/block/sr*; do
  name="$(basename "$sr")"
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

dmesg > "$DISCFORGE_LANE_RESULTS/dmesg.txt" 2>&1 || true
[ "$checks_rc" -eq 0 ]
