/**
 * A sparse source file over 4 GiB becomes a multi-extent file (ECMA-119 level 3). The image is
 * written sparse (all-zero chunks skipped) so the test costs little disk; readers check sizes,
 * the section layout, byte ranges around markers at both ends, across the section boundary and
 * across 4 GiB, and (xorriso, 7-Zip, bsdtar) every byte of the file against the source.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileSystemImage, IsoReader, MAX_SECTION, planImage, writeImageFile } from "../src/index.js";
import { genSparse, removeDir, requirePycdlib, requireTool, run, tempDir } from "./helpers.js";

const SIZE = 2 ** 32 + 4219;
const MARKERS: [number, string][] = [
  [0, "start of the big file"],
  [MAX_SECTION - 5, "across the first section end"],
  [2 ** 32 - 3, "across 4 GiB"],
  [SIZE - 12, "end of file!"],
];

let work: string;
let image: string;
let source: string;

beforeAll(async () => {
  requireTool("xorriso", "xorriso");
  requireTool("isoinfo", "genisoimage");
  requireTool("7zz", "7zip");
  requireTool("bsdtar", "libarchive-tools");
  requirePycdlib();
  work = tempDir("large");
  source = join(work, "src");
  run("mkdir", ["-p", source]);
  genSparse(join(source, "big.bin"), SIZE);
  const fd = openSync(join(source, "big.bin"), "r+");
  for (const [off, text] of MARKERS) writeSync(fd, Buffer.from(text), 0, text.length, off);
  closeSync(fd);
  const img = new FileSystemImage();
  img.addTree(source);
  img.addFile("/empty.txt", new Uint8Array(0));
  img.addFile("/small.txt", new TextEncoder().encode("small"));
  image = join(work, "big.iso");
  await writeImageFile(planImage(img, { level: 3 }), image, { sparse: true });
}, 120_000);

afterAll(() => removeDir(work));

describe("a file over 4 GiB", () => {
  it("our reader sees two sections and the exact bytes", async () => {
    const r = await IsoReader.open(image);
    const e = await r.stat("/big.bin");
    expect(e.size).toBe(SIZE);
    expect(e.extents.map((s) => s.length)).toEqual([MAX_SECTION, SIZE - MAX_SECTION]);
    expect(e.extents[1]!.lba).toBe(e.extents[0]!.lba + MAX_SECTION / 2048);
    // Range reads: each marker with 4 KiB of zeros around it, and a zero block in the middle.
    const range = async (start: number, end: number): Promise<Buffer> => {
      const parts: Uint8Array[] = [];
      for await (const c of r.read(e, { start, end })) parts.push(c);
      return Buffer.concat(parts);
    };
    for (const [off, text] of MARKERS) {
      const lo = Math.max(0, off - 4096);
      const hi = Math.min(SIZE, off + text.length + 4096);
      const got = await range(lo, hi);
      const expected = Buffer.alloc(hi - lo);
      for (const [o, t] of MARKERS) if (o + t.length > lo && o < hi) Buffer.from(t).copy(expected, Math.max(0, o - lo), Math.max(0, lo - o));
      expect(got.equals(expected), text).toBe(true);
    }
    expect((await range(2 ** 31, 2 ** 31 + (1 << 20))).every((b) => b === 0)).toBe(true);
    expect(new TextDecoder().decode(await r.readFile("/small.txt"))).toBe("small");
    await r.close();
  }, 120_000);

  // Every byte of both sections, as each reader extracts it, against the source file: xorriso
  // compares by itself; 7-Zip and bsdtar stream the file into cmp (a few seconds each for 4 GiB).
  it("xorriso, 7-Zip and bsdtar read back all 4 GiB + 4219 bytes identical to the source", () => {
    const src = join(source, "big.bin");
    const compared = run("xorriso", ["-indev", image, "-compare", src, "/big.bin"], { allowStatus: [0, 1, 32] });
    expect(compared.stdout + compared.stderr).toMatch(/Both file objects match as far as expectable/);
    expect(compared.stdout + compared.stderr).not.toMatch(/differ/i);
    for (const [tool, extract] of [
      ["7-Zip", `7zz e -so '${image}' big.bin 2>/dev/null`],
      ["bsdtar", `bsdtar -xOf '${image}' big.bin`],
    ] as const) {
      const r = run("bash", ["-c", `set -o pipefail; ${extract} | cmp - '${src}' && echo IDENTICAL`], { allowStatus: [1, 2] });
      expect(r.stdout.trim(), `${tool}: ${r.stdout}${r.stderr}`).toBe("IDENTICAL");
    }
  }, 240_000);

  it("xorriso, isoinfo, 7-Zip, bsdtar and pycdlib see the size", () => {
    expect(run("xorriso", ["-indev", image, "-find", "/big.bin", "-exec", "lsdl"]).stdout).toMatch(new RegExp(`\\s${SIZE}\\s.*'/big\\.bin'`));
    const listing = run("isoinfo", ["-R", "-l", "-i", image]).stdout;
    // isoinfo prints one line per section of a multi-extent file.
    const sections = listing.split("\n").filter((l) => / big\.bin\s*$/.test(l));
    expect(sections.map((l) => Number(/\s(\d+)\s+\w{3}\s/.exec(l)![1]))).toEqual([MAX_SECTION, SIZE - MAX_SECTION]);
    expect(run("7zz", ["l", "-slt", image]).stdout).toMatch(new RegExp(`Path = big\\.bin\\nFolder = -\\nSize = ${SIZE}\\n`));
    expect(run("bsdtar", ["-tvf", image]).stdout).toMatch(new RegExp(`\\s${SIZE}\\s.*big\\.bin`));
    // pycdlib lists a multi-extent file once, by its first record: multi-extent flag set and the
    // first section's length.
    const script = [
      "import pycdlib, sys",
      "iso = pycdlib.PyCdlib()",
      "iso.open(sys.argv[1])",
      "for c in iso.list_children(iso_path='/'):",
      "    if c.file_identifier() == b'BIG.BIN;1':",
      "        print(c.file_flags & 0x80, c.get_data_length())",
    ].join("\n");
    const py = run("/usr/bin/python3", ["-c", script, image]).stdout.trim().split("\n");
    expect(py).toEqual([`128 ${MAX_SECTION}`]);
  });
});
