/**
 * A file of zeros over 4 GiB (streamed, never held) in a bridged image: UDF splits it into extents below 2^30 bytes, ISO
 * 9660 into multi-extent sections, both over the same data; the image is streamed and written
 * sparse, so nothing the size of the file is held in memory or on disk.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { statSync } from "node:fs";
import { join } from "node:path";
import { IsoReader, ZeroContent } from "../../src/index.js";
import { UdfReader } from "../../src/udf/index.js";
import { removeDir, requireTool, run, tempDir } from "../helpers.js";
import { buildUdfImage, parseUdfinfo } from "./helpers.js";

const SIZE = 4 * 2 ** 30 + 5 * 2048 + 77;
let work: string;
beforeAll(() => {
  requireTool("udfinfo", "udftools");
  requireTool("7zz", "7zip");
  work = tempDir("udf-large");
});
afterAll(() => removeDir(work));

it("a > 4 GiB file of zeros (as from a sparse file), streamed: udfinfo, 7z and our reader see its size; UDF and ISO share the data", async () => {
  const out = join(work, "big.iso");
  // The sparse file from disk would be read through the kernel's zero pages; a zero content source
  // streams the same bytes faster, and the ISO tests already cover reading sparse files.
  await buildUdfImage(undefined, out, { revision: "2.60" }, {}, (img) => img.addFile("/big.img", new ZeroContent(SIZE, "big.img")));
  expect(statSync(out).blocks * 512).toBeLessThan(16 << 20); // written sparse
  const info = parseUdfinfo(run("udfinfo", [out]).stdout);
  expect(info.udfrev).toBe("2.50"); // minimum read revision of UDF 2.60 media
  expect(info.udfwriterev).toBe("2.60");
  expect(Number(info.blocks) * 2048).toBe(statSync(out).size);
  expect(run("7zz", ["l", "-tudf", out]).stdout).toMatch(new RegExp(`\\s${SIZE}\\s+\\d+\\s+big\\.img`));

  const r = await UdfReader.open(out);
  const e = await r.stat("/big.img");
  expect(e.size).toBe(SIZE);
  expect(e.extents).toHaveLength(5); // four full 2^30 - 2048 byte extents and the rest
  expect(e.extents.every((x) => x.length < 2 ** 30)).toBe(true);
  expect(e.extents.reduce((n, x) => n + x.length, 0)).toBe(SIZE);
  for (let i = 1; i < e.extents.length; i++) expect(e.extents[i]!.lba).toBe(e.extents[i - 1]!.lba + e.extents[i - 1]!.length / 2048);
  // The last bytes read back (zeros) through the reader's streaming path.
  let last: Uint8Array | undefined;
  let total = 0;
  for await (const c of r.read(e, { chunkSize: 1 << 20 })) {
    total += c.length;
    last = c;
    if (total > 3 << 20) break;
  }
  expect(last!.every((b) => b === 0)).toBe(true);
  await r.close();
  const iso = await IsoReader.open(out);
  const ie = await iso.stat("/big.img");
  expect(ie.size).toBe(SIZE);
  expect(ie.extents[0]!.lba).toBe(e.extents[0]!.lba);
  await iso.close();
});
