/** Files read ahead on a worker thread: same bytes as reading in place, same typed errors. */
import { mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileSystemImage, PathContent, planImage, SourceChangedError, SourceUnreadableError, streamImage, type FileNode, type StreamOptions } from "../src/index.js";
import { prefetchable } from "../src/layout/writer.js";
import { FilePrefetcher, type PrefetchFile } from "../src/layout/prefetch.js";
import { pattern, removeDir, sha256, tempDir } from "./helpers.js";

let work: string;
let tree: string;
/** Sizes around the interesting edges: empty, 1 byte, sector multiples and neighbours, larger than a small ring. */
const SIZES = [0, 1, 2047, 2048, 2049, 4096, 5000, 65_537, 300_000, 3, 7, 1_048_576 + 5];

beforeAll(() => {
  work = tempDir("prefetch");
  tree = join(work, "tree");
  // 96 files in three directories.
  for (let i = 0; i < 96; i++) {
    const dir = join(tree, `d${i % 3}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${String(i).padStart(3, "0")}.bin`), pattern(i, SIZES[i % SIZES.length]!));
  }
});
afterAll(() => removeDir(work));

async function imageBytes(options: StreamOptions, chunkSize = 64 * 1024): Promise<Buffer> {
  const image = new FileSystemImage({ date: new Date("2024-01-01T00:00:00Z") });
  image.addTree(tree);
  const chunks: Buffer[] = [];
  for await (const c of streamImage(planImage(image), { ...options, chunkSize })) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

async function drain(p: FilePrefetcher, files: readonly PrefetchFile[], step: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let i = 0; i < files.length; i++) {
    const b = new Uint8Array(files[i]!.size);
    let at = 0;
    while (at < b.length) {
      let n = p.take(b, at, Math.min(step, b.length - at), i);
      if (typeof n !== "number") n = await n;
      expect(n).toBeGreaterThan(0);
      at += n;
    }
    out.push(b);
  }
  return out;
}

function listed(paths: string[]): PrefetchFile[] {
  return paths.map((path) => {
    const st = statSync(path);
    return { path, size: st.size, mtimeMs: st.mtimeMs };
  });
}

describe("prefetching file contents on a worker thread", () => {
  it("gives the same image bytes as reading each file in place, with any chunk size", async () => {
    const inPlace = await imageBytes({ prefetch: false });
    for (const chunkSize of [2048, 64 * 1024, 1 << 20]) {
      const ahead = await imageBytes({ prefetch: true }, chunkSize);
      expect(ahead.length).toBe(inPlace.length);
      expect(sha256(ahead)).toBe(sha256(inPlace));
    }
    // "auto" reads files this small in place, as does the default: the same bytes again.
    expect(sha256(await imageBytes({ prefetch: "auto" }))).toBe(sha256(inPlace));
    expect(sha256(await imageBytes({}))).toBe(sha256(inPlace));
  });

  it("wraps around a ring smaller than the files, in pieces of any size", async () => {
    const paths = SIZES.filter((s) => s > 0).map((_, i) => join(tree, `d${(i + 1) % 3}`, `f${String(i + 1).padStart(3, "0")}.bin`));
    const files = listed(paths);
    for (const bad of [4099, 2048, 3 << 20, 0]) expect(() => new FilePrefetcher(files, bad), `ring of ${bad}`).toThrow(/power of two/);
    for (const [ring, step] of [
      [4096, 1000],
      [4096, 8192],
      [65_536, 1 << 20],
    ] as const) {
      const p = new FilePrefetcher(files, ring);
      try {
        const got = await drain(p, files, step);
        got.forEach((b, i) => expect(sha256(b), `${files[i]!.path} through a ${ring}-byte ring`).toBe(sha256(pattern(i + 1, SIZES[(i + 1) % SIZES.length]!))));
      } finally {
        await p.close();
      }
    }
  });

  it("a file modified after planning is a SourceChangedError naming it", async () => {
    const dir = join(work, "changed");
    mkdirSync(dir, { recursive: true });
    const paths = [0, 1, 2].map((i) => join(dir, `c${i}`));
    paths.forEach((p, i) => writeFileSync(p, pattern(i, 10_000)));
    const files = listed(paths);
    utimesSync(paths[1]!, new Date(0), new Date(0));
    const p = new FilePrefetcher(files);
    try {
      const err = await drain(p, files, 4096).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SourceChangedError);
      expect((err as SourceChangedError).source).toBe(paths[1]);
      expect((err as Error).message).toMatch(/modified after it was added/);
    } finally {
      await p.close();
    }
    // Through the image writer: the same error, from a tree of more than 64 files.
    const image = new FileSystemImage();
    image.addTree(tree);
    const plan = planImage(image);
    const victim = join(tree, "d1", "f004.bin");
    writeFileSync(victim, pattern(99, 123));
    try {
      await expect(async () => {
        for await (const _ of streamImage(plan, { prefetch: true })) void _;
      }).rejects.toThrow(/f004\.bin: size changed from 2049 to 123 bytes/);
    } finally {
      writeFileSync(victim, pattern(4, SIZES[4]!));
    }
  });

  it("a file removed after planning is a SourceUnreadableError naming it", async () => {
    const dir = join(work, "removed");
    mkdirSync(dir, { recursive: true });
    const paths = [0, 1].map((i) => join(dir, `r${i}`));
    paths.forEach((p, i) => writeFileSync(p, pattern(i, 3000)));
    const files = listed(paths);
    rmSync(paths[1]!);
    const p = new FilePrefetcher(files);
    try {
      const err = await drain(p, files, 4096).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SourceUnreadableError);
      expect((err as SourceUnreadableError).source).toBe(paths[1]);
      expect(((err as Error).cause as NodeJS.ErrnoException).code).toBe("ENOENT");
    } finally {
      await p.close();
    }
  });

  it('"auto" takes the worker for 64 MiB or more in files of 1 MiB or more on average', () => {
    const image = new FileSystemImage();
    const small = Array.from({ length: 20_000 }, (_, i) => image.addFile(`/s/${i}`, new PathContent(`/x/${i}`, 4096, 0)));
    const big = Array.from({ length: 4 }, (_, i) => image.addFile(`/b/${i}`, new PathContent(`/y/${i}`, 256 << 20, 0)));
    const plans = planImage(image).internals.files;
    const pick = (nodes: FileNode[]) => plans.filter((d) => nodes.includes(d.node));
    expect(prefetchable(pick(small), "auto")).toEqual([]);
    expect(prefetchable(pick(big), "auto")).toHaveLength(4);
    expect(prefetchable(pick(big).slice(0, 1), "auto")).toHaveLength(1);
    expect(prefetchable(pick(big), false)).toEqual([]);
    expect(prefetchable(pick(small), true)).toHaveLength(20_000);
    // 1 GiB in 20,000 files: 53 KiB on average, read in place.
    expect(prefetchable([...pick(small), ...pick(big)], "auto")).toEqual([]);
  });

  it("stopping the stream early stops the worker thread", async () => {
    // Linux: a worker is an OS thread of this process, listed in /proc/self/task.
    const threads = (): number => readdirSync("/proc/self/task").length;
    const settle = async (limit: number): Promise<number> => {
      for (let i = 0; i < 200 && threads() > limit; i++) await new Promise((r) => setTimeout(r, 10));
      return threads();
    };
    const before = await settle(Infinity);
    const image = new FileSystemImage();
    image.addTree(tree);
    let chunks = 0;
    let during = 0;
    for await (const _ of streamImage(planImage(image), { prefetch: true, chunkSize: 2048 })) {
      void _;
      during = Math.max(during, threads());
      if (++chunks === 40) break;
    }
    expect(chunks).toBe(40);
    expect(during, "a worker thread ran while streaming").toBeGreaterThan(before);
    expect(await settle(before), "no thread left behind").toBeLessThanOrEqual(before);
    // A ring that stays full (a 1 MiB file, a 4 KiB ring, nothing taken): close still ends the worker.
    const p = new FilePrefetcher(listed([join(tree, "d2", "f011.bin")]), 4096);
    await p.close();
    await expect(p.exited).resolves.toBeUndefined();
  });

  it("bytes read before a failing file are all handed out before its error", async () => {
    const dir = join(work, "ordered");
    mkdirSync(dir, { recursive: true });
    const paths = [0, 1, 2].map((i) => join(dir, `o${i}`));
    paths.forEach((p, i) => writeFileSync(p, pattern(i, 3000)));
    const files = listed(paths);
    rmSync(paths[2]!);
    for (let round = 0; round < 30; round++) {
      const p = new FilePrefetcher(files);
      try {
        // Ask for more than one file at a time: the first two files must still come whole.
        const got = await drain(p, files.slice(0, 2), 1 << 20);
        expect(got.map((b) => sha256(b))).toEqual([0, 1].map((i) => sha256(pattern(i, 3000))));
        await expect(drain(p, [files[2]!], 4096).then(() => "no error")).rejects.toThrow(SourceUnreadableError);
      } finally {
        await p.close();
      }
    }
  });
});
