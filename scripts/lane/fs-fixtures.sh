#!/usr/bin/env bash
# Makes the tree the kernel's isofs and udf must see through our images, and the images:
#   fs-fixtures.sh TREE OUT_DIR
# TREE: Unicode names, a directory 10 levels deep (ISO 9660 allows 8), a relative symlink, an
# empty file, a few MB of random data. OUT_DIR: rr-joliet.iso (ISO 9660 + Rock Ridge + Joliet)
# and udf-<revision>.iso for every revision (1.02, 1.50, 2.00, 2.01, 2.50, 2.60) (UDF bridged with ISO 9660), built by
# `discforge mkiso` (the bundled CLI).
source "$(dirname "$0")/lib.sh"
TREE="${1:?tree}"
OUT="${2:?out dir}"
rm -rf "$TREE" "$OUT"
mkdir -p "$TREE" "$OUT"
mkdir -p "$TREE/Ünïcødé ñames/日本語" "$TREE/docs" "$TREE/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10"
printf 'grüße\n' > "$TREE/Ünïcødé ñames/straße.txt"
printf 'こんにちは\n' > "$TREE/Ünïcødé ñames/日本語/ファイル.txt"
printf 'Ωmega ✓\n' > "$TREE/Ünïcødé ñames/Ωmega ✓.txt"
printf 'ten levels down\n' > "$TREE/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/deep.txt"
cp "$LANE_ROOT/README.md" "$TREE/docs/readme.txt"
: > "$TREE/empty.dat"
head -c $((3 * 1024 * 1024 + 4321)) /dev/urandom > "$TREE/random.bin"
ln -s docs/readme.txt "$TREE/readme-link"
ln -s ../../d1/d2 "$TREE/Ünïcødé ñames/日本語/up-link"
cd "$LANE_ROOT"
# The bundled CLI (run.sh makes it before the fixtures). Its koffi link points into the guest's /repo;
# mkiso needs koffi only for read-ahead of files waiting on the disk, and without it reads them as before.
CLI="$LANE_WORK/discforge/discforge.cjs"
[ -f "$CLI" ] || lane_die "$CLI missing: run.sh bundles the CLI (scripts/bundle-cli.ts) first"
mkiso() { node "$CLI" mkiso "$TREE" --quiet -V LANE_FS "$@" || lane_die "discforge mkiso $* failed"; }
mkiso -o "$OUT/rr-joliet.iso"
for r in 1.02 1.50 2.00 2.01 2.50 2.60; do mkiso --udf "$r" -o "$OUT/udf-$r.iso"; done
