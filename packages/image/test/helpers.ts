/** Generated source trees, manifests and external-tool helpers shared by the image tests. */
import { createHash } from "node:crypto";
import { closeSync, ftruncateSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync, linkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { planImage, streamImage, type BlockSource, type FileSystemImage, type IsoPlanOptions } from "../src/index.js";

/**
 * The bytes of `image` planned with `options`, after `before` (an earlier session), as one plain
 * Uint8Array: its slice() copies, where a Buffer's gives a view of the original.
 */
export async function imageBytes(image: FileSystemImage, options: IsoPlanOptions = {}, before?: Uint8Array): Promise<Uint8Array> {
  const chunks: Uint8Array[] = before ? [before] : [];
  for await (const c of streamImage(planImage(image, options))) chunks.push(c);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** Counts the bytes a reader asks its source for: a hostile image must not make it read without bound. */
export class CountingSource implements BlockSource {
  requested = 0;
  constructor(private readonly inner: BlockSource) {}
  get sectorCount(): number | undefined {
    return this.inner.sectorCount;
  }
  async readSectors(lba: number, count: number): Promise<Uint8Array> {
    this.requested += count * 2048;
    return this.inner.readSectors(lba, count);
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `discforge-image-${prefix}-`));
}

export function removeDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/** Deterministic pseudo-random bytes (xorshift32) so contents differ per file and per run seed. */
export function bytesFor(seed: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export function write(path: string, data: Uint8Array | string): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, data);
}

/** A few files, a subdirectory, an empty file, a symlink and a hard link. */
export function genTiny(dir: string): void {
  write(join(dir, "hello.txt"), "hello, world\n");
  write(join(dir, "docs", "readme.md"), "# discforge\n");
  write(join(dir, "docs", "data.bin"), bytesFor(7, 10_000));
  write(join(dir, "empty"), new Uint8Array(0));
  mkdirSync(join(dir, "emptydir"));
  symlinkSync("docs/readme.md", join(dir, "link-to-readme"));
  linkSync(join(dir, "hello.txt"), join(dir, "docs", "hardlink.txt"));
}

/** `count` small files spread over directories of 100. */
export function genManySmall(dir: string, count: number, size: (i: number) => number = (i) => 1 + ((i * 7919) % 8000)): void {
  for (let i = 0; i < count; i++) {
    const d = join(dir, `d${String(Math.floor(i / 100)).padStart(3, "0")}`);
    if (i % 100 === 0) mkdirSync(d, { recursive: true });
    writeFileSync(join(d, `file-${i}.dat`), bytesFor(i + 1, size(i)));
  }
}

/** A chain of directories `depth` levels deep with a file at several levels. */
export function genDeep(dir: string, depth: number): void {
  let p = dir;
  for (let i = 1; i <= depth; i++) {
    p = join(p, `level${i}`);
    mkdirSync(p);
    if (i % 3 === 0 || i === depth) writeFileSync(join(p, `at-${i}.txt`), `depth ${i}\n`);
  }
  mkdirSync(join(dir, "level1", "side"));
  writeFileSync(join(dir, "level1", "side", "x"), "side\n");
}

/** Names that stress every mapping: Unicode, 255 bytes, 8.3 collisions, case, dots, spaces. */
export const TORTURE_NAMES = [
  "Ünïcödé café.txt",
  "日本語のファイル名.txt",
  "smile 😀 emoji.txt",
  "a".repeat(251) + ".txt",
  "é".repeat(127) + "x",
  "longfilename1.txt",
  "longfilename2.txt",
  "LONGFI~1.TXT",
  "longfilename.text.backup",
  "Readme",
  "README",
  "readme",
  ".hidden",
  "..double-dot",
  "a b c.txt",
  " leading space",
  "semi;colon",
  "many.dots.in.name.tar.gz",
  "UPPER.TXT",
  "upper.txt",
  "x".repeat(70) + ".txt",
  "x".repeat(70) + ".dat",
];

export function genTorture(dir: string): void {
  TORTURE_NAMES.forEach((name, i) => writeFileSync(join(dir, name), bytesFor(100 + i, 100 + i * 37)));
  mkdirSync(join(dir, "Sub Dir"));
  mkdirSync(join(dir, "sub dir"));
  writeFileSync(join(dir, "Sub Dir", "inner file"), "upper\n");
  writeFileSync(join(dir, "sub dir", "inner file"), "lower\n");
}

/** A sparse file of `size` bytes (all zeros, a hole): costs no disk. */
export function genSparse(path: string, size: number): void {
  const fd = openSync(path, "w");
  ftruncateSync(fd, size);
  closeSync(fd);
}

export interface ManifestEntry {
  readonly type: "file" | "directory" | "symlink";
  readonly size?: number;
  readonly sha256?: string;
  readonly target?: string;
  readonly mode?: number;
}
export type Manifest = Map<string, ManifestEntry>;

export function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Every path under `dir` (relative, "/"-separated, leading "/") with type, size, hash, target. */
export function manifest(dir: string, withMode = false): Manifest {
  const out: Manifest = new Map();
  const visit = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const r = `${rel}/${name}`;
      const st = lstatSync(p);
      const mode = withMode ? { mode: st.mode & 0o7777 } : {};
      if (st.isDirectory()) {
        out.set(r, { type: "directory", ...mode });
        visit(p, r);
      } else if (st.isSymbolicLink()) out.set(r, { type: "symlink", target: readlinkSync(p) });
      else out.set(r, { type: "file", size: st.size, sha256: sha256(readFileSync(p)), ...mode });
    }
  };
  visit(dir, "");
  return out;
}

/** Runs a tool and returns its raw stdout; throws with its output when it fails. */
export function runBinary(cmd: string, args: string[]): Buffer {
  const r = spawnSync(cmd, args, { maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${String(r.status)}\n${r.stderr.toString()}`);
  return r.stdout;
}

/** Runs a tool; throws with its output when it fails. */
export function run(cmd: string, args: string[], options: { cwd?: string; allowStatus?: number[] } = {}): { stdout: string; stderr: string; status: number } {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 256 << 20, ...(options.cwd ? { cwd: options.cwd } : {}) });
  if (r.error) throw r.error;
  const status = r.status ?? -1;
  if (status !== 0 && !(options.allowStatus ?? []).includes(status)) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${status}\n${r.stdout}\n${r.stderr}`);
  }
  return { stdout: r.stdout, stderr: r.stderr, status };
}

/** Fails loudly (never skips) when an external reference tool is missing. */
export function requireTool(cmd: string, debianPackage: string): string {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`required tool "${cmd}" is missing: install the Debian package ${debianPackage} (listed in scripts/system-packages.txt)`);
  return r.stdout.trim();
}

export function requirePycdlib(): void {
  const r = spawnSync("/usr/bin/python3", ["-c", "import pycdlib"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error("python3-pycdlib is missing: install the Debian package python3-pycdlib (listed in scripts/system-packages.txt)");
}

/** Deterministic pseudo-random bytes (a linear congruential generator's top byte per step). */
export function pattern(seed: number, size: number): Uint8Array {
  const b = new Uint8Array(size);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}
