/** The tree API, planning and streaming: metadata, reproducibility, typed errors, hooks, progress. */
import { mkdirSync, symlinkSync, unlinkSync, utimesSync, writeFileSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CancelledError, InvalidArgumentError } from "@discforge/errors";
import {
  BytesBlockSource,
  FileSystemImage,
  imageReadable,
  IsoReader,
  NameNotRepresentableError,
  planImage,
  SourceChangedError,
  SourceUnreadableError,
  streamImage,
  SymlinkLoopError,
  ImageTooLargeError,
  type LayoutExtension,
  type IsoPlanOptions,
  type WriteProgress,
  type ContentContext,
  type ContentReader,
  BytesContent,
  ZeroContent,
} from "../src/index.js";
import { genTiny, pattern, removeDir, sha256, tempDir } from "./helpers.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
let work: string;
beforeAll(() => {
  work = tempDir("builder");
});
afterAll(() => removeDir(work));

async function toBytes(image: FileSystemImage, options: IsoPlanOptions = {}): Promise<Uint8Array> {
  const plan = planImage(image, options);
  const chunks: Uint8Array[] = [];
  for await (const c of streamImage(plan, { chunkSize: 64 * 1024 })) {
    expect(c.length % 2048).toBe(0);
    chunks.push(c);
  }
  const out = Buffer.concat(chunks);
  expect(out.length).toBe(plan.sectorCount * 2048);
  return out;
}

async function open(bytes: Uint8Array, namespace: "auto" | "joliet" | "iso9660" = "auto"): Promise<IsoReader> {
  return IsoReader.open(new BytesBlockSource(bytes), { namespace });
}

describe("tree API", () => {
  it("adds, renames and removes; hard links share one extent", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    img.addFile("/a/b/c.txt", enc("c"));
    img.addFile("/a/x.txt", enc("x"));
    img.addDirectory("/empty/dir");
    img.addHardLink("/a/link-to-c", "/a/b/c.txt");
    img.addSymlink("/sym", "a/b/c.txt");
    img.addDevice("/dev/null", "char", 1, 3, { mode: 0o666 });
    img.rename("/a/x.txt", "/moved/y.txt");
    img.remove("/empty/dir");
    expect(() => img.remove("/a")).toThrow(/non-empty/);
    expect(() => img.rename("/a", "/a/b/inside")).toThrow(/into itself/);
    expect(() => img.addFile("/a/b/c.txt", enc("again"))).toThrow(InvalidArgumentError);
    expect(() => img.addFile("/bad/../x", enc(""))).toThrow(/\.\./);
    const r = await open(await toBytes(img));
    const paths = [];
    for await (const [p, e] of r.walk()) paths.push([p, e.type]);
    expect(paths).toEqual([
      ["/a", "directory"],
      ["/dev", "directory"],
      ["/empty", "directory"],
      ["/moved", "directory"],
      ["/sym", "symlink"],
      ["/a/b", "directory"],
      ["/a/link-to-c", "file"],
      ["/a/b/c.txt", "file"],
      ["/dev/null", "char"],
      ["/moved/y.txt", "file"],
    ]);
    const c = await r.stat("/a/b/c.txt");
    const l = await r.stat("/a/link-to-c");
    expect(l.extents).toEqual(c.extents);
    expect(c.links).toBe(2);
    expect(c.serial).toBe(l.serial);
    expect((await r.stat("/dev/null")).device).toEqual({ major: 1, minor: 3 });
    expect((await r.stat("/sym")).linkTarget).toBe("a/b/c.txt");
  });

  it("records metadata: permissions, owner, times, hidden and associated flags", async () => {
    const t = new Date("2001-02-03T04:05:06Z");
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    img.addFile("/secret", enc("s"), { mode: 0o600, uid: 1234, gid: 99, mtime: t, atime: t, ctime: t, hidden: true });
    img.addFile("/assoc", enc("a"), { associated: true });
    const r = await open(await toBytes(img));
    const s = await r.stat("/secret");
    expect([s.mode, s.uid, s.gid, s.mtime?.toISOString(), s.hidden]).toEqual([0o600, 1234, 99, t.toISOString(), true]);
    expect((await r.stat("/assoc")).associated).toBe(true);
  });

  it("volume descriptor fields reach the PVD and the Joliet SVD", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    Object.assign(img.volume, { volumeId: "MY_VOLUME", volumeSetId: "SET", publisherId: "PUBLISHER", dataPreparerId: "PREPARER", applicationId: "APP", copyrightFileId: "COPYING", abstractFileId: "ABSTRACT", bibliographicFileId: "BIBLIO", expires: new Date("2030-01-01T00:00:00Z") });
    const r = await open(await toBytes(img));
    expect(r.primary).toMatchObject({ volumeId: "MY_VOLUME", volumeSetId: "SET", publisherId: "PUBLISHER", dataPreparerId: "PREPARER", applicationId: "APP", copyrightFileId: "COPYING", abstractFileId: "ABSTRACT", bibliographicFileId: "BIBLIO" });
    expect(r.primary.created?.toISOString()).toBe("2020-01-01T00:00:00.000Z");
    expect(r.primary.expires?.toISOString()).toBe("2030-01-01T00:00:00.000Z");
    expect(r.joliet?.volumeId).toBe("MY_VOLUME");
  });

  it("adds a tree from disk with or without its base directory, keeping hard links", async () => {
    const dir = join(work, "disk-tree");
    mkdirSync(dir);
    genTiny(dir);
    const without = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    without.addTree(dir, "/");
    expect(without.get("/hello.txt")?.kind).toBe("file");
    const withBase = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    withBase.addTree(dir, "/sub", { includeBaseDirectory: true });
    expect(withBase.get("/sub/disk-tree/docs/readme.md")?.kind).toBe("file");
    const a = withBase.get("/sub/disk-tree/hello.txt");
    const b = withBase.get("/sub/disk-tree/docs/hardlink.txt");
    expect(a?.kind === "file" && b?.kind === "file" && a.data === b.data).toBe(true);
    expect(withBase.get("/sub/disk-tree/link-to-readme")?.kind).toBe("symlink");
  });

  it("reports a symbolic link loop when following links", () => {
    const dir = join(work, "loop");
    mkdirSync(join(dir, "a"), { recursive: true });
    symlinkSync("..", join(dir, "a", "up"));
    const img = new FileSystemImage();
    expect(() => img.addTree(dir, "/", { followSymlinks: true })).toThrow(SymlinkLoopError);
    const recorded = new FileSystemImage();
    recorded.addTree(dir);
    expect(recorded.get("/a/up")?.kind).toBe("symlink");
  });
});

describe("reproducible mode", () => {
  it("SOURCE_DATE_EPOCH gives identical bytes from two builds, whatever the file times", async () => {
    const dir = join(work, "repro");
    mkdirSync(dir);
    genTiny(dir);
    const build = async (): Promise<Uint8Array> => {
      const img = new FileSystemImage({ reproducible: true, env: { SOURCE_DATE_EPOCH: "1700000000" } });
      img.addTree(dir);
      return toBytes(img);
    };
    const first = await build();
    utimesSync(join(dir, "hello.txt"), new Date(), new Date());
    const second = await build();
    expect(sha256(second)).toBe(sha256(first));
    const r = await open(first);
    expect(r.primary.created?.toISOString()).toBe("2023-11-14T22:13:20.000Z");
    expect((await r.stat("/hello.txt")).mtime?.getTime()).toBeLessThanOrEqual(1700000000 * 1000);
    expect((await r.stat("/hello.txt")).uid).toBe(0);
  });
  it("needs a date", () => {
    expect(() => new FileSystemImage({ reproducible: true, env: {} })).toThrow(/SOURCE_DATE_EPOCH/);
    expect(() => new FileSystemImage({ reproducible: true, env: { SOURCE_DATE_EPOCH: "soon" } })).toThrow(/not a number/);
  });
});

describe("plan, then write", () => {
  it("knows the sector count before streaming and checks capacity", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    img.addFile("/big", { size: 3 * 2048 + 1, open: () => [new Uint8Array(3 * 2048 + 1).fill(7)] });
    const plan = planImage(img);
    expect(plan.fits(plan.sectorCount)).toBe(true);
    expect(plan.fits(plan.sectorCount - 1)).toBe(false);
    expect(() => plan.assertFits(10)).toThrow(ImageTooLargeError);
    let n = 0;
    for await (const c of streamImage(plan)) n += c.length;
    expect(n).toBe(plan.byteLength);
  });

  it("a file that changed size or time after planning fails the write", async () => {
    const f = join(work, "changing.txt");
    writeFileSync(f, "12345");
    const img = new FileSystemImage();
    img.addFile("/changing.txt", f);
    const plan = planImage(img);
    appendFileSync(f, "678");
    await expect(async () => {
      for await (const _ of streamImage(plan)) void _;
    }).rejects.toThrow(SourceChangedError);
    writeFileSync(f, "abcde");
    utimesSync(f, new Date(0), new Date(0));
    await expect(async () => {
      for await (const _ of streamImage(plan)) void _;
    }).rejects.toThrow(/modified after it was added/);
  });

  it("an unreadable source is a typed error", () => {
    const img = new FileSystemImage();
    expect(() => img.addFile("/x", join(work, "does-not-exist"))).toThrow(SourceUnreadableError);
  });

  it("a stream shorter or longer than declared fails the write", async () => {
    for (const chunks of [[enc("abc")], [enc("abcdef"), enc("g")]]) {
      const img = new FileSystemImage();
      img.addFile("/s", { size: 5, open: async function* () { yield* chunks; } });
      await expect(async () => {
        for await (const _ of streamImage(planImage(img))) void _;
      }).rejects.toThrow(SourceChangedError);
    }
  });

  it("a Rock Ridge name over 255 bytes is refused", () => {
    const img = new FileSystemImage();
    img.addFile("/" + "n".repeat(256), enc(""));
    expect(() => planImage(img)).toThrow(NameNotRepresentableError);
  });

  it("deep directories: relocated with Rock Ridge, refused without, allowed by option", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    img.addFile("/1/2/3/4/5/6/7/8/9/10/f", enc("deep"));
    expect(() => planImage(img, { rockRidge: false })).toThrow(/deeper than 8 levels/);
    const allowed = await open(await toBytes(img, { rockRidge: false, deepDirectories: "allow" }), "iso9660");
    expect(new TextDecoder().decode(await allowed.readFile("/1/2/3/4/5/6/7/8/9/10/F"))).toBe("deep");
    const relocated = await open(await toBytes(img));
    expect(new TextDecoder().decode(await relocated.readFile("/1/2/3/4/5/6/7/8/9/10/f"))).toBe("deep");
    expect((await relocated.list("/")).map((e) => e.name)).toEqual(["1"]);
  });

  it("a directory of 3000 entries spans many sectors", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    for (let i = 0; i < 3000; i++) img.addFile(`/big/entry-number-${i}.txt`, enc(String(i)));
    const r = await open(await toBytes(img));
    const dir = await r.stat("/big");
    expect(dir.size).toBeGreaterThan(20 * 2048);
    const list = await r.list("/big");
    expect(list.length).toBe(3000);
    expect(new TextDecoder().decode(await r.readFile("/big/entry-number-2999.txt"))).toBe("2999");
    const j = await open(await toBytes(img), "joliet");
    expect((await j.list("/big")).length).toBe(3000);
  });

  it("reports progress and can be cancelled", async () => {
    const img = new FileSystemImage();
    for (let i = 0; i < 8; i++) img.addFile(`/f${i}`, new Uint8Array(300_000).fill(i));
    const events: WriteProgress[] = [];
    const plan = planImage(img);
    for await (const _ of streamImage(plan, { chunkSize: 128 * 1024, onProgress: (p) => events.push(p) })) void _;
    expect(events.at(-1)).toEqual({ currentFile: undefined, sectorsWritten: plan.sectorCount, totalSectors: plan.sectorCount });
    expect(events.some((e) => e.currentFile === "/f3")).toBe(true);
    expect(events.every((e, i) => i === 0 || e.sectorsWritten >= events[i - 1]!.sectorsWritten)).toBe(true);
    const ac = new AbortController();
    await expect(async () => {
      for await (const _ of streamImage(plan, { chunkSize: 128 * 1024, signal: ac.signal })) ac.abort();
    }).rejects.toThrow(CancelledError);
  });

  it("the same bytes and progress whether a file is copied whole into a chunk or split across chunks", async () => {
    // Sizes around sector and chunk edges, from disk, memory, a stream and zeros; the smallest
    // chunk sends most files through the general loop, the largest nearly all through the
    // whole-file copy, and a chunk of 3 sectors is filled exactly by some files.
    const dir = join(work, "edges");
    mkdirSync(dir, { recursive: true });
    const sizes = [1, 2047, 2048, 2049, 4095, 4096, 6144, 6145, 10_000, 65_536, 131_072, 3];
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    sizes.forEach((n, i) => {
      const f = join(dir, `d${String(i).padStart(2, "0")}`);
      writeFileSync(f, pattern(i, n));
      img.addFile(`/disk/d${String(i).padStart(2, "0")}`, f);
      img.addFile(`/mem/m${String(i).padStart(2, "0")}`, pattern(100 + i, n));
    });
    img.addFile("/stream", { size: 5000, open: async function* () { yield pattern(7, 3000); yield pattern(8, 2000); } });
    img.addFile("/zeros", new ZeroContent(7000));
    const plan = planImage(img);
    const images: string[] = [];
    const r0 = await IsoReader.open(new BytesBlockSource(await toBytes(img)));
    const extents = await Promise.all(
      [...sizes.flatMap((_, i) => [`/disk/d${String(i).padStart(2, "0")}`, `/mem/m${String(i).padStart(2, "0")}`]), "/stream", "/zeros"].map(async (path) => {
        const st = await r0.stat(path);
        return { path, start: st.extents[0]!.lba * 2048, end: st.extents[0]!.lba * 2048 + Math.ceil(st.size / 2048) * 2048 };
      }),
    );
    for (const chunkSize of [2048, 3 * 2048, 64 * 1024, 1 << 20]) {
      const chunks: Uint8Array[] = [];
      const events: WriteProgress[] = [];
      for await (const c of streamImage(plan, { chunkSize, onProgress: (p) => events.push(p) })) chunks.push(Buffer.from(c));
      images.push(sha256(Buffer.concat(chunks)));
      // One report per chunk, naming the file whose extent holds the chunk's last byte (a
      // chunk that ends with a file's last sector names that file); none for metadata and for
      // a last chunk that is not full.
      const total = plan.sectorCount * 2048;
      const expected = chunks.map((_, k) => {
        const end = Math.min((k + 1) * chunkSize, total);
        if (end - k * chunkSize < chunkSize) return undefined;
        return extents.find((x) => x.start <= end - 1 && end - 1 < x.end)?.path;
      });
      expect(events.map((e) => e.currentFile)).toEqual(expected);
      expect(events.at(-1)).toMatchObject({ sectorsWritten: plan.sectorCount, totalSectors: plan.sectorCount });
      if (chunkSize === 3 * 2048) expect(expected).toContain("/disk/d06"); // 6144 bytes from a chunk's start: filled exactly
    }
    expect(new Set(images).size).toBe(1);
    const r = await IsoReader.open(new BytesBlockSource(await toBytes(img)));
    for (const [i, n] of sizes.entries()) {
      expect(Buffer.from(await r.readFile(`/disk/d${String(i).padStart(2, "0")}`)).equals(Buffer.from(pattern(i, n)))).toBe(true);
      expect(Buffer.from(await r.readFile(`/mem/m${String(i).padStart(2, "0")}`)).equals(Buffer.from(pattern(100 + i, n)))).toBe(true);
    }
    expect(Buffer.from(await r.readFile("/stream")).equals(Buffer.concat([pattern(7, 3000), pattern(8, 2000)]))).toBe(true);
    expect((await r.readFile("/zeros")).every((b) => b === 0)).toBe(true);
  });

  it("subclasses of the built-in sources are opened with their context and may be asynchronous", async () => {
    const seen: number[] = [];
    class PlacedZeros extends ZeroContent {
      override open(ctx?: ContentContext) {
        seen.push(ctx!.lba);
        return super.open();
      }
    }
    // Asynchronous, as a JavaScript subclass may be (the types say BytesContent opens synchronously).
    class LateBytes extends BytesContent {
      override open(): ContentReader {
        const later = async (): Promise<ContentReader> => {
          await new Promise((r) => setImmediate(r));
          const inner = super.open();
          return { read: async (t, o, n) => inner.read(t, o, n), close: async () => inner.close() };
        };
        return later() as unknown as ContentReader;
      }
    }
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    img.addFile("/a", new PlacedZeros(3000));
    img.addFile("/b", new LateBytes(pattern(3, 5000)));
    img.addFile("/c", pattern(4, 100));
    const r = await IsoReader.open(new BytesBlockSource(await toBytes(img)));
    expect(seen).toEqual([(await r.stat("/a")).extents[0]!.lba]);
    expect(Buffer.from(await r.readFile("/b")).equals(Buffer.from(pattern(3, 5000)))).toBe(true);
    expect((await r.readFile("/a")).every((b) => b === 0)).toBe(true);
  });

  it("a small file that changed after planning fails the write from any position in a chunk", async () => {
    const dir = join(work, "small-changes");
    mkdirSync(dir, { recursive: true });
    const img = new FileSystemImage();
    for (let i = 0; i < 6; i++) {
      writeFileSync(join(dir, `f${i}`), pattern(i, 1000));
      img.addFile(`/f${i}`, join(dir, `f${i}`));
    }
    const plan = planImage(img);
    appendFileSync(join(dir, "f4"), "x");
    await expect(async () => {
      for await (const _ of streamImage(plan)) void _;
    }).rejects.toThrow(SourceChangedError);
  });

  it("a small file removed after planning fails the write as unreadable, naming its path", async () => {
    const dir = join(work, "small-removed");
    mkdirSync(dir, { recursive: true });
    const img = new FileSystemImage();
    for (let i = 0; i < 4; i++) {
      writeFileSync(join(dir, `f${i}`), pattern(i, 700));
      img.addFile(`/f${i}`, join(dir, `f${i}`));
    }
    const plan = planImage(img);
    unlinkSync(join(dir, "f2"));
    const failure = await (async () => {
      for await (const _ of streamImage(plan)) void _;
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SourceUnreadableError);
    expect((failure as Error).message).toContain(join(dir, "f2"));
    expect(((failure as Error).cause as NodeJS.ErrnoException).code).toBe("ENOENT");
  });

  it("a Node Readable gives the same bytes", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    img.addFile("/x", new Uint8Array(10_000).fill(1));
    const chunks: Buffer[] = [];
    for await (const c of imageReadable(planImage(img))) chunks.push(c as Buffer);
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(await toBytes(img)));
  });

  it("an empty file has no extent; a multi-extent file needs level 3", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    img.addFile("/empty", new Uint8Array(0));
    const r = await open(await toBytes(img));
    expect(await r.stat("/empty")).toMatchObject({ size: 0, extents: [{ lba: 0, length: 0 }] });
    const huge = new FileSystemImage();
    huge.addFile("/huge", { size: 2 ** 32, open: () => [] });
    expect(() => planImage(huge, { level: 2 })).toThrow(/interchange level 3/);
    const sections = planImage(huge, { level: 3 }).extentOf(huge.get("/huge") as never)!.sections;
    expect(sections.map((s) => s.length)).toEqual([0xffff_f800, 2 ** 32 - 0xffff_f800]);
    expect(sections[1]!.lba - sections[0]!.lba).toBe(0xffff_f800 / 2048);
  });
});

describe("layout extensions", () => {
  it("place a descriptor at 17, extents, a system area and patched content", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    const boot = img.addFile("/boot.img", new Uint8Array(4096).fill(0xaa));
    let catalogLba = -1;
    const ext: LayoutExtension = {
      name: "test-boot",
      plan(ctx) {
        const vd = ctx.addVolumeDescriptor("boot record", () => {
          const s = new Uint8Array(2048);
          s.set([0, 0x43, 0x44, 0x30, 0x30, 0x31, 1]);
          return s;
        });
        const cat = ctx.addExtent({ name: "catalog", placement: "afterDescriptors", size: 2048, write: (layout) => enc(`catalog of ${layout.volumeSpaceSize}`) });
        ctx.addExtent({ name: "tail", placement: "afterFiles", size: 5000, write: () => new Uint8Array(5000).fill(0x55) });
        ctx.setSystemArea((layout) => {
          catalogLba = cat.lba;
          expect(vd.lba).toBe(17);
          return enc(`MBR ${layout.sectorCount}`);
        });
        ctx.placeFirst(boot);
        ctx.transformContent(boot, (original, _layout, extent) => ({
          size: original.size,
          description: "patched",
          open: () => {
            const bytes = new Uint8Array(original.size).fill(0xaa);
            new DataView(bytes.buffer).setUint32(8, extent.lba, true);
            let done = false;
            return { read: (t, o) => (done ? 0 : ((done = true), t.set(bytes, o), bytes.length)), close() {} };
          },
        }));
      },
    };
    const plan = planImage(img, { extensions: [ext] });
    const chunks: Uint8Array[] = [];
    for await (const c of streamImage(plan)) chunks.push(c);
    const bytes = Buffer.concat(chunks);
    const mbr = `MBR ${plan.sectorCount}`;
    expect(bytes.subarray(0, mbr.length).toString()).toBe(mbr);
    expect(bytes[mbr.length]).toBe(0);
    expect(bytes[17 * 2048]).toBe(0);
    expect(bytes.subarray(17 * 2048 + 1, 17 * 2048 + 6).toString()).toBe("CD001");
    expect(bytes.subarray(catalogLba * 2048, catalogLba * 2048 + 11).toString()).toBe("catalog of ");
    const ext0 = plan.extentOf(boot)!;
    expect(bytes.readUInt32LE(ext0.lba * 2048 + 8)).toBe(ext0.lba);
    expect(bytes.subarray(bytes.length - 2048, bytes.length - 2048 + 4).every((b) => b === 0x55)).toBe(true);
    const r = await open(bytes);
    expect(r.bootRecords.map((b) => b.lba)).toEqual([17]);
    expect((await r.readFile("/boot.img")).length).toBe(4096);
  });
});
