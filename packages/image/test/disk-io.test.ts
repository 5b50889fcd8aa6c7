/** The per-file system calls through libc: the same numbers, bytes and errors as node:fs, the same images. */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, fstatSync, linkSync, lstatSync, lutimesSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FileSystemImage, PathContent, planImage, SourceUnreadableError, streamImage } from "../src/index.js";
import { closeFd, FAST_AFTER, fstat, lstat, openRead, readAt, stat, statxFstat, statxLstat, statxStat, useStatx, type DiskStat } from "../src/disk-io.js";
import { loadLibc } from "../src/libc.js";
import { removeDir, sha256, tempDir } from "./helpers.js";

let work: string;
let tree: string;
const FIELDS = ["mode", "uid", "gid", "nlink", "size", "ino", "dev", "rdev", "atimeMs", "mtimeMs", "ctimeMs"] as const;
const KINDS = ["isFile", "isDirectory", "isSymbolicLink", "isCharacterDevice", "isBlockDevice", "isFIFO"] as const;

function same(a: DiskStat, b: DiskStat): void {
  for (const f of FIELDS) expect({ field: f, value: a[f] }).toEqual({ field: f, value: b[f] });
  for (const k of KINDS) expect({ kind: k, value: a[k]() }).toEqual({ kind: k, value: b[k]() });
}

beforeAll(() => {
  work = tempDir("disk-io");
  tree = join(work, "tree");
  mkdirSync(join(tree, "sub", "deeper"), { recursive: true });
  // More entries than FAST_AFTER, so a scan switches to statx part way through.
  for (let i = 0; i < FAST_AFTER + 100; i++) writeFileSync(join(tree, "sub", `f${i}.txt`), `file ${i}\n`.repeat(i % 7));
  writeFileSync(join(tree, "a.bin"), "a");
  linkSync(join(tree, "a.bin"), join(tree, "sub", "deeper", "a-link.bin"));
  symlinkSync("sub/f1.txt", join(tree, "to-f1"));
  symlinkSync("nowhere", join(tree, "dangling"));
  // A sparse file over 4 GiB (size above 32 bits) with a time before 1970 and one with nanoseconds.
  writeFileSync(join(tree, "big.bin"), "");
  truncateSync(join(tree, "big.bin"), 5 * 2 ** 30 + 3);
  const big = openSync(join(tree, "big.bin"), "r+");
  writeSync(big, Buffer.from("beyond 4 GiB"), 0, 12, 5 * 2 ** 30 - 9); // data past 32-bit offsets
  closeSync(big);
  utimesSync(join(tree, "big.bin"), -86_400.5, 1_700_000_000.123456);
  if (spawnSync("mkfifo", [join(tree, "fifo")]).status !== 0) throw new Error("mkfifo failed");
  // Building an image reads files, directories and links, and a first read after a change moves
  // the access time the image records (relatime). Access times an hour ahead stay put.
  const ahead = Date.now() / 1000 + 3600;
  const settle = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.name === "big.bin" || e.name === "fifo") continue;
      if (e.isDirectory()) settle(p);
      lutimesSync(p, ahead, 1_700_000_000);
    }
  };
  settle(tree);
  lutimesSync(tree, ahead, 1_700_000_000);
});
afterAll(() => removeDir(work));
afterEach(() => useStatx(undefined));

describe.runIf(process.platform === "linux")("statx through koffi", () => {
  it("loads statx from libc", () => {
    expect(loadLibc()?.statx).toBeTypeOf("function");
  });

  it("gives lstatSync's numbers for files, directories, links, a FIFO, devices, a hard link and a sparse 5 GiB file", () => {
    const libc = loadLibc()!;
    const paths = [join(tree, "a.bin"), join(tree, "sub"), join(tree, "to-f1"), join(tree, "dangling"), join(tree, "fifo"), join(tree, "sub", "deeper", "a-link.bin"), join(tree, "big.bin"), "/dev/null", "/dev/zero"];
    const block = ["/dev/vda", "/dev/sda", "/dev/loop0", "/dev/nvme0n1"].find((p) => existsSync(p));
    if (block) paths.push(block);
    for (const p of paths) same(statxLstat(libc, p)!, lstatSync(p));
    expect(statxLstat(libc, join(tree, "big.bin"))!.size).toBe(5 * 2 ** 30 + 3);
    expect(statxLstat(libc, join(tree, "a.bin"))!.nlink).toBe(2);
    expect(statxLstat(libc, "/dev/null")!.isCharacterDevice()).toBe(true);
    expect(statxLstat(libc, join(tree, "no-such"))).toBeUndefined();
  });

  it("gives statSync's numbers through a symbolic link, and nothing for a dangling one", () => {
    const libc = loadLibc()!;
    same(statxStat(libc, join(tree, "to-f1"))!, statSync(join(tree, "to-f1")));
    expect(statxStat(libc, join(tree, "to-f1"))!.isFile()).toBe(true);
    expect(statxStat(libc, join(tree, "dangling"))).toBeUndefined();
    useStatx(true);
    expect(stat(join(tree, "dangling"))).toBeUndefined();
    expect(stat(join(tree, "to-f1"))!.ino).toBe(statSync(join(tree, "sub", "f1.txt")).ino);
  });

  it("gives fstatSync's numbers for an open file", () => {
    const libc = loadLibc()!;
    const fd = openSync(join(tree, "big.bin"), "r");
    try {
      same(statxFstat(libc, fd)!, fstatSync(fd));
    } finally {
      closeSync(fd);
    }
  });

  it("opens, reads and closes through libc with node:fs's results, bounds and errors", () => {
    useStatx(true);
    void lstat(join(tree, "a.bin")); // loads libc
    const p = join(tree, "sub", "f6.txt");
    const want = readFileSync(p);
    const fd = openRead(p);
    const target = new Uint8Array(want.length + 20).fill(0xee);
    expect(readAt(fd, target, 10, want.length + 5, 0)).toBe(want.length);
    expect(Buffer.from(target.subarray(10, 10 + want.length)).equals(want)).toBe(true);
    expect(target[9]).toBe(0xee);
    expect(target[10 + want.length]).toBe(0xee);
    expect(readAt(fd, target, 0, 4, 2)).toBe(4);
    expect(Buffer.from(target.subarray(0, 4)).equals(want.subarray(2, 6))).toBe(true);
    // A range past the target's end is node:fs's to refuse, never written by libc.
    expect(() => readAt(fd, target, target.length - 2, 8, 0)).toThrow(RangeError);
    expect(target[target.length - 1]).toBe(0xee);
    // Offsets and positions that are not whole numbers are node:fs's to refuse.
    expect(() => readAt(fd, target, 1.5, 4, 0)).toThrow(RangeError);
    expect(() => readAt(fd, target, 0, 4, 2 ** 53)).toThrow(RangeError);
    closeFd(fd);
    expect(() => fstatSync(fd)).toThrow(/EBADF/);
    // Closing it again is reported, as closeSync reports it.
    expect(() => closeFd(fd)).toThrow(/EBADF/);
    expect(() => openRead(join(tree, "no-such"))).toThrow(/ENOENT: no such file or directory, open/);
    // Offsets past 4 GiB reach the right bytes.
    const bigFd = openRead(join(tree, "big.bin"));
    const tail = new Uint8Array(32);
    expect(readAt(bigFd, tail, 0, 32, 5 * 2 ** 30 - 9)).toBe(12);
    expect(Buffer.from(tail.subarray(0, 12)).toString()).toBe("beyond 4 GiB");
    closeFd(bigFd);
  });

  it("leaves paths with a NUL to node:fs, which refuses them (C would read the path up to the NUL)", () => {
    useStatx(true);
    void lstat(join(tree, "a.bin")); // loads libc
    const cut = join(tree, "a.bin") + "\0.txt";
    expect(() => lstat(cut)).toThrow(/null bytes/);
    expect(() => stat(cut)).toThrow(/null bytes/);
    expect(() => openRead(cut)).toThrow(/null bytes/);
    expect(() => new PathContent(cut, 1, 0).open()).toThrow(SourceUnreadableError);
  });

  it("throws Node's own error for a path that is not there", () => {
    useStatx(true);
    const missing = join(tree, "no-such");
    let ours: unknown;
    let node: unknown;
    try {
      lstat(missing);
    } catch (e) {
      ours = e;
    }
    try {
      lstatSync(missing);
    } catch (e) {
      node = e;
    }
    expect(ours).toBeInstanceOf(Error);
    expect((ours as NodeJS.ErrnoException).code).toBe("ENOENT");
    expect((ours as Error).message).toBe((node as Error).message);
    // A failure with the file there does not turn statx off for the rest.
    const st = lstat(join(tree, "a.bin"));
    expect(st.constructor.name).toBe("StatxStat");
  });

  it("answers through node:fs for the first FAST_AFTER calls, then through statx", () => {
    useStatx(undefined);
    const p = join(tree, "a.bin");
    for (let i = 0; i < FAST_AFTER; i++) expect(lstat(p).constructor.name).toBe("Stats");
    expect(lstat(p).constructor.name).toBe("StatxStat");
    const fd = openSync(p, "r");
    try {
      expect(fstat(fd).constructor.name).toBe("StatxStat");
    } finally {
      closeSync(fd);
    }
  });
});

describe("images with and without statx", () => {
  async function imageHash(statx: boolean | undefined): Promise<string> {
    useStatx(statx);
    const image = new FileSystemImage();
    // Volume dates default to the current second: fixed, so builds a second apart match.
    image.volume.created = image.volume.modified = new Date("2024-05-06T07:08:09Z");
    image.addTree(tree, "/", {});
    image.remove("/fifo");
    image.remove("/big.bin");
    const chunks: Buffer[] = [];
    for await (const c of streamImage(planImage(image, { rockRidge: "1.12", joliet: true }))) chunks.push(Buffer.from(c));
    return sha256(Buffer.concat(chunks));
  }

  it("are byte for byte the same (disk times, owners, hard links, symlinks)", async () => {
    const viaNode = await imageHash(false);
    expect(await imageHash(true)).toBe(viaNode);
    expect(await imageHash(undefined)).toBe(viaNode);
  });
});
