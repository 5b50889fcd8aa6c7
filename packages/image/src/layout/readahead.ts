/**
 * Read-ahead for small files whose pages are not in the page cache. Read one after another, each
 * such file costs a full disk round trip (`pnpm bench iso.bench`, 20,000 files of 4 KB, cold
 * cache: genisoimage 2.0-2.5 s, against 0.43 s warm). posix_fadvise(POSIX_FADV_WILLNEED) on the
 * descriptors of the next files queues their reads without waiting, so the disk serves many at
 * once while the writer copies the current one (the same benchmark: discforge 0.8 s cold), on one
 * thread, with no copies.
 *
 * It switches itself on: while it is off, one small file in TIME_EVERY is timed, and only when
 * they keep taking disk time is libc loaded (through koffi) and the window opened. Files already
 * in the cache cost a clock read per TIME_EVERY files. Where posix_fadvise is unavailable (not
 * Linux, no koffi) files are read as before.
 */
import { closeSync, openSync } from "node:fs";
import type { ContentReader, PathContent } from "../content.js";
import { fstat, stat, type DiskStat } from "../disk-io.js";
import { loadPosixFadvise } from "../libc.js";

/** Starts the reads of a whole open file without waiting for them. */
export type WillNeed = (fd: number) => void;

const POSIX_FADV_WILLNEED = 3; // Linux <fcntl.h>

/** posix_fadvise(fd, 0, 0, WILLNEED) through koffi, or undefined where it cannot be had. */
export function loadWillNeed(): WillNeed | undefined {
  const fadvise = loadPosixFadvise();
  // The advice is a hint: an error (e.g. ESPIPE) only means no read-ahead for that file.
  return fadvise ? (fd) => void fadvise(fd, 0, 0, POSIX_FADV_WILLNEED) : undefined;
}

export interface ReadAheadOptions {
  /** "auto" (default): switch on when small files keep waiting on the disk; true: from the start; false: never. */
  readonly mode?: boolean | "auto";
  /** The hint (tests inject one); default posix_fadvise through koffi, loaded when first needed. */
  readonly willNeed?: () => WillNeed | undefined;
  /** Clock in milliseconds (tests inject one). */
  readonly now?: () => number;
  /** Opens a file for reading (tests inject failures); default openSync(path, "r"). */
  readonly open?: (path: string) => number;
}

/** Files at most this large are read ahead; larger ones stream well on the kernel's own read-ahead. */
export const READ_AHEAD_MAX_FILE = 1 << 20;
/** Files open ahead of the writer at most, and their bytes at most. */
export const READ_AHEAD_FILES = 128;
export const READ_AHEAD_BYTES = 32 << 20;
/**
 * A small file whose open and first read took longer than SLOW_FILE_MS plus its bytes at
 * CACHED_BYTES_PER_MS waited on the disk (cached here: a 4 KB file ~5 us, 256 KB ~48 us; from
 * the disk ~80 us and more).
 */
export const SLOW_FILE_MS = 0.05;
export const CACHED_BYTES_PER_MS = 1_000_000;
/** One small file in this many is timed (a clock read costs ~0.16 us: 6 ms over 20,000 files timed twice). */
export const TIME_EVERY = 8;
/** Slow small files, among the last `DETECT_WINDOW` timed, that switch read-ahead on. */
export const SLOW_FILES_TO_SWITCH = 8;
export const DETECT_WINDOW = 64;

interface Ahead {
  readonly fd: number;
  readonly source: PathContent;
}

/**
 * Opens the sources of `files` (in the order the writer takes them) ahead of it. `reader(i)`
 * gives file i's reader if it was opened ahead (or undefined: the writer opens it as usual), and
 * `timed(ms, bytes)` reports how long an in-place file took. `close()` closes whatever is still open.
 */
export class ReadAhead {
  private readonly opened = new Map<number, Ahead>();
  private nextToOpen = 0;
  private aheadBytes = 0;
  private willNeed: WillNeed | undefined;
  private state: "watching" | "on" | "off";
  /** Timed small files, as a ring of 0/1 (slow) flags, and how many are slow. */
  private readonly recent = new Uint8Array(DETECT_WINDOW);
  private recentAt = 0;
  private slowCount = 0;
  readonly now: () => number;

  constructor(
    private readonly sources: readonly (PathContent | undefined)[],
    private readonly options: ReadAheadOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    const mode = options.mode ?? "auto";
    this.state = mode === false || !sources.some((s) => s && s.size <= READ_AHEAD_MAX_FILE) ? "off" : "watching";
    if (mode === true && this.state === "watching") this.switchOn();
  }

  /** Read-ahead is running (files are being opened ahead). */
  get active(): boolean {
    return this.state === "on";
  }

  /** Whether file i is to be timed (one small file on disk in TIME_EVERY, while still watching). */
  watching(i: number): boolean {
    if (this.state !== "watching" || i % TIME_EVERY !== 0) return false;
    const s = this.sources[i];
    return s !== undefined && s.size <= READ_AHEAD_MAX_FILE;
  }

  /** An in-place small file took `ms` to open and read `bytes`: a slow run of them switches read-ahead on. */
  timed(ms: number, bytes: number): void {
    if (this.state !== "watching") return;
    const slow = ms > SLOW_FILE_MS + bytes / CACHED_BYTES_PER_MS ? 1 : 0;
    this.slowCount += slow - this.recent[this.recentAt]!;
    this.recent[this.recentAt] = slow;
    this.recentAt = (this.recentAt + 1) % DETECT_WINDOW;
    if (this.slowCount >= SLOW_FILES_TO_SWITCH) this.switchOn();
  }

  private switchOn(): void {
    this.willNeed = (this.options.willNeed ?? loadWillNeed)();
    this.state = this.willNeed ? "on" : "off";
  }

  /** File i's reader if it was opened ahead; tops the window up first. */
  reader(i: number): ContentReader | undefined {
    if (this.state !== "on") return undefined;
    if (this.nextToOpen <= i) this.nextToOpen = i; // files before i were opened in place
    this.fill(i);
    const a = this.opened.get(i);
    if (!a) return undefined;
    this.opened.delete(i);
    this.aheadBytes -= a.source.size;
    // Opened early, the descriptor may hold a file the path no longer names (removed, or replaced
    // by a rename): then it is opened in place like any other, with the same outcome as without read-ahead.
    let opened: DiskStat | undefined;
    let named: DiskStat | undefined;
    try {
      opened = fstat(a.fd);
      named = stat(a.source.path);
    } catch {
      // Reported by the in-place open.
    }
    if (!opened || !named || opened.ino !== named.ino || opened.dev !== named.dev) {
      closeSync(a.fd);
      return undefined;
    }
    return a.source.readerOf(a.fd, opened);
  }

  private fill(i: number): void {
    while (this.nextToOpen < this.sources.length && this.nextToOpen < i + READ_AHEAD_FILES) {
      const k = this.nextToOpen;
      const s = this.sources[k];
      if (s && s.size <= READ_AHEAD_MAX_FILE) {
        if (this.aheadBytes + s.size > READ_AHEAD_BYTES && this.opened.size > 0) return;
        let fd: number;
        try {
          fd = this.options.open ? this.options.open(s.path) : openSync(s.path, "r");
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === "EMFILE" || code === "ENFILE") {
            // Out of descriptors: the files opened ahead would starve the writer's own opens.
            this.close();
            this.state = "off";
            return;
          }
          // Opened again in place, where the error is reported for the file it belongs to.
          this.nextToOpen++;
          continue;
        }
        this.willNeed!(fd);
        this.opened.set(k, { fd, source: s });
        this.aheadBytes += s.size;
      }
      this.nextToOpen++;
    }
  }

  close(): void {
    for (const a of this.opened.values()) closeSync(a.fd);
    this.opened.clear();
    this.aheadBytes = 0;
  }
}
