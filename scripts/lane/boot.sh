#!/usr/bin/env bash
# Boots the lane guest once (QEMU, software emulation only) and waits for it to power off.
#   boot.sh ISO ISCSI_URL...
# The guest runs $LANE_WORK/guest-command.sh; its output lands in $LANE_WORK/guest.log and its
# exit code in $LANE_WORK/guest.exit. Devices on one virtio-scsi bus:
#   scsi-id 0: QEMU's scsi-cd (read-only MMC) backed by ISO
#   scsi-id 1, 2, ...: scsi-block on each tgt iSCSI LUN (a real MMC target passed through)
source "$(dirname "$0")/lib.sh"

ISO="${1:?iso}"
shift
[ "$#" -gt 0 ] || lane_die "boot.sh: no iSCSI URL"
luns=()
id=0
for url in "$@"; do
  id=$((id + 1))
  luns+=(-drive "if=none,id=dvdr$id,file=$url,format=raw,cache=none" -device "scsi-block,bus=scsi0.0,drive=dvdr$id,scsi-id=$id,lun=0")
done
KVER="$(lane_kernel_version)"
INITRD="$(bash "$(dirname "$0")/initramfs.sh")"
TIMEOUT_S="${LANE_BOOT_TIMEOUT_S:-600}"
command -v qemu-system-x86_64 >/dev/null || lane_die "qemu-system-x86_64 not installed (Debian package qemu-system-x86)"

rm -f "$LANE_WORK/guest.exit" "$LANE_WORK/guest.log" "$LANE_WORK/console.log"
lane_log "booting guest (kernel $KVER, TCG)"
start=$(date +%s)
set +e
timeout --kill-after=10 "$TIMEOUT_S" qemu-system-x86_64 \
  -accel tcg,thread=multi -cpu max -smp 2 -m 2048 \
  -nodefaults -display none -no-reboot \
  -kernel "/boot/vmlinuz-$KVER" -initrd "$INITRD" \
  -append "console=ttyS0 panic=-1 loglevel=4 log_buf_len=16M lane.devices=$((id + 1))" \
  -serial "file:$LANE_WORK/console.log" \
  -virtfs local,path=/usr,mount_tag=usr,security_model=none,readonly=on,multidevs=remap \
  -virtfs local,path=/etc,mount_tag=etc,security_model=none,readonly=on,multidevs=remap \
  -virtfs "local,path=$LANE_ROOT,mount_tag=repo,security_model=none,readonly=on,multidevs=remap" \
  -virtfs "local,path=$LANE_WORK,mount_tag=work,security_model=none,multidevs=remap" \
  -device virtio-scsi-pci,id=scsi0 \
  -drive "if=none,id=cd0,file=$ISO,format=raw,readonly=on,media=cdrom" \
  -device scsi-cd,bus=scsi0.0,drive=cd0,scsi-id=0,lun=0 \
  "${luns[@]}" \
  > "$LANE_DIR/qemu.log" 2>&1
rc=$?
set -e
lane_log "guest stopped after $(( $(date +%s) - start ))s (qemu exit $rc)"
if [ "$rc" -ne 0 ]; then
  tail -20 "$LANE_DIR/qemu.log" >&2 || true
  tail -30 "$LANE_WORK/console.log" >&2 || true
  lane_die "qemu exited with $rc (124 = timed out after ${TIMEOUT_S}s)"
fi
[ -f "$LANE_WORK/guest.exit" ] || { tail -30 "$LANE_WORK/console.log" >&2; lane_die "guest did not record an exit code"; }
