#!/usr/bin/env bash
# The whole real-kernel lane, on demand and in CI:  bash scripts/lane/run.sh
#   1. installs the Debian packages it needs (install.sh),
#   2. bundles the CLI (scripts/bundle-cli.ts): the guest runs discforge as it ships,
#      `node discforge.cjs ...`, not TypeScript through a loader,
#   3. makes the fixtures: an ISO for QEMU's scsi-cd, an image to burn, a larger image of random
#      data for the like-for-like burn comparison, five blank DVD+R files,
#      a generated tree and our own images of it (ISO 9660 + Rock Ridge + Joliet; UDF 1.02, 1.50,
#      2.00, 2.01, 2.50, 2.60) for the kernel's isofs and udf,
#   4. starts tgtd on 127.0.0.1 with five DVD+R LUNs (hand-rolled burn, `discforge burn` and
#      growisofs traced, `discforge burn` and growisofs timed like for like),
#   5. boots one guest that runs guest-steps.sh (contract suite, checks, mounts, info, burns,
#      benchmark),
#   6. stops tgtd, compares each tgt backing file with the image byte for byte,
#   7. writes $LANE_DIR/work/results/summary.json and exits 0 only if everything passed.
source "$(dirname "$0")/lib.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
started=$(date +%s)

bash "$HERE/install.sh"
mkdir -p "$LANE_DIR"
# One lane at a time per state folder.
exec 9>"$LANE_DIR/.lock"
flock -w 1200 9 || lane_die "another lane run holds $LANE_DIR/.lock"
[ -d "$LANE_ROOT/node_modules" ] || lane_die "node_modules missing: run pnpm install (or node scripts/setup.mjs) first"

rm -rf "$LANE_WORK"
mkdir -p "$LANE_RESULTS"
cleanup() { bash "$HERE/tgt.sh" stop || true; }
trap cleanup EXIT
trap 'exit 143' TERM INT
bash "$HERE/tgt.sh" stop

# discforge runs in the guest as it ships: one esbuild bundle started by plain node (a TypeScript
# loader costs tens of seconds of start-up under TCG); koffi resolves from /repo.
lane_log "bundling the CLI"
(cd "$LANE_ROOT" && node --import tsx scripts/bundle-cli.ts "$LANE_WORK/discforge" --repo-mount /repo) >/dev/null

lane_log "making fixtures"
FIX="$LANE_DIR/fixtures"
rm -rf "$FIX"
mkdir -p "$FIX/disc/docs" "$FIX/burn"
head -c $((24 * 1024 * 1024 + 12345)) /dev/urandom > "$FIX/disc/random.bin"
cp "$LANE_ROOT/README.md" "$FIX/disc/docs/readme.txt"
head -c $((6 * 1024 * 1024 + 777)) /dev/urandom > "$FIX/burn/payload.bin"
date -u +%FT%TZ > "$FIX/burn/stamp.txt"
xorriso -as mkisofs -quiet -r -J -V LANE_DISC -o "$LANE_WORK/disc.iso" "$FIX/disc" 2>/dev/null
xorriso -as mkisofs -quiet -r -J -V LANE_BURN -o "$LANE_WORK/burn.iso" "$FIX/burn" 2>/dev/null
# The like-for-like comparison burns tens of MB of incompressible data, enough that the write
# phase, not start-up, decides the time in the TCG guest.
mkdir -p "$FIX/compare"
head -c $(( ${DISCFORGE_LANE_COMPARE_MIB:-56} * 1024 * 1024 + 4321)) /dev/urandom > "$FIX/compare/random.bin"
date -u +%FT%TZ > "$FIX/compare/stamp.txt"
xorriso -as mkisofs -quiet -r -J -V LANE_COMPARE -o "$LANE_WORK/compare.iso" "$FIX/compare" 2>/dev/null
rm -rf "$FIX"
bash "$HERE/fs-fixtures.sh" "$LANE_WORK/fstree" "$LANE_WORK/fs"
DVDR="$LANE_DIR/dvdr.img"
DVDR_OURS="$LANE_DIR/dvdr-discforge.img"
DVDR_GROWISOFS="$LANE_DIR/dvdr-growisofs.img"
DVDR_CMP_OURS="$LANE_DIR/dvdr-compare-discforge.img"
DVDR_CMP_GROWISOFS="$LANE_DIR/dvdr-compare-growisofs.img"
for f in "$DVDR" "$DVDR_OURS" "$DVDR_GROWISOFS" "$DVDR_CMP_OURS" "$DVDR_CMP_GROWISOFS"; do rm -f "$f"; : > "$f"; done

mapfile -t URLS < <(bash "$HERE/tgt.sh" start "$DVDR" "$DVDR_OURS" "$DVDR_GROWISOFS" "$DVDR_CMP_OURS" "$DVDR_CMP_GROWISOFS")
lane_log "tgt LUNs at ${URLS[*]}"
{
  # Lane settings (DISCFORGE_LANE_*) travel to the guest.
  env | grep -E '^DISCFORGE_LANE_[A-Z_]+=' | sed -E "s/^([A-Z_]+)=(.*)$/export \1='\2'/" || true
  echo 'exec bash /repo/scripts/lane/guest-steps.sh'
} > "$LANE_WORK/guest-command.sh"
bash "$HERE/boot.sh" "$LANE_WORK/disc.iso" "${URLS[@]}"
bash "$HERE/tgt.sh" stop

guest_exit="$(cat "$LANE_WORK/guest.exit")"
img_size=$(stat -c %s "$LANE_WORK/burn.iso")
bak_size=$(stat -c %s "$DVDR")
if [ "$bak_size" -ge "$img_size" ] && cmp -s -n "$img_size" "$DVDR" "$LANE_WORK/burn.iso"; then identical=true; else identical=false; fi
tail_zero=true
if [ "$bak_size" -gt "$img_size" ]; then
  # Anything tgt appended past the image must be padding, never data.
  tail -c +$((img_size + 1)) "$DVDR" | tr -d '\0' | head -c 1 | grep -q . && tail_zero=false
fi
# The same image burned by `discforge burn` and by growisofs, each onto its own blank LUN.
compare_backing() {
  local file="$1" image="${2:-$LANE_WORK/burn.iso}" size same=false zero=true isize
  size=$(stat -c %s "$file")
  isize=$(stat -c %s "$image")
  if [ "$size" -ge "$isize" ] && cmp -s -n "$isize" "$file" "$image"; then same=true; fi
  if [ "$size" -gt "$isize" ] && tail -c +$((isize + 1)) "$file" | tr -d '\0' | head -c 1 | grep -q .; then zero=false; fi
  printf '{ "backingFileBytes": %s, "identical": %s, "paddingIsZero": %s, "backingSha256": "%s" }' "$size" "$same" "$zero" "$(sha256sum "$file" | cut -d' ' -f1)"
}
if cmp -s "$DVDR_OURS" "$DVDR_GROWISOFS"; then ours_eq_growisofs=true; else ours_eq_growisofs=false; fi
if cmp -s "$DVDR_CMP_OURS" "$DVDR_CMP_GROWISOFS"; then cmp_eq=true; else cmp_eq=false; fi
# The guest's side-by-side figures (times, MB/s, opcode counts) go into the summary too.
cmp_figures="$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); process.stdout.write(JSON.stringify({ runs: r.runs, opcodeTable: r.opcodeTable }));' "$LANE_RESULTS/burn-compare.json" 2>/dev/null || echo null)"
seconds=$(( $(date +%s) - started ))
cat > "$LANE_RESULTS/summary.json" <<JSON
{
  "guestExit": $guest_exit,
  "burn": { "imageBytes": $img_size, "backingFileBytes": $bak_size, "identical": $identical, "paddingIsZero": $tail_zero,
            "imageSha256": "$(sha256sum "$LANE_WORK/burn.iso" | cut -d' ' -f1)", "backingSha256": "$(sha256sum "$DVDR" | cut -d' ' -f1)" },
  "burnDiscforge": $(compare_backing "$DVDR_OURS"),
  "burnGrowisofs": $(compare_backing "$DVDR_GROWISOFS"),
  "discforgeEqualsGrowisofs": $ours_eq_growisofs,
  "compareBurn": { "imageBytes": $(stat -c %s "$LANE_WORK/compare.iso"), "imageSha256": "$(sha256sum "$LANE_WORK/compare.iso" | cut -d' ' -f1)",
                   "discforge": $(compare_backing "$DVDR_CMP_OURS" "$LANE_WORK/compare.iso"),
                   "growisofs": $(compare_backing "$DVDR_CMP_GROWISOFS" "$LANE_WORK/compare.iso"),
                   "discforgeEqualsGrowisofs": $cmp_eq,
                   "figures": $cmp_figures },
  "seconds": $seconds
}
JSON
echo "----- guest log" >&2
cat "$LANE_WORK/guest.log" >&2
echo "----- summary" >&2
cat "$LANE_RESULTS/summary.json" >&2
[ "$guest_exit" -eq 0 ] || lane_die "guest steps failed (exit $guest_exit); see $LANE_WORK/guest.log"
(cd "$LANE_ROOT" && node --import tsx scripts/lane/verdict.ts "$LANE_RESULTS") >&2 || lane_die "lane verdict: failures above"
[ "$identical" = true ] && [ "$tail_zero" = true ] || lane_die "tgt backing file differs from the burned image"
[ "$ours_eq_growisofs" = true ] || lane_die "the discforge burn and the growisofs burn of the same image left different backing files"
[ "$cmp_eq" = true ] || lane_die "the timed discforge and growisofs burns of the comparison image left different backing files"
lane_log "lane passed in ${seconds}s"
