/**
 * Independent readers agree with the source tree. Images built by our planner/writer from
 * generated trees are read by xorriso, isoinfo, 7-Zip, bsdtar and pycdlib, each in the namespaces
 * it supports; our reader reads images made by xorriso and genisoimage. Every tool is required:
 * a missing one fails the suite (CI installs them from scripts/system-packages.txt).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileSystemImage, IsoReader, planImage, writeImageFile, type IsoPlanOptions } from "../src/index.js";
import { genDeep, genManySmall, genTiny, genTorture, manifest, removeDir, requirePycdlib, requireTool, run, runBinary, sha256, tempDir, type Manifest, type ManifestEntry } from "./helpers.js";

const TREES = {
  tiny: genTiny,
  torture: genTorture,
  deep: (d: string) => genDeep(d, 12),
  many: (d: string) => genManySmall(d, 1500),
} as const;
type TreeName = keyof typeof TREES;

let work: string;
const src = {} as Record<TreeName, string>;
const iso = {} as Record<TreeName, string>;

async function build(dir: string, out: string, options: IsoPlanOptions = {}): Promise<void> {
  const image = new FileSystemImage();
  image.addTree(dir);
  image.volume.volumeId = "DISCFORGE_TEST";
  await writeImageFile(planImage(image, options), out);
}

/** Our reader's view of one namespace: names, types, sizes, content hashes, link targets. */
async function readerManifest(path: string, namespace: "rockridge" | "joliet" | "iso9660"): Promise<Manifest> {
  const r = await IsoReader.open(path, { namespace });
  const out: Manifest = new Map();
  try {
    for await (const [p, e] of r.walk()) {
      if (e.type === "directory") out.set(p, { type: "directory" });
      else if (e.type === "symlink") out.set(p, { type: "symlink", target: e.linkTarget! });
      else {
        const chunks: Uint8Array[] = [];
        for await (const c of r.read(e)) chunks.push(c);
        out.set(p, { type: "file", size: e.size, sha256: sha256(Buffer.concat(chunks)) });
      }
    }
  } finally {
    await r.close();
  }
  return out;
}

function withoutModes(m: Manifest): Manifest {
  return new Map([...m].map(([k, v]) => [k, { type: v.type, ...(v.size !== undefined ? { size: v.size } : {}), ...(v.sha256 ? { sha256: v.sha256 } : {}), ...(v.target !== undefined ? { target: v.target } : {}) } as ManifestEntry]));
}

function sorted(m: Manifest | Record<string, ManifestEntry>): [string, ManifestEntry][] {
  const entries = m instanceof Map ? [...m] : Object.entries(m);
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Drops the relocation directory that Rock Ridge readers which do not hide it show. */
function withoutRrMoved(m: Record<string, ManifestEntry>): Record<string, ManifestEntry> {
  return Object.fromEntries(Object.entries(m).filter(([k]) => !/^\/\.?rr_moved(\/|$)/.test(k)));
}

/**
 * pycdlib (like genisoimage's own images show) lists relocated directories under the relocation
 * directory instead of following CL; put them back where their placeholder is.
 */
function undoRelocation(m: Record<string, ManifestEntry>): Record<string, ManifestEntry> {
  const out: Record<string, ManifestEntry> = {};
  const placeholders = Object.keys(m).filter((k) => k.split("/").length - 1 === 8);
  for (const [k, v] of Object.entries(m)) {
    const hit = /^\/\.?rr_moved\/([^/]+)(.*)$/.exec(k);
    if (!hit) {
      if (!/^\/\.?rr_moved$/.test(k)) out[k] = v;
      continue;
    }
    const home = placeholders.find((p) => p.endsWith(`/${hit[1]}`));
    out[(home ?? `/?/${hit[1]}`) + hit[2]] = v;
  }
  return out;
}

function pycdlib(image: string, ns: "rr" | "joliet" | "iso"): Record<string, ManifestEntry> {
  const out = run("/usr/bin/python3", [join(import.meta.dirname, "pycdlib-walk.py"), image, ns]).stdout;
  return JSON.parse(out) as Record<string, ManifestEntry>;
}

beforeAll(async () => {
  requireTool("xorriso", "xorriso");
  requireTool("genisoimage", "genisoimage");
  requireTool("isoinfo", "genisoimage");
  requireTool("7zz", "7zip");
  requireTool("bsdtar", "libarchive-tools");
  requirePycdlib();
  work = tempDir("interop");
  for (const name of Object.keys(TREES) as TreeName[]) {
    src[name] = join(work, "src", name);
    mkdirSync(src[name], { recursive: true });
    TREES[name](src[name]);
    iso[name] = join(work, `${name}.iso`);
    await build(src[name], iso[name]);
  }
});

afterAll(() => removeDir(work));

describe.each(Object.keys(TREES) as TreeName[])("tree %s", (name) => {
  it("our reader (Rock Ridge) gives back the source tree", async () => {
    expect(sorted(await readerManifest(iso[name], "rockridge"))).toEqual(sorted(withoutModes(manifest(src[name]))));
  });

  it("xorriso -compare_r finds no difference and osirrox extracts the same tree", () => {
    const cmp = run("xorriso", ["-indev", iso[name], "-compare_r", src[name], "/"]);
    const diffs = (cmp.stdout + cmp.stderr).split("\n").filter((l) => /^[-dlbcps] '/.test(l) && !/st_(a|c|m)time/.test(l));
    expect(diffs).toEqual([]);
    const out = join(work, "x-xorriso", name);
    run("xorriso", ["-osirrox", "on", "-indev", iso[name], "-extract", "/", out]);
    // xorriso shows the (empty) Rock Ridge relocation directory as an ordinary one.
    const got = new Map([...manifest(out, true)].filter(([k]) => k !== "/.rr_moved"));
    expect(sorted(got)).toEqual(sorted(manifest(src[name], true)));
  });

  it("bsdtar (libarchive, Rock Ridge) extracts the same tree", () => {
    const out = join(work, "x-bsdtar", name);
    mkdirSync(out, { recursive: true });
    run("bsdtar", ["-xf", iso[name], "-C", out]);
    const got = manifest(out);
    expect(sorted(got)).toEqual(sorted(withoutModes(manifest(src[name]))));
  });

  it("pycdlib sees the same Rock Ridge tree, and the Joliet and ISO 9660 trees our reader sees", async () => {
    expect(sorted(undoRelocation(pycdlib(iso[name], "rr")))).toEqual(sorted(withoutModes(manifest(src[name]))));
    const joliet = await readerManifest(iso[name], "joliet");
    const pj = pycdlib(iso[name], "joliet");
    // pycdlib keeps the ";1" of Joliet file names.
    expect(sorted(Object.fromEntries(Object.entries(pj).map(([k, v]) => [k.replace(/;1$/, ""), v])))).toEqual(sorted(joliet));
    // In the plain ISO 9660 tree a relocated directory's placeholder is an empty file record;
    // pycdlib shows it as a directory because it carries a CL entry. Compare everything else.
    const placeholder = (k: string): boolean => k.split("/").length - 1 === 8 && k.endsWith("/LEVEL8");
    const plain = new Map([...(await readerManifest(iso[name], "iso9660"))].filter(([k]) => !placeholder(k)));
    const pi = pycdlib(iso[name], "iso");
    expect(sorted(Object.fromEntries(Object.entries(pi).map(([k, v]) => [k.replace(/;1$/, "").replace(/\.$/, ""), v] as const).filter(([k]) => !placeholder(k))))).toEqual(sorted(plain));
  });

  it("7-Zip (Joliet) extracts the files our Joliet tree names, with the source contents", async () => {
    const out = join(work, "x-7z", name);
    run("7zz", ["x", "-y", `-o${out}`, iso[name]]);
    const got = manifest(out);
    const joliet = await readerManifest(iso[name], "joliet");
    expect(sorted(got)).toEqual(sorted(joliet));
    // Names that fit Joliet unchanged must appear unchanged, with the source bytes.
    const source = withoutModes(manifest(src[name]));
    let same = 0;
    for (const [p, e] of source) {
      if (e.type !== "file" || p.split("/").some((c) => c.length > 64 || /[*:;?\\]|[\u{10000}-\u{10FFFF}]/u.test(c))) continue;
      if (name === "torture" && /readme|upper|sub dir/i.test(p)) continue; // case-only collisions get ~N
      expect(got.get(p), p).toEqual(e);
      same++;
    }
    expect(same).toBeGreaterThan(0);
  });

  it("isoinfo lists the Rock Ridge and Joliet names and extracts file contents", async () => {
    const rr = run("isoinfo", ["-R", "-f", "-i", iso[name]]).stdout.split("\n").filter(Boolean);
    const expected = [...manifest(src[name]).keys()];
    expect(rr.filter((p) => !/^\/\.?rr_moved(\/|$)/.test(p)).sort()).toEqual(expected.filter((p) => name !== "deep" || p.split("/").length <= 9).sort());
    // isoinfo prints Joliet names in ISO 8859-1, with "_" for characters outside it.
    const j = runBinary("isoinfo", ["-J", "-f", "-i", iso[name]]).toString("latin1").split("\n").filter(Boolean);
    const jolietNames = [...(await readerManifest(iso[name], "joliet")).keys()].map((p) => [...p].map((c) => (c.codePointAt(0)! > 0xff ? "_" : c)).join(""));
    expect(j.map((p) => p.replace(/;1$/, "")).sort()).toEqual(jolietNames.sort());
    // Contents through isoinfo -x (Rock Ridge path) for a few files.
    const files = [...manifest(src[name])].filter(([p, e]) => e.type === "file" && p.split("/").length <= 4).slice(0, 3);
    for (const [p, e] of files) {
      expect(sha256(runBinary("isoinfo", ["-R", "-i", iso[name], "-x", p])), p).toBe(e.sha256);
    }
  });
});

describe("images made by other tools, read by our reader", () => {
  it.each(Object.keys(TREES) as TreeName[])("xorriso -as mkisofs -R -J image of %s", async (name) => {
    const out = join(work, `${name}-xorriso.iso`);
    run("xorriso", ["-as", "mkisofs", "-quiet", "-R", "-J", "-joliet-long", "-o", out, src[name]]);
    expect(sorted(await readerManifest(out, "rockridge"))).toEqual(sorted(withoutModes(manifest(src[name]))));
    const joliet = await readerManifest(out, "joliet");
    expect(joliet.size).toBeGreaterThan(0);
    expect(sorted(Object.fromEntries(sorted(pycdlib(out, "joliet")).map(([k, v]) => [k.replace(/;1$/, ""), v])))).toEqual(sorted(joliet));
  });

  it.each(Object.keys(TREES) as TreeName[])("genisoimage -R -J image of %s", async (name) => {
    const out = join(work, `${name}-genisoimage.iso`);
    run("genisoimage", ["-quiet", "-R", "-J", "-joliet-long", "-o", out, src[name]], { allowStatus: [] });
    expect(sorted(await readerManifest(out, "rockridge"))).toEqual(sorted(withoutModes(manifest(src[name]))));
  });
});

describe("variants", () => {
  it.each([
    ["level 1, Rock Ridge 1.10", { level: 1, rockRidge: "1.10" }],
    ["level 2, no Joliet", { level: 2, joliet: false }],
    ["ISO 9660:1999, Joliet 103", { level: "1999", joliet: { maxLength: 103 } }],
  ] as const)("%s: xorriso and pycdlib see the torture tree", async (_label, options) => {
    const out = join(work, `torture-${_label.replace(/\W+/g, "-")}.iso`);
    await build(src.torture, out, options);
    const expected = sorted(withoutModes(manifest(src.torture)));
    const x = join(work, `x-${_label.replace(/\W+/g, "-")}`);
    run("xorriso", ["-osirrox", "on", "-indev", out, "-extract", "/", x]);
    expect(sorted(manifest(x))).toEqual(expected);
    expect(sorted(withoutRrMoved(pycdlib(out, "rr")))).toEqual(expected);
    expect(sorted(await readerManifest(out, "rockridge"))).toEqual(expected);
    const plain = await readerManifest(out, "iso9660");
    expect(sorted(Object.fromEntries(Object.entries(pycdlib(out, "iso")).map(([k, v]) => [k.replace(/;1$/, "").replace(/\.$/, ""), v])))).toEqual(sorted(plain));
    if (options.level === 1) for (const p of plain.keys()) expect(p.split("/").pop()).toMatch(/^[A-Z0-9_]{1,8}(\.[A-Z0-9_]{0,3})?$/);
  });
});
