/** Read-ahead of small files: when it switches on, what it opens, what it closes, same bytes. */
import { mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileSystemImage, PathContent, planImage, SourceChangedError, SourceUnreadableError, streamImage, type StreamOptions } from "../src/index.js";
import { CACHED_BYTES_PER_MS, DETECT_WINDOW, TIME_EVERY, loadWillNeed, READ_AHEAD_BYTES, READ_AHEAD_FILES, READ_AHEAD_MAX_FILE, ReadAhead, SLOW_FILE_MS, SLOW_FILES_TO_SWITCH, type WillNeed } from "../src/layout/readahead.js";
import { pattern, removeDir, sha256, tempDir } from "./helpers.js";

let work: string;
let tree: string;
/** 300 small files of assorted sizes (sector edges included) and two larger than READ_AHEAD_MAX_FILE. */
const SIZES = [0, 1, 2047, 2048, 2049, 4096, 5000, 65_537, 3, 7];

beforeAll(() => {
  work = tempDir("readahead");
  tree = join(work, "tree");
  for (let i = 0; i < 300; i++) {
    const dir = join(tree, `d${i % 4}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${String(i).padStart(3, "0")}.bin`), pattern(i, SIZES[i % SIZES.length]!));
  }
  writeFileSync(join(tree, "d1", "big-a.bin"), pattern(1000, READ_AHEAD_MAX_FILE + 1));
  writeFileSync(join(tree, "d2", "big-b.bin"), pattern(1001, 3 * READ_AHEAD_MAX_FILE));
});
afterAll(() => removeDir(work));

function openFds(): number {
  return readdirSync("/proc/self/fd").length;
}

/** Sources on disk: `count` files of `size` bytes each. */
function sources(count: number, size: number, name = "s"): PathContent[] {
  const dir = join(work, `${name}-${count}-${size}`);
  mkdirSync(dir, { recursive: true });
  const out: PathContent[] = [];
  for (let i = 0; i < count; i++) {
    const p = join(dir, `${i}`);
    writeFileSync(p, pattern(i, size));
    const st = statSync(p);
    out.push(new PathContent(p, st.size, st.mtimeMs));
  }
  return out;
}

/** A hint that records the descriptors it was given. */
function recorder(): { hinted: number[]; loads: number; load: () => WillNeed } {
  const r = {
    hinted: [] as number[],
    loads: 0,
    load: (): WillNeed => {
      r.loads++;
      return (fd) => void r.hinted.push(fd);
    },
  };
  return r;
}

function readAll(reader: { read(t: Uint8Array, o: number, l: number): number | Promise<number>; close(): void | Promise<void> }, size: number): Uint8Array {
  const b = new Uint8Array(size);
  let at = 0;
  while (at < size) {
    const n = reader.read(b, at, size - at) as number;
    expect(n).toBeGreaterThan(0);
    at += n;
  }
  void reader.close();
  return b;
}

describe("ReadAhead", () => {
  it("stays off while small files come from the cache: libc is never loaded", () => {
    const r = recorder();
    const ahead = new ReadAhead(sources(20, 100, "fast"), { willNeed: r.load });
    for (let i = 0; i < 20; i++) {
      expect(ahead.watching(i)).toBe(i % TIME_EVERY === 0);
      expect(ahead.reader(i)).toBeUndefined();
      ahead.timed(SLOW_FILE_MS / 10, 100);
    }
    expect(r.loads).toBe(0);
    expect(ahead.active).toBe(false);
  });

  it(`switches on after ${SLOW_FILES_TO_SWITCH} slow small files among the last ${DETECT_WINDOW}, and hands out verified readers of what it opened`, () => {
    const files = sources(400, 3000, "slow");
    const r = recorder();
    const ahead = new ReadAhead(files, { willNeed: r.load });
    const before = openFds();
    let i = 0;
    // Slow files spread thinly (one in 16) never reach the threshold within the window.
    for (; i < 4 * DETECT_WINDOW; i++) {
      expect(ahead.reader(i)).toBeUndefined();
      ahead.timed(i % 16 === 0 ? SLOW_FILE_MS * 4 : 0, 3000);
    }
    expect(ahead.active).toBe(false);
    // A full window of fast files forgets them; then the threshold is reached exactly.
    for (let k = 0; k < DETECT_WINDOW; k++, i++) ahead.timed(0, 3000);
    for (let k = 0; k < SLOW_FILES_TO_SWITCH; k++, i++) {
      expect(ahead.active).toBe(false);
      expect(ahead.reader(i)).toBeUndefined();
      ahead.timed(SLOW_FILE_MS * 4, 3000);
    }
    expect(ahead.active).toBe(true);
    expect(r.loads).toBe(1);
    expect(ahead.watching(i)).toBe(false);
    const first = i;
    const reader = ahead.reader(i)!;
    expect(reader).toBeDefined();
    // The window: the file taken and the next READ_AHEAD_FILES - 1 were opened and hinted.
    expect(r.hinted.length).toBe(Math.min(READ_AHEAD_FILES, files.length - first));
    expect(openFds() - before).toBe(r.hinted.length);
    expect(Buffer.from(readAll(reader, 3000)).equals(Buffer.from(pattern(first, 3000)))).toBe(true);
    for (i = first + 1; i < files.length; i++) {
      const rd = ahead.reader(i)!;
      expect(Buffer.from(readAll(rd, 3000)).equals(Buffer.from(pattern(i, 3000)))).toBe(true);
    }
    expect(r.hinted.length).toBe(files.length - first);
    expect(openFds()).toBe(before);
  });

  it(`keeps at most ${READ_AHEAD_BYTES >> 20} MiB open ahead and never opens files over ${READ_AHEAD_MAX_FILE >> 20} MiB`, () => {
    const mid = sources(60, READ_AHEAD_MAX_FILE, "mid");
    const big = sources(2, READ_AHEAD_MAX_FILE + 1, "big");
    const r = recorder();
    const ahead = new ReadAhead([big[0], ...mid, undefined, big[1]], { mode: true, willNeed: r.load });
    expect(ahead.reader(0)).toBeUndefined(); // over the limit: read in place
    expect(r.hinted.length).toBe(READ_AHEAD_BYTES / READ_AHEAD_MAX_FILE);
    for (let i = 1; i <= 60; i++) void ahead.reader(i)!.close();
    expect(ahead.reader(61)).toBeUndefined(); // not a file on disk
    expect(ahead.reader(62)).toBeUndefined();
    expect(r.hinted.length).toBe(60);
    ahead.close();
  });

  it("judges a file slow by its time against its size: a cached 256 KB file is not slow, a 4 KB one taking 0.2 ms is", () => {
    const r = recorder();
    const ahead = new ReadAhead(sources(4, 10, "judge"), { willNeed: r.load });
    const big = 256 * 1024;
    for (let k = 0; k < 4 * SLOW_FILES_TO_SWITCH; k++) ahead.timed(SLOW_FILE_MS + (0.9 * big) / CACHED_BYTES_PER_MS, big);
    expect(ahead.active).toBe(false);
    for (let k = 0; k < SLOW_FILES_TO_SWITCH; k++) ahead.timed(0.2, 4096);
    expect(ahead.active).toBe(true);
  });

  it("stops opening ahead when descriptors run out (EMFILE), closing what it holds, so the writer's own opens succeed", () => {
    const files = sources(40, 100, "emfile");
    const before = openFds();
    let opens = 0;
    const open = (p: string): number => {
      if (++opens > 10) throw Object.assign(new Error("EMFILE: too many open files"), { code: "EMFILE" });
      return openSync(p, "r");
    };
    const ahead = new ReadAhead(files, { mode: true, willNeed: recorder().load, open });
    expect(ahead.reader(0)).toBeUndefined(); // the 11th open failed while filling: read-ahead is off
    expect(ahead.active).toBe(false);
    expect(openFds()).toBe(before);
    for (let i = 1; i < 40; i++) expect(ahead.reader(i)).toBeUndefined();
    expect(opens).toBe(11);
  });

  it("gives back a file whose path was removed or replaced since it was opened ahead, for the writer to open in place", () => {
    // Whole-second times, so the replacement can carry exactly the same modification time.
    const files = sources(4, 700, "replaced").map((f) => {
      utimesSync(f.path, 1_700_000_000, 1_700_000_000);
      return new PathContent(f.path, f.size, statSync(f.path).mtimeMs);
    });
    const before = openFds();
    const ahead = new ReadAhead(files, { mode: true, willNeed: recorder().load });
    void ahead.reader(0)!.close();
    // Same size and time, another file: what an open in place would now read.
    writeFileSync(`${files[1]!.path}.new`, pattern(77, 700));
    utimesSync(`${files[1]!.path}.new`, 1_700_000_000, 1_700_000_000);
    renameSync(`${files[1]!.path}.new`, files[1]!.path);
    unlinkSync(files[2]!.path);
    expect(ahead.reader(1)).toBeUndefined();
    expect(ahead.reader(2)).toBeUndefined();
    expect(Buffer.from(readAll(ahead.reader(3)!, 700)).equals(Buffer.from(pattern(3, 700)))).toBe(true);
    expect(openFds()).toBe(before);
    // In place, file 1 is the new one; file 2 is reported as unreadable.
    expect(Buffer.from(readAll(files[1]!.open(), 700)).equals(Buffer.from(pattern(77, 700)))).toBe(true);
    expect(() => files[2]!.open()).toThrow(SourceUnreadableError);
  });

  it("closes everything still open ahead", () => {
    const r = recorder();
    const before = openFds();
    const ahead = new ReadAhead(sources(50, 10, "close"), { mode: true, willNeed: r.load });
    void ahead.reader(0)!.close();
    expect(openFds() - before).toBe(49);
    ahead.close();
    expect(openFds()).toBe(before);
  });

  it("reports a file changed after planning as SourceChangedError and closes its descriptor", () => {
    const files = sources(3, 500, "changed");
    writeFileSync(files[1]!.path, pattern(9, 501));
    utimesSync(files[2]!.path, new Date(0), new Date(0));
    const before = openFds();
    const ahead = new ReadAhead(files, { mode: true, willNeed: recorder().load });
    void ahead.reader(0)!.close();
    expect(() => ahead.reader(1)).toThrow(SourceChangedError);
    expect(() => ahead.reader(2)).toThrow(/modified after it was added/);
    expect(openFds()).toBe(before);
  });

  it("leaves a file it cannot open to the writer, which reports it", async () => {
    const files = sources(3, 500, "gone");
    const ahead = new ReadAhead([files[0], new PathContent(join(work, "no-such-file"), 500, 0), files[2]], { mode: true, willNeed: recorder().load });
    void ahead.reader(0)!.close();
    expect(ahead.reader(1)).toBeUndefined();
    void ahead.reader(2)!.close();
    ahead.close();
    const image = new FileSystemImage();
    image.addFile("/gone", new PathContent(join(work, "no-such-file"), 500, 0));
    await expect(async () => {
      for await (const chunk of streamImage(planImage(image), { readAhead: true })) void chunk;
    }).rejects.toThrow(SourceUnreadableError);
  });

  it("stays off without a hint to give (not Linux, no koffi), and when told so", () => {
    const none = new ReadAhead(sources(4, 10, "none"), { mode: true, willNeed: () => undefined });
    expect(none.active).toBe(false);
    expect(none.reader(0)).toBeUndefined();
    const r = recorder();
    const off = new ReadAhead(sources(4, 10, "off"), { mode: false, willNeed: r.load });
    for (let i = 0; i < 4; i++) {
      expect(off.watching(i)).toBe(false);
      off.timed(1000, 10);
    }
    expect(off.active).toBe(false);
    expect(r.loads).toBe(0);
  });

  it.runIf(process.platform === "linux")("loads posix_fadvise from libc through koffi and hints a real descriptor", () => {
    const hint = loadWillNeed();
    expect(hint).toBeTypeOf("function");
    const ahead = new ReadAhead(sources(5, 4096, "real"), { mode: true });
    expect(ahead.active).toBe(true);
    for (let i = 0; i < 5; i++) expect(Buffer.from(readAll(ahead.reader(i)!, 4096)).equals(Buffer.from(pattern(i, 4096)))).toBe(true);
  });
});

describe("streamImage with read-ahead", () => {
  async function imageHash(options: StreamOptions): Promise<string> {
    const image = new FileSystemImage({ date: new Date("2024-01-01T00:00:00Z") });
    image.addTree(tree);
    const chunks: Buffer[] = [];
    for await (const c of streamImage(planImage(image), { ...options, chunkSize: 64 * 1024 })) chunks.push(Buffer.from(c));
    return sha256(Buffer.concat(chunks));
  }

  it("produces the same image with read-ahead on, off and automatic", async () => {
    const off = await imageHash({ readAhead: false });
    expect(await imageHash({ readAhead: true })).toBe(off);
    expect(await imageHash({})).toBe(off);
  });

  it("closes the files it opened ahead when the consumer stops early", async () => {
    const before = openFds();
    const image = new FileSystemImage();
    image.addTree(tree);
    let n = 0;
    for await (const chunk of streamImage(planImage(image), { readAhead: true, chunkSize: 4096 })) {
      void chunk;
      if (++n === 40) break;
    }
    expect(openFds()).toBe(before);
  });
});
