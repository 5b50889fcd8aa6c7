#!/usr/bin/env bash
# Installs the Debian packages the lane needs (as root), skipping those already present.
source "$(dirname "$0")/lib.sh"

PACKAGES=(qemu-system-x86 qemu-block-extra tgt busybox-static linux-image-amd64 kmod sg3-utils xorriso cpio growisofs)
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -eq 0 ]; then exit 0; fi
[ "$(id -u)" -eq 0 ] || lane_die "missing Debian packages ${missing[*]} and not root: install them with apt-get"
lane_log "apt-get install ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
