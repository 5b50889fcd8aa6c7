/**
 * Issues 6 and 7 in the lane guest: the kernel's own isofs and udf drivers mount the images our
 * builder made on the host (scripts/lane/fs-fixtures.sh) and must see the source tree: every
 * name, type, size, sha256 and symlink target. Rock Ridge, Joliet (norock) and UDF 1.02, 1.50,
 * 2.00, 2.01, 2.50, 2.60. Results: $DISCFORGE_LANE_RESULTS/fs.json.
 *
 *   node --import tsx packages/transport-linux/test/lane/guest-fs.ts
 */
import { createHash } from "node:crypto";
import { execFileSync, spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { assert, checkList } from "./guest-lib.js";
import { UDF_REVISIONS } from "./results.js";

const TREE = process.env["DISCFORGE_LANE_FS_TREE"] ?? "/work/fstree";
const IMAGES = process.env["DISCFORGE_LANE_FS_IMAGES"] ?? "/work/fs";
const MOUNT = "/mnt/lane-fs";

interface Entry {
  readonly type: "file" | "dir" | "symlink" | "other";
  readonly size?: number;
  readonly sha256?: string;
  readonly target?: string;
}

function walk(root: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const visit = (rel: string): void => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = join(rel, name);
      const st = lstatSync(join(root, path));
      if (st.isSymbolicLink()) out.set(path, { type: "symlink", target: readlinkSync(join(root, path)) });
      else if (st.isDirectory()) {
        out.set(path, { type: "dir" });
        visit(path);
      } else if (st.isFile()) out.set(path, { type: "file", size: st.size, sha256: createHash("sha256").update(readFileSync(join(root, path))).digest("hex") });
      else out.set(path, { type: "other" });
    }
  };
  visit("");
  return out;
}

/** Differences between the source tree and what the kernel shows; `withoutSymlinks` for Joliet, which has none. */
function differences(source: Map<string, Entry>, seen: Map<string, Entry>, withoutSymlinks: boolean): string[] {
  const diffs: string[] = [];
  for (const [path, want] of source) {
    if (withoutSymlinks && want.type === "symlink") continue;
    const got = seen.get(path);
    if (!got) diffs.push(`missing ${path}`);
    else if (JSON.stringify(got) !== JSON.stringify(want)) diffs.push(`${path}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }
  for (const path of seen.keys()) if (!source.has(path)) diffs.push(`unexpected ${path} (${seen.get(path)?.type})`);
  return diffs;
}

async function main(): Promise<void> {
  const list = checkList();
  const source = walk(TREE);
  mkdirSync(MOUNT, { recursive: true });
  for (const m of ["loop", "isofs", "udf", "nls_utf8"]) spawnSync("modprobe", [m], { stdio: "inherit" });

  const mounts: { name: string; image: string; type: string; options: string; withoutSymlinks: boolean; udfRevision?: string }[] = [
    { name: "ISO 9660 + Rock Ridge", image: "rr-joliet.iso", type: "iso9660", options: "loop,ro", withoutSymlinks: false },
    { name: "Joliet (norock)", image: "rr-joliet.iso", type: "iso9660", options: "loop,ro,norock,iocharset=utf8", withoutSymlinks: true },
    ...UDF_REVISIONS.map((r) => ({ name: `UDF ${r}`, image: `udf-${r}.iso`, type: "udf", options: "loop,ro,iocharset=utf8", withoutSymlinks: false, udfRevision: r })),
  ];
  for (const m of mounts) {
    await list.check(`kernel ${m.type} (${m.name}) mounts our ${m.image} and sees the source tree: names, sizes, sha256, symlink targets`, (f) => {
      const image = join(IMAGES, m.image);
      f["mount"] = `mount -t ${m.type} -o ${m.options} ${image} ${MOUNT}`;
      if (m.udfRevision) {
        // udftools' reading of the revision the image was written to, as a second opinion.
        const info = spawnSync("udfinfo", [image], { encoding: "utf8" });
        const rev = /^udfwriterev=(\S+)/m.exec(info.stdout)?.[1];
        f["udfinfoWriteRevision"] = rev ?? info.stderr.trim();
        f["udfinfoMinimumReadRevision"] = /^udfrev=(\S+)/m.exec(info.stdout)?.[1];
        assert(rev === m.udfRevision, `udfinfo says write revision ${rev}, expected ${m.udfRevision}`);
      }
      const mounted = spawnSync("mount", ["-t", m.type, "-o", m.options, image, MOUNT], { encoding: "utf8" });
      if (mounted.status !== 0) {
        const kernel = spawnSync("dmesg", [], { encoding: "utf8" }).stdout.split("\n").slice(-5).join("\n");
        throw new Error(`mount exit ${mounted.status}: ${mounted.stderr.trim()}\nkernel: ${kernel}`);
      }
      try {
        const seen = walk(MOUNT);
        f["entries"] = seen.size;
        f["sourceEntries"] = source.size;
        f["symlinks"] = [...seen].filter(([, e]) => e.type === "symlink").map(([p, e]) => `${p} -> ${e.target}`);
        // Rock Ridge: the relocation directory for the deep tree stays visible (like genisoimage
        // -hide-rr-moved); the kernel hides the relocated entries themselves, so it must be empty.
        const moved = [...seen.keys()].filter((p) => /^\.?rr_moved(\/|$)/.test(p));
        f["relocationDirectory"] = moved;
        for (const p of moved) if (!source.has(p)) seen.delete(p);
        if (m.type === "iso9660" && !m.withoutSymlinks) assert(moved.length <= 1, `relocation directory not empty: ${moved.join(", ")}`);
        const diffs = differences(source, seen, m.withoutSymlinks);
        f["differences"] = diffs;
        assert(diffs.length === 0, `${diffs.length} differences: ${diffs.slice(0, 5).join("; ")}`);
      } finally {
        execFileSync("umount", [MOUNT]);
      }
    });
  }
  const failed = list.save("fs.json", { tree: Object.fromEntries(source) });
  console.log(`guest file-system checks: ${list.checks.length - failed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
