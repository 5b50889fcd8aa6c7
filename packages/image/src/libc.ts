/**
 * The few libc calls the image package makes through koffi (an optional dependency), each group
 * bound once on first need: posix_fadvise for read-ahead (layout/readahead.ts), and statx, open,
 * pread and close for the per-file calls of a tree (disk-io.ts). Undefined where they cannot be
 * had (not Linux, no koffi, a libc without them, long not 64 bits): callers then use node:fs.
 */
import { createRequire } from "node:module";
import type koffiModule from "koffi";

/** The per-file calls of disk-io.ts. */
export interface Libc {
  /** statx(2): 0, or -1 with the reason in errno. `out` receives struct statx (256 bytes). */
  statx(dirfd: number, path: string, flags: number, mask: number, out: Uint8Array): number;
  open(path: string, flags: number): number;
  /** pread(2) into `target` (its whole length at most). */
  pread(fd: number, target: Uint8Array, length: number, position: number): number;
  close(fd: number): number;
  /** errno of the last call that failed. */
  errno(): number;
}

type Library = ReturnType<typeof koffiModule.load>;

let library: { koffi: typeof koffiModule; lib: Library } | null | undefined;

function libcLibrary(): { koffi: typeof koffiModule; lib: Library } | undefined {
  if (library === undefined) {
    library = null;
    if (process.platform === "linux") {
      try {
        const koffi = createRequire(import.meta.url)("koffi") as typeof koffiModule;
        // The prototypes take file offsets as `long` (off_t): right only where long has 64 bits.
        if (koffi.sizeof("long") === 8) library = { koffi, lib: koffi.load("libc.so.6") };
      } catch {
        // No koffi, or no glibc: node:fs does the work.
      }
    }
  }
  return library ?? undefined;
}

let fileCalls: Libc | null | undefined;

export function loadLibc(): Libc | undefined {
  if (fileCalls === undefined) {
    fileCalls = null;
    const l = libcLibrary();
    if (l) {
      try {
        fileCalls = {
          statx: l.lib.func("int statx(int dirfd, const char *path, int flags, unsigned int mask, _Out_ uint8_t *buf)") as Libc["statx"],
          // open(2) is variadic for its mode, which is only read with O_CREAT: never passed here.
          open: l.lib.func("int open(const char *path, int flags)") as Libc["open"],
          pread: l.lib.func("long pread(int fd, void *buf, unsigned long count, long offset)") as Libc["pread"],
          close: l.lib.func("int close(int fd)") as Libc["close"],
          errno: () => l.koffi.errno(),
        };
      } catch {
        // A libc without statx (glibc before 2.28): node:fs.
      }
    }
  }
  return fileCalls ?? undefined;
}

let fadvise: ((fd: number, offset: number, length: number, advice: number) => number) | null | undefined;

/** posix_fadvise(2), or undefined. */
export function loadPosixFadvise(): ((fd: number, offset: number, length: number, advice: number) => number) | undefined {
  if (fadvise === undefined) {
    fadvise = null;
    const l = libcLibrary();
    if (l) {
      try {
        fadvise = l.lib.func("int posix_fadvise(int fd, long offset, long len, int advice)") as (fd: number, offset: number, length: number, advice: number) => number;
      } catch {
        // Not there: no read-ahead hints.
      }
    }
  }
  return fadvise ?? undefined;
}
