/** Shared helpers of the UDF tests: building bridged images and reading them back. */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { FileSystemImage, IsoReader, planImage, writeImageFile, type IsoPlanOptions } from "../../src/index.js";
import { UdfReader, udfIdentifier, type UdfOptions, type UdfRevision } from "../../src/udf/index.js";
import type { Manifest, ManifestEntry } from "../helpers.js";

export const ALL_REVISIONS: readonly UdfRevision[] = ["1.02", "1.50", "2.00", "2.01", "2.50", "2.60"];
export const DATE = new Date("2024-05-06T07:08:09Z");

export async function buildUdfImage(src: string | undefined, out: string, udf: UdfOptions, iso: IsoPlanOptions = {}, fill?: (img: FileSystemImage) => void): Promise<FileSystemImage> {
  const img = new FileSystemImage({ date: DATE });
  if (src) img.addTree(src);
  fill?.(img);
  const plan = planImage(img, { ...iso, udf });
  await writeImageFile(plan, out, { sparse: true });
  return img;
}

/** The manifest a UDF reader should show for a source manifest: names over 255 bytes shortened. */
export function udfManifest(m: Manifest): Manifest {
  const out: Manifest = new Map();
  for (const [path, e] of m) out.set(path.split("/").map((p, i) => (i === 0 ? p : udfIdentifier(p, path))).join("/"), e);
  return out;
}

/** Reads the whole UDF tree with our reader as a manifest (type, size, sha256, target). */
export async function readUdfManifest(image: string): Promise<Manifest> {
  const r = await UdfReader.open(image);
  const out: Manifest = new Map();
  try {
    for await (const [p, e] of r.walk()) {
      if (e.type === "directory") out.set(p, { type: "directory" });
      else if (e.type === "symlink") out.set(p, { type: "symlink", target: e.linkTarget! });
      else {
        const h = createHash("sha256");
        for await (const c of r.read(e)) h.update(c);
        out.set(p, { type: "file", size: e.size, sha256: h.digest("hex") } satisfies ManifestEntry);
      }
    }
  } finally {
    await r.close();
  }
  return out;
}

/** `udfinfo` output as key/value pairs. */
export function parseUdfinfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([a-z]+)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** Paths `udfdump -t` lists (udfclient prints ":Rootdir/PATH" per file). */
export function parseUdfdump(text: string): string[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith(":Rootdir/"))
    .map((l) => l.slice(":Rootdir".length));
}

export async function isoExtents(image: string, path: string): Promise<number[]> {
  const r = await IsoReader.open(image);
  try {
    return (await r.stat(path)).extents.map((e) => e.lba);
  } finally {
    await r.close();
  }
}

export function tmpImage(dir: string, name: string): string {
  return join(dir, name);
}
