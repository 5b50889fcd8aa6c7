/**
 * Loads the bundled CLI's CommonJS chunks (scripts/bundle-cli.ts) with a V8 code cache, so a run
 * after the first does not parse and compile again the code it runs: each chunk's bytecode,
 * including the functions the previous run compiled lazily, is read back from a cache file
 * (vm.Script's cachedData). Node 22 does this itself (module.enableCompileCache); Node 20 does
 * not, and ESM cannot be given a code cache there, hence CommonJS chunks and this loader.
 *
 * The cache is an optimisation and never changes what runs:
 * - a cache file records its chunk's path, length and CRC-32, the wrapper around it, and Node's
 *   version and architecture; any difference is a miss (V8 itself compares only the source's
 *   length);
 * - it also records the CRC-32 of V8's data, checked before V8 sees it: V8 checks its own header
 *   (version, flags, source length) but not the data, and damaged data crashes it;
 * - V8 refuses cached data made by another V8 or under other flags (`cachedDataRejected`), and the
 *   chunk is then compiled from its source;
 * - bytecode from a file someone else could write would be code run as this user, so the folder
 *   (created 0700) is used only when it is owned by this user and writable by nobody else, and
 *   every folder above it is owned by this user or root and writable by nobody else unless it is
 *   sticky (as /tmp is); the folder is then used by its real path, and nothing is made where that
 *   could not hold (root with another user's HOME). A cache file is read only when it is a plain
 *   file this user owns and no one else can write, opened without following a symbolic link or
 *   waiting on a FIFO. "This user" is the effective user. On Windows, which has no such owners
 *   and modes, the folder's access list protects it: the default, in %LOCALAPPDATA%, is private
 *   to its user;
 * - cache files are written whole and synced, then renamed into place, at exit, by the run that
 *   missed; a failure to write is ignored, as is a folder that cannot be made. Without
 *   zlib.crc32 (Node before 20.15) there is no cache.
 *
 * DISCFORGE_COMPILE_CACHE sets the folder; "off" (or "0", or empty) turns the cache off. By
 * default: $XDG_CACHE_HOME/discforge/compile-cache or ~/.cache/discforge/compile-cache
 * (%LOCALAPPDATA%\discforge\compile-cache on Windows).
 */
import { closeSync, constants, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, realpathSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { Script } from "node:vm";

/** "DFCC": the first bytes of a cache file. */
const MAGIC = 0x43434644;
/** Bumped when the header changes. */
const FORMAT = 2;
/** Magic, format, header length, CRC-32 of V8's data, source length (f64), source CRC-32, key length. */
const FIXED_HEADER = 32;
/** A larger file is not one of ours (they hold a few hundred kilobytes at most). */
const MAX_CACHE_FILE = 64 << 20;
/** Cache files are opened without following symbolic links, and without waiting on a FIFO (0 where the flag does not exist). */
const O_CACHE_READ = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** The folder named by the environment (see the header), or undefined when the cache is off or no folder can be named. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const set = env.DISCFORGE_COMPILE_CACHE;
  if (set !== undefined) return set === "" || set === "0" || set.toLowerCase() === "off" ? undefined : resolve(set);
  if (platform === "win32") return env.LOCALAPPDATA ? join(env.LOCALAPPDATA, "discforge", "compile-cache") : undefined;
  const base = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : env.HOME ? join(env.HOME, ".cache") : undefined;
  return base === undefined ? undefined : join(base, "discforge", "compile-cache");
}

/** The user this process acts as (its effective id), or undefined where there is none (Windows). */
function ownUid(): number | undefined {
  return typeof process.geteuid === "function" ? process.geteuid() : undefined;
}

const STICKY = 0o1000;

/** True when `path` and every folder above it (real paths) are owned by `uid` or root and writable by no one else unless sticky. */
function safeChain(path: string, uid: number): boolean {
  for (let at = path, up = dirname(at); ; at = up, up = dirname(up)) {
    const st = lstatSync(at);
    if ((st.uid !== uid && st.uid !== 0) || ((st.mode & 0o022) !== 0 && (st.mode & STICKY) === 0)) return false;
    if (up === at) return true;
  }
}

/** The real path of the nearest folder of `dir`'s path (itself included) that exists. */
function nearestExisting(dir: string): string {
  for (let at = dir; ; at = dirname(at)) {
    try {
      return realpathSync(at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || dirname(at) === at) throw error;
    }
  }
}

/**
 * Makes `dir` (0700) if it is missing. Returns its real path when no user but `uid` can change
 * what is in it or what its path leads to (see the header), else undefined. Nothing is made where
 * that could not hold, as under another user's home when root runs with that user's HOME.
 */
export function privateDir(dir: string, uid: number | undefined = ownUid()): string | undefined {
  try {
    if (uid !== undefined) {
      const base = nearestExisting(dir);
      if (!safeChain(base, uid)) return undefined;
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Links on the way are followed once, here; what is checked and then used is the real path.
    const real = realpathSync(dir);
    if (uid === undefined) return real;
    const st = lstatSync(real);
    if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o022) !== 0) return undefined;
    return safeChain(real, uid) ? real : undefined;
  } catch {
    return undefined;
  }
}

/** FNV-1a over UTF-16 code units, two 32-bit lanes: a file name for a key, not a security measure. */
function keyHash(key: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

type Crc32 = (data: Uint8Array) => number;

/** zlib's CRC-32 where Node has it (20.15 and later). */
function loadCrc32(): Crc32 | undefined {
  // Required here, not imported: only a run with a cache folder pays for loading zlib.
  const zlib = createRequire(import.meta.url)("node:zlib") as { crc32?: Crc32 };
  return typeof zlib.crc32 === "function" ? zlib.crc32 : undefined;
}

/** What a cache file must match: its key, and the chunk's length and CRC-32. */
interface ChunkIdentity {
  readonly key: string;
  readonly length: number;
  readonly crc: number;
}

/**
 * Header + V8's data. Layout (little-endian): magic u32, format u32, header length u32, CRC-32 of
 * V8's data u32, source length f64, source CRC-32 u32, key length u32, key (UTF-8), V8's data.
 */
function encodeCacheFile(id: ChunkIdentity, data: Uint8Array, crc32: Crc32): Uint8Array {
  const keyBytes = Buffer.from(id.key, "utf8");
  const out = new Uint8Array(FIXED_HEADER + keyBytes.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, FORMAT, true);
  view.setUint32(8, FIXED_HEADER + keyBytes.length, true);
  view.setUint32(12, crc32(data), true);
  view.setFloat64(16, id.length, true);
  view.setUint32(24, id.crc, true);
  view.setUint32(28, keyBytes.length, true);
  out.set(keyBytes, FIXED_HEADER);
  out.set(data, FIXED_HEADER + keyBytes.length);
  return out;
}

/** V8's data, whole, in a cache file made for this chunk, or undefined. */
function decodeCacheFile(file: Uint8Array, id: ChunkIdentity, crc32: Crc32): Buffer | undefined {
  if (file.length < FIXED_HEADER) return undefined;
  const view = new DataView(file.buffer, file.byteOffset, file.length);
  if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== FORMAT) return undefined;
  const headerLength = view.getUint32(8, true);
  const keyLength = view.getUint32(28, true);
  if (headerLength !== FIXED_HEADER + keyLength || headerLength > file.length) return undefined;
  if (view.getFloat64(16, true) !== id.length || view.getUint32(24, true) !== id.crc) return undefined;
  if (Buffer.from(file.buffer, file.byteOffset + FIXED_HEADER, keyLength).toString("utf8") !== id.key) return undefined;
  const data = Buffer.from(file.buffer, file.byteOffset + headerLength, file.length - headerLength);
  return crc32(data) === view.getUint32(12, true) ? data : undefined;
}

/** The whole of an open file, read into one buffer of its size. */
function readOpen(fd: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let got = 0;
  while (got < size) {
    const n = readSync(fd, buf, got, size - got, got);
    if (n === 0) break;
    got += n;
  }
  return got === size ? buf : buf.subarray(0, got);
}

/** The cache file's contents when it is a plain file (not a link to one) that only user `uid` can write, or undefined. */
function readOwned(path: string, uid: number | undefined): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, O_CACHE_READ);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_CACHE_FILE || (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0))) return undefined;
    return readOpen(fd, st.size);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** What each chunk's source is wrapped in, as Node's CommonJS loader does; one line, so line numbers in stack traces are the chunk's own. */
const WRAPPER_HEAD = "(function (exports, require, module, __filename, __dirname) {";
const WRAPPER_TAIL = "\n})";

type Wrapper = (exports: unknown, require: (id: string) => unknown, module: { exports: unknown }, filename: string, dirname: string) => void;

/** How a chunk's code was compiled. */
export type CacheOutcome = "used" | "missing" | "rejected" | "off";

interface Compiled {
  readonly file: string;
  readonly script: Script;
  readonly id: ChunkIdentity;
  readonly outcome: CacheOutcome;
}

export interface BundleLoaderOptions {
  /** Where cache files are kept; undefined for no cache. A folder that is not private (see privateDir) counts as undefined. */
  readonly cacheDir: string | undefined;
  /** The user who must own the folder and the cache files (default: this process's). */
  readonly uid?: number | undefined;
}

/**
 * Loads CommonJS files that require each other by relative paths ("./chunk-X.cjs"), and Node's
 * modules and packages by name, as Node's loader would, compiling each file once with its cache.
 */
export class BundleLoader {
  private readonly modules = new Map<string, { exports: unknown }>();
  private readonly compiled: Compiled[] = [];
  private readonly cacheDir: string | undefined;
  private readonly uid: number | undefined;
  private readonly crc32: Crc32 | undefined;

  constructor(options: BundleLoaderOptions) {
    this.uid = options.uid ?? ownUid();
    this.crc32 = options.cacheDir === undefined ? undefined : loadCrc32();
    this.cacheDir = this.crc32 && options.cacheDir !== undefined ? privateDir(options.cacheDir, this.uid) : undefined;
  }

  /** The exports of the CommonJS file at the absolute path `file`. */
  require(file: string): unknown {
    const known = this.modules.get(file);
    if (known) return known.exports;
    const bytes = readFileSync(file);
    const crc32 = this.crc32;
    // The wrapper is part of the source V8 compiles, so it is part of the key.
    const id: ChunkIdentity = { key: `${process.version}\0${process.arch}\0${WRAPPER_HEAD}\0${file}`, length: bytes.length, crc: crc32 ? crc32(bytes) : 0 };
    const cached = this.cacheDir === undefined ? undefined : readOwned(this.cacheFile(id.key), this.uid);
    const data = cached && decodeCacheFile(cached, id, crc32!);
    const script = new Script(`${WRAPPER_HEAD}${bytes.toString("utf8")}${WRAPPER_TAIL}`, { filename: file, cachedData: data });
    const outcome: CacheOutcome = this.cacheDir === undefined ? "off" : !data ? "missing" : script.cachedDataRejected ? "rejected" : "used";
    this.compiled.push({ file, script, id, outcome });
    const module = { exports: {} as unknown };
    this.modules.set(file, module);
    const here = dirname(file);
    const nodeRequire = createRequire(file);
    const localRequire = (request: string): unknown => (request.startsWith("./") || request.startsWith("../") ? this.require(resolve(here, request)) : nodeRequire(request));
    try {
      (script.runInThisContext() as Wrapper).call(module.exports, module.exports, localRequire, module, file, here);
    } catch (error) {
      // As Node's loader does: a file that failed is run again by the next require, not half done.
      this.modules.delete(file);
      throw error;
    }
    return module.exports;
  }

  /** Per file loaded so far: whether its cache was used. */
  outcomes(): ReadonlyMap<string, CacheOutcome> {
    return new Map(this.compiled.map((c) => [c.file, c.outcome]));
  }

  /**
   * Writes the cache of every file compiled without a usable one, with the bytecode of every
   * function compiled so far. Returns how many files were written. Best effort: a write that
   * fails leaves no file of its own behind and is not reported.
   */
  save(): number {
    const crc32 = this.crc32;
    if (this.cacheDir === undefined || !crc32) return 0;
    let written = 0;
    for (const c of this.compiled) {
      if (c.outcome === "used") continue;
      const target = this.cacheFile(c.id.key);
      const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      let made = false;
      try {
        const bytes = encodeCacheFile(c.id, c.script.createCachedData(), crc32);
        const fd = openSync(temporary, "wx", 0o600);
        made = true;
        try {
          for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
          // On disk before its name is: a crash leaves the old state or the whole file.
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(temporary, target);
        made = false;
        written++;
      } catch {
        if (made) {
          try {
            unlinkSync(temporary);
          } catch {
            // gone already
          }
        }
      }
    }
    return written;
  }

  private cacheFile(key: string): string {
    return join(this.cacheDir!, `${keyHash(key)}.v8`);
  }
}
