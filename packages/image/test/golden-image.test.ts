/**
 * Byte identity of the builder's output: fixed trees (from disk and from memory, in reproducible
 * mode) must produce exactly the image they produced when these digests were recorded. Any change
 * to a byte of the layout, the records, the Rock Ridge entries or the name mapping changes a
 * digest; a deliberate format change must update them (and say why in its commit).
 */
import { createHash } from "node:crypto";
import { chmodSync, linkSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileSystemImage, planImage, streamImage, type IsoPlanOptions } from "../src/index.js";
import { bytesFor, removeDir, tempDir } from "./helpers.js";

const date = new Date("2024-05-06T07:08:09Z");
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

async function digest(image: FileSystemImage, options: IsoPlanOptions): Promise<string> {
  const h = createHash("sha256");
  for await (const c of streamImage(planImage(image, options), { chunkSize: 64 * 1024 })) h.update(c);
  return h.digest("hex");
}

/** A disk tree with every kind of entry the scanner handles, fixed modes and times. */
function diskTree(): string {
  const root = tempDir("golden");
  dirs.push(root);
  const t = new Date("2023-01-02T03:04:05Z");
  const put = (rel: string, data: Uint8Array | string): void => {
    const p = join(root, rel);
    mkdirSync(join(p, ".."), { recursive: true });
    writeFileSync(p, data);
    chmodSync(p, 0o644);
  };
  for (let i = 0; i < 300; i++) put(`many/file-${i}.dat`, bytesFor(i + 1, (i * 7919) % 5000));
  put("Long Name With Spaces and ünïcödé — " + "x".repeat(150) + ".text", "long\n");
  put("collide.txt", "a");
  put("COLLIDE.TXT", "b");
  put("collide.TXT", "c");
  put(".hidden", "dot");
  put("no_ext", "none");
  put("empty", new Uint8Array(0));
  put("big.bin", bytesFor(99, 70_000));
  let deep = "deep";
  for (let i = 1; i <= 11; i++) {
    deep = join(deep, `level${i}`);
    put(join(deep, `f${i}.txt`), `level ${i}\n`);
  }
  linkSync(join(root, "collide.txt"), join(root, "hardlink.txt"));
  symlinkSync("many/file-1.dat", join(root, "link"));
  symlinkSync("/" + "component/".repeat(40) + "end", join(root, "longlink"));
  const walk = (rel: string): void => utimesSync(join(root, rel), t, t);
  deep = "deep";
  for (let i = 1; i <= 11; i++) {
    deep = join(deep, `level${i}`);
    chmodSync(join(root, deep), 0o755);
    utimesSync(join(root, deep, `f${i}.txt`), t, t);
    walk(deep);
  }
  chmodSync(join(root, "many"), 0o755);
  chmodSync(join(root, "deep"), 0o755);
  for (let i = 0; i < 300; i++) utimesSync(join(root, `many/file-${i}.dat`), t, t);
  for (const f of ["collide.txt", "COLLIDE.TXT", "collide.TXT", ".hidden", "no_ext", "empty", "big.bin", "Long Name With Spaces and ünïcödé — " + "x".repeat(150) + ".text"]) utimesSync(join(root, f), t, t);
  for (const rel of ["", "many", "deep"]) walk(rel);
  return root;
}

function memoryTree(): FileSystemImage {
  const image = new FileSystemImage({ date });
  image.volume.volumeId = "GOLDEN";
  for (let i = 0; i < 120; i++) image.addFile(`/wide/entry-with-a-rather-long-name-${i}.bin`, bytesFor(i, i * 37));
  image.addFile("/a/b/c.txt", new TextEncoder().encode("c\n"), { mode: 0o600, uid: 1000, gid: 100, hidden: true });
  image.addSymlink("/a/up", "../a/./b//c.txt");
  image.addDevice("/dev/null", "char", 1, 3);
  image.addDevice("/dev/sda", "block", 8, 0);
  image.addDevice("/dev/fifo", "fifo");
  image.addHardLink("/a/b/c-again.txt", "/a/b/c.txt");
  image.addDirectory("/empty-dir");
  return image;
}

describe("golden image digests", () => {
  it("disk tree, Rock Ridge 1.12 + Joliet, level 3", async () => {
    const image = new FileSystemImage({ date });
    image.addTree(diskTree());
    expect(await digest(image, { rockRidge: "1.12", joliet: true })).toBe("4b6dfec572ab609db6de6796c4bdfca3733f52e8da3712a0864c8e1eae058014");
  });

  it("disk tree, Rock Ridge 1.10, level 1999, Joliet 103", async () => {
    const image = new FileSystemImage({ date });
    image.addTree(diskTree());
    expect(await digest(image, { rockRidge: "1.10", level: "1999", joliet: { maxLength: 103 } })).toBe("eaa94ece63a81e93bd6f07b34330f8593126539858482b967efcf42b0d6f4074");
  });

  it("memory tree, level 1, no Joliet", async () => {
    expect(await digest(memoryTree(), { level: 1, joliet: false })).toBe("94a4411fdde86904adde775e48cae362d6b8ed29439c3c9440b8f5c7ce95be49");
  });

  it("memory tree, level 2, no Rock Ridge", async () => {
    expect(await digest(memoryTree(), { level: 2, rockRidge: false, joliet: true })).toBe("8e2ab4636a6d647371696c76e33d5f80d0713e1ddd04c4ce3d5c9655c8836b70");
  });
});
