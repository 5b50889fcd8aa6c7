/** extractImage's space limit: every entry counts in whole blocks, so names by the thousand cannot fill a disk either. */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@discforge/errors";
import { BytesBlockSource, EXTRACT_BLOCK, ExtractLimitError, extractImage, FileSystemImage, IsoReader } from "../src/index.js";
import { imageBytes, removeDir, tempDir } from "./helpers.js";

let work: string;
beforeAll(() => {
  work = tempDir("extract-limit");
});
afterAll(() => removeDir(work));

async function readerOf(img: FileSystemImage): Promise<IsoReader> {
  return IsoReader.open(new BytesBlockSource(await imageBytes(img)));
}

const newImage = (): FileSystemImage => new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
const name = (i: number): string => `f${String(i).padStart(4, "0")}`;

describe("extractImage maxBytes", () => {
  it("counts a one-byte file as a whole block: 4,000 names of one byte stop after 16 under 64 KiB", async () => {
    const img = newImage();
    img.addFile("/f0000", new Uint8Array([7]));
    for (let i = 1; i < 4000; i++) img.addHardLink(`/${name(i)}`, "/f0000");
    const dest = join(work, "names");
    const failure = await extractImage(await readerOf(img), dest, { maxBytes: 16 * EXTRACT_BLOCK }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ExtractLimitError);
    expect(failure).toMatchObject({ path: "/f0016", size: EXTRACT_BLOCK, written: 16 * EXTRACT_BLOCK, limit: 16 * EXTRACT_BLOCK });
    expect(readdirSync(dest).sort()).toEqual(Array.from({ length: 16 }, (_, i) => name(i)));
  });

  it("counts directories and created links; skipped links cost nothing", async () => {
    const img = newImage();
    for (let i = 0; i < 5; i++) img.addDirectory(`/d${i}`);
    const dirs = join(work, "dirs");
    await expect(extractImage(await readerOf(img), dirs, { maxBytes: 2 * EXTRACT_BLOCK })).rejects.toMatchObject({ path: "/d2" });
    expect(readdirSync(dirs).sort()).toEqual(["d0", "d1"]);

    const links = newImage();
    links.addFile("/a", new Uint8Array(10));
    for (let i = 0; i < 3; i++) links.addSymlink(`/l${i}`, "a");
    const created = join(work, "links-created");
    await expect(extractImage(await readerOf(links), created, { maxBytes: 2 * EXTRACT_BLOCK })).rejects.toMatchObject({ path: "/l1" });
    const skipped = await extractImage(await readerOf(links), join(work, "links-skipped"), { maxBytes: EXTRACT_BLOCK, symlinks: "skip" });
    expect(skipped).toMatchObject({ files: 1, symlinks: 0, bytes: 10 });
  });

  it("a limit that is not a byte count is refused before anything is made", async () => {
    const reader = await readerOf(newImage());
    for (const maxBytes of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      const dest = join(work, `bad-${maxBytes}`);
      await expect(extractImage(reader, dest, { maxBytes })).rejects.toThrow(InvalidArgumentError);
      expect(existsSync(dest)).toBe(false);
    }
  });
});
