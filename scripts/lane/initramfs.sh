#!/usr/bin/env bash
# Builds the lane's initramfs: static busybox, the virtio + 9p modules needed to reach the host's
# /usr, the file systems and loop device the mount checks need (isofs, udf, loop, nls_utf8 and
# what they depend on, e.g. crc-itu-t), and guest-init.sh as /init.
# Output: $LANE_DIR/initramfs-<kver>.cpio.gz (rebuilt when an input is newer).
source "$(dirname "$0")/lib.sh"

KVER="$(lane_kernel_version)"
OUT="$LANE_DIR/initramfs-$KVER.cpio.gz"
INIT="$(dirname "$0")/guest-init.sh"
if [ -f "$OUT" ] && [ "$OUT" -nt "$INIT" ] && [ "$OUT" -nt "$0" ]; then printf '%s\n' "$OUT"; exit 0; fi

BUSYBOX=""
for b in /usr/bin/busybox /bin/busybox; do [ -x "$b" ] && BUSYBOX="$b" && break; done
[ -n "$BUSYBOX" ] || lane_die "no busybox (install busybox-static)"
file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' || ldd "$BUSYBOX" 2>&1 | grep -q 'not a dynamic' \
  || lane_die "$BUSYBOX is not static (install busybox-static)"

STAGE="$LANE_DIR/initramfs-stage"
rm -rf "$STAGE"
mkdir -p "$STAGE/.bb" "$STAGE/modules" "$STAGE"/{proc,sys,dev,usr,etc,repo,work,tmp,run}
cp "$BUSYBOX" "$STAGE/.bb/busybox"
for applet in $("$STAGE/.bb/busybox" --list); do [ "$applet" = busybox ] || ln -sf busybox "$STAGE/.bb/$applet"; done
cp "$INIT" "$STAGE/init"
chmod 755 "$STAGE/init"

: > "$STAGE/modules.order"
for m in virtio_pci 9pnet_virtio 9p isofs udf loop nls_utf8; do
  modprobe -S "$KVER" --show-depends "$m" | while read -r verb path _; do
    [ "$verb" = insmod ] || continue
    name="$(basename "$path")"
    grep -qx "$name" "$STAGE/modules.order" && continue
    case "$path" in
      *.ko) cp "$path" "$STAGE/modules/$name" ;;
      *.ko.xz) xz -dc "$path" > "$STAGE/modules/${name%.xz}"; name="${name%.xz}" ;;
      *.ko.zst) zstd -qdc "$path" > "$STAGE/modules/${name%.zst}"; name="${name%.zst}" ;;
      *) lane_die "unexpected module file $path" ;;
    esac
    echo "$name" >> "$STAGE/modules.order"
  done
done
(cd "$STAGE" && find . | cpio -o -H newc --quiet | gzip -1) > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
rm -rf "$STAGE"
printf '%s\n' "$OUT"
