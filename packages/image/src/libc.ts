/**
 * The few libc calls the image package makes through koffi (an optional dependency), loaded once
 * on first need: posix_fadvise for read-ahead (layout/readahead.ts), statx for file status
 * without Node's Stats objects, and open/pread/close for reading many small files (disk-io.ts). Undefined where they cannot be had (not Linux, no
 * koffi, a libc without them): callers then use node:fs as before.
 */
import { createRequire } from "node:module";
import type koffiModule from "koffi";

export interface Libc {
  posixFadvise(fd: number, offset: number, length: number, advice: number): number;
  /** statx(2): 0, or -1 with the reason in errno. `out` receives struct statx (256 bytes). */
  statx(dirfd: number, path: string, flags: number, mask: number, out: Uint8Array): number;
  open(path: string, flags: number): number;
  /** pread(2) into `target` (its whole length at most). */
  pread(fd: number, target: Uint8Array, length: number, position: number): number;
  close(fd: number): number;
}

let loaded: Libc | null | undefined;

export function loadLibc(): Libc | undefined {
  if (loaded === undefined) {
    loaded = null;
    if (process.platform === "linux") {
      try {
        const koffi = createRequire(import.meta.url)("koffi") as typeof koffiModule;
        // The prototypes below take file offsets as `long` (off_t): right only where long has 64 bits.
        if (koffi.sizeof("long") !== 8) return undefined;
        const lib = koffi.load("libc.so.6");
        loaded = {
          posixFadvise: lib.func("int posix_fadvise(int fd, int64_t offset, int64_t len, int advice)") as Libc["posixFadvise"],
          statx: lib.func("int statx(int dirfd, const char *path, int flags, unsigned int mask, _Out_ uint8_t *buf)") as Libc["statx"],
          open: lib.func("int open(const char *path, int flags)") as Libc["open"],
          pread: lib.func("long pread(int fd, void *buf, unsigned long count, long offset)") as Libc["pread"],
          close: lib.func("int close(int fd)") as Libc["close"],
        };
      } catch {
        // No koffi, or not glibc: node:fs does the work.
      }
    }
  }
  return loaded ?? undefined;
}
