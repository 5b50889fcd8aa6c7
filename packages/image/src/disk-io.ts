/**
 * The file system calls made per file of a tree: lstat in the scan; open, fstat, pread and close
 * when a file is read. Node's lstatSync and fstatSync build a Stats object with four Dates and
 * fourteen numbers per call; statx(2) through koffi into one reused buffer gives the same numbers
 * (libuv takes them from statx too) in about half the time per call, and open/pread/close
 * through libc skip Node's argument handling. The first
 * FAST_AFTER calls go through node:fs, so small trees never load koffi. A call libc cannot answer
 * is made again through node:fs, so errors are Node's own; where statx does not work at all (not
 * Linux, no koffi, a sandbox that refuses it) node:fs does everything.
 */
import { closeSync, fstatSync, lstatSync, openSync, readSync, statSync } from "node:fs";
import { loadLibc, type Libc } from "./libc.js";

/** The part of Node's Stats the image package reads; Node's Stats objects are DiskStats too. */
export interface DiskStat {
  /** st_mode: type and permission bits. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly nlink: number;
  readonly size: number;
  readonly ino: number;
  /** Device numbers as glibc's makedev encodes them (as Node gives them). */
  readonly dev: number;
  readonly rdev: number;
  readonly atimeMs: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isFIFO(): boolean;
}

/** Calls made through node:fs before statx is tried. */
export const FAST_AFTER = 256;

const S_IFMT = 0o170000;
const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_EMPTY_PATH = 0x1000;
/** STATX_BASIC_STATS: type, mode, nlink, uid, gid, atime, mtime, ctime, ino, size, blocks. */
const STATX_BASIC_STATS = 0x7ff;

class StatxStat implements DiskStat {
  constructor(
    readonly mode: number,
    readonly uid: number,
    readonly gid: number,
    readonly nlink: number,
    readonly size: number,
    readonly ino: number,
    readonly dev: number,
    readonly rdev: number,
    readonly atimeMs: number,
    readonly mtimeMs: number,
    readonly ctimeMs: number,
  ) {}
  isFile(): boolean {
    return (this.mode & S_IFMT) === 0o100000;
  }
  isDirectory(): boolean {
    return (this.mode & S_IFMT) === 0o040000;
  }
  isSymbolicLink(): boolean {
    return (this.mode & S_IFMT) === 0o120000;
  }
  isCharacterDevice(): boolean {
    return (this.mode & S_IFMT) === 0o020000;
  }
  isBlockDevice(): boolean {
    return (this.mode & S_IFMT) === 0o060000;
  }
  isFIFO(): boolean {
    return (this.mode & S_IFMT) === 0o010000;
  }
}

// struct statx (linux/stat.h), read in the host's byte order: 32-bit words at these indexes.
const out = new Uint8Array(256);
const u32 = new Uint32Array(out.buffer);
const i32 = new Int32Array(out.buffer);
const u16 = new Uint16Array(out.buffer);
const TWO_32 = 2 ** 32;

/** glibc's makedev, in doubles: the value Node reports as dev and rdev. */
function makedev(major: number, minor: number): number {
  return (major & 0xfff) * 0x100 + (minor & 0xff) + Math.floor(minor / 0x100) * 2 ** 20 + Math.floor(major / 0x1000) * 2 ** 44;
}

/** Milliseconds of a statx_timestamp at word `w` (tv_sec, tv_nsec), as Node computes atimeMs and its kin. */
function ms(w: number): number {
  const sec = i32[w + 1]! * TWO_32 + u32[w]!;
  return sec * 1000 + u32[w + 2]! / 1_000_000;
}

function decode(): StatxStat | undefined {
  if ((u32[0]! & STATX_BASIC_STATS) !== STATX_BASIC_STATS) return undefined; // a file system that does not give them all
  return new StatxStat(u16[14]!, u32[5]!, u32[6]!, u32[4]!, u32[11]! * TWO_32 + u32[10]!, u32[9]! * TWO_32 + u32[8]!, makedev(u32[34]!, u32[35]!), makedev(u32[32]!, u32[33]!), ms(16), ms(28), ms(24));
}

/** lstat through statx: the status of `path` itself, or undefined when statx did not give it. */
export function statxLstat(libc: Libc, path: string): DiskStat | undefined {
  return libc.statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, out) === 0 ? decode() : undefined;
}

/** stat (following symbolic links) through statx, or undefined when statx did not give it. */
export function statxStat(libc: Libc, path: string): DiskStat | undefined {
  return libc.statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, out) === 0 ? decode() : undefined;
}

/** fstat through statx, or undefined when statx did not give it. */
export function statxFstat(libc: Libc, fd: number): DiskStat | undefined {
  return libc.statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, out) === 0 ? decode() : undefined;
}

let calls = 0;
/** undefined: not tried yet; null: not available or not working. */
let libc: Libc | null | undefined;
let forced: boolean | undefined;

/** Tests: true or false fixes the choice (statx or node:fs) from the first call; undefined restores the default. */
export function useStatx(on: boolean | undefined): void {
  forced = on;
  libc = undefined;
  calls = 0;
}

/** libc for `path`, if it is in use and the path is one C can hold (koffi would cut it at a NUL; Node refuses it). */
function fastFor(path: string): Libc | undefined {
  const l = fast();
  return l && !path.includes("\0") ? l : undefined;
}

function fast(): Libc | undefined {
  if (forced === false) return undefined;
  if (libc === undefined) {
    if (forced !== true && ++calls <= FAST_AFTER) return undefined;
    libc = loadLibc() ?? null;
  }
  return libc ?? undefined;
}

/** A statx call failed where node:fs then succeeded: statx does not work here, so stop using it. */
function statxBroken(): void {
  libc = null;
}

/** lstatSync's numbers for `path`. */
export function lstat(path: string): DiskStat {
  const l = fastFor(path);
  if (l) {
    const st = statxLstat(l, path);
    if (st) return st;
    const viaNode = lstatSync(path); // throws Node's error when the file is not there
    statxBroken();
    return viaNode;
  }
  return lstatSync(path);
}

/** statSync's numbers for `path` (links followed), or undefined when there is nothing there. */
export function stat(path: string): DiskStat | undefined {
  const l = fastFor(path);
  if (l) {
    const st = statxStat(l, path);
    if (st) return st;
  }
  return statSync(path, { throwIfNoEntry: false });
}

/** fstatSync's numbers for `fd`. */
export function fstat(fd: number): DiskStat {
  const l = fast();
  if (l) {
    const st = statxFstat(l, fd);
    if (st) return st;
    const viaNode = fstatSync(fd);
    statxBroken();
    return viaNode;
  }
  return fstatSync(fd);
}

/** O_RDONLY | O_CLOEXEC (Linux), as Node opens files for reading. */
const O_READ = 0o2000000;

/** openSync(path, "r"): through libc once statx is in use; a failure is repeated through node:fs for Node's error. */
export function openRead(path: string): number {
  const l = fastFor(path);
  if (l) {
    const fd = l.open(path, O_READ);
    if (fd >= 0) return fd;
  }
  return openSync(path, "r");
}

/** readSync(fd, target, offset, length, position), the same way. */
export function readAt(fd: number, target: Uint8Array, offset: number, length: number, position: number): number {
  const l = libc;
  if (l) {
    const into = target.subarray(offset, offset + length);
    // Only whole, in-bounds, integral ranges go to libc (which writes where it is told); node:fs
    // checks and reports the rest.
    if (into.length === length && Number.isSafeInteger(offset) && offset >= 0 && Number.isSafeInteger(position) && position >= 0) {
      const n = l.pread(fd, into, length, position);
      if (n >= 0) return n;
    }
  }
  return readSync(fd, target, offset, length, position);
}

const EBADF = 9;

/** closeSync(fd), the same way. */
export function closeFd(fd: number): void {
  const l = libc;
  if (!l) return closeSync(fd);
  // A descriptor that was not open is a bug to report, as closeSync does; any other failure
  // (EINTR, EIO) has released it already, and closing it again could close another file.
  if (l.close(fd) !== 0 && l.errno() === EBADF) closeSync(fd);
}
