/**
 * File contents: where the bytes of a file come from. Contents are read lazily, at write time,
 * and each source checks that it still delivers exactly the size that was planned.
 */
import { statSync } from "node:fs";
import { InvalidArgumentError } from "@discforge/errors";
import { SourceChangedError, SourceUnreadableError } from "./errors.js";
import { closeFd, fstat, openRead, readAt } from "./disk-io.js";

/** What a content source may look at while producing bytes (planned extents, for generated data). */
export interface ContentContext {
  /** First LBA of the extent planned for this content. */
  readonly lba: number;
  /** Looks up the planned extent of another file's content (e.g. for a boot info table). */
  readonly signal?: AbortSignal;
}

/** An open content: `read` fills `target[offset, offset+length)` and returns bytes read (0 at end). */
export interface ContentReader {
  read(target: Uint8Array, offset: number, length: number): number | Promise<number>;
  close(): void | Promise<void>;
}

export interface ContentSource {
  /** Exact size in bytes, fixed at planning time. */
  readonly size: number;
  /** For errors and progress: a path or a description. */
  readonly description: string;
  /** Re-checks the source just before planning (e.g. stat); throws a typed error if unusable. */
  check?(): void;
  open(ctx: ContentContext): ContentReader | Promise<ContentReader>;
}

/** A file on disk; size and modification time are captured now and verified on read. */
export class PathContent implements ContentSource {
  readonly description: string;
  constructor(
    readonly path: string,
    readonly size: number,
    readonly mtimeMs: number,
  ) {
    this.description = path;
  }

  static fromPath(path: string): PathContent {
    let st;
    try {
      st = statSync(path);
    } catch (cause) {
      throw new SourceUnreadableError(path, { cause });
    }
    if (!st.isFile()) throw new InvalidArgumentError("file", `${path} is not a regular file`);
    return new PathContent(path, st.size, st.mtimeMs);
  }

  check(): void {
    let st;
    try {
      st = statSync(this.path);
    } catch (cause) {
      throw new SourceUnreadableError(this.path, { cause });
    }
    this.verify(st.size, st.mtimeMs);
  }

  private verify(size: number, mtimeMs: number): void {
    const e = PathContent.changeError(this.path, this.size, this.mtimeMs, size, mtimeMs);
    if (e) throw e;
  }

  /** The error for a file whose size or modification time is no longer the planned one, if it changed. */
  static changeError(path: string, plannedSize: number, plannedMtimeMs: number, size: number, mtimeMs: number): SourceChangedError | undefined {
    if (size !== plannedSize) return new SourceChangedError(path, `size changed from ${plannedSize} to ${size} bytes`);
    if (mtimeMs !== plannedMtimeMs) return new SourceChangedError(path, `modified after it was added (mtime ${plannedMtimeMs} -> ${mtimeMs})`);
    return undefined;
  }

  open(): ContentReader {
    let fd: number;
    try {
      fd = openRead(this.path);
    } catch (cause) {
      throw new SourceUnreadableError(this.path, { cause });
    }
    return this.readerOf(fd);
  }

  private statOpened(fd: number): { readonly size: number; readonly mtimeMs: number } {
    try {
      return fstat(fd);
    } catch (cause) {
      throw new SourceUnreadableError(this.path, { cause });
    }
  }

  /**
   * Reads the whole file into `target` at `offset`: open, check against the plan, read, close,
   * with no reader object (the writer's path for small files, thousands per image). Returns the
   * bytes read: fewer than `size` when the file ended early.
   */
  readWhole(target: Uint8Array, offset: number): number {
    let opened: number;
    try {
      opened = openRead(this.path);
    } catch (cause) {
      throw new SourceUnreadableError(this.path, { cause });
    }
    try {
      const st = this.statOpened(opened);
      this.verify(st.size, st.mtimeMs);
      let done = 0;
      while (done < this.size) {
        let n: number;
        try {
          n = readAt(opened, target, offset + done, this.size - done, done);
        } catch (cause) {
          throw new SourceUnreadableError(this.path, { cause });
        }
        if (n === 0) break;
        done += n;
      }
      return done;
    } finally {
      closeFd(opened);
    }
  }

  /**
   * The reader of this file already opened as `fd` (read-ahead opens files early): verified
   * against the plan now (`st`: its fstat, if taken already), closing `fd` if it no longer matches.
   */
  readerOf(fd: number, st?: { readonly size: number; readonly mtimeMs: number }): ContentReader {
    try {
      if (!st) st = this.statOpened(fd);
      this.verify(st.size, st.mtimeMs);
    } catch (e) {
      closeFd(fd);
      throw e;
    }
    let pos = 0;
    const path = this.path;
    return {
      read(target, offset, length) {
        try {
          const n = readAt(fd, target, offset, length, pos);
          pos += n;
          return n;
        } catch (cause) {
          throw new SourceUnreadableError(path, { cause });
        }
      },
      close() {
        closeFd(fd);
      },
    };
  }
}

/** Bytes held in memory. */
export class BytesContent implements ContentSource {
  readonly size: number;
  constructor(
    readonly bytes: Uint8Array,
    readonly description = "(bytes)",
  ) {
    this.size = bytes.length;
  }
  open(): ContentReader {
    let pos = 0;
    const bytes = this.bytes;
    return {
      read(target, offset, length) {
        const n = Math.min(length, bytes.length - pos);
        target.set(bytes.subarray(pos, pos + n), offset);
        pos += n;
        return n;
      },
      close() {},
    };
  }
}

/** Anything that yields byte chunks: an AsyncIterable (Node Readable, web stream) or an Iterable. */
export type ChunkSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/**
 * A stream factory with a declared size. The factory is called once per write; a stream that
 * ends early or delivers more than `size` bytes fails the write with SourceChangedError.
 */
export class StreamContent implements ContentSource {
  constructor(
    readonly size: number,
    readonly factory: () => ChunkSource | Promise<ChunkSource>,
    readonly description = "(stream)",
  ) {
    if (!Number.isSafeInteger(size) || size < 0) throw new InvalidArgumentError("size", `${size} is not a byte count`);
  }
  async open(): Promise<ContentReader> {
    const src = await this.factory();
    const it: Iterator<Uint8Array> | AsyncIterator<Uint8Array> = Symbol.asyncIterator in src ? src[Symbol.asyncIterator]() : (src as Iterable<Uint8Array>)[Symbol.iterator]();
    let pending: Uint8Array = new Uint8Array(0);
    let done = false;
    let total = 0;
    const declared = this.size;
    const description = this.description;
    return {
      async read(target, offset, length) {
        while (pending.length === 0 && !done) {
          const r = await it.next();
          if (r.done) done = true;
          else {
            pending = r.value;
            total += r.value.length;
            if (total > declared) throw new SourceChangedError(description, `stream delivered more than the declared ${declared} bytes`);
          }
        }
        const n = Math.min(length, pending.length);
        target.set(pending.subarray(0, n), offset);
        pending = pending.subarray(n);
        return n;
      },
      async close() {
        // A stream that still has bytes after the declared size is as wrong as a short one.
        while (!done && pending.length === 0) {
          const r = await it.next();
          if (r.done) done = true;
          else if (r.value.length > 0) {
            await it.return?.();
            throw new SourceChangedError(description, `stream delivered more than the declared ${declared} bytes`);
          }
        }
        if (pending.length > 0) throw new SourceChangedError(description, `stream delivered more than the declared ${declared} bytes`);
      },
    };
  }
}

/** Reads zeros: for sparse or placeholder content. */
export class ZeroContent implements ContentSource {
  constructor(
    readonly size: number,
    readonly description = "(zeros)",
  ) {}
  open(): ContentReader {
    let left = this.size;
    return {
      read(target, offset, length) {
        const n = Math.min(length, left);
        target.fill(0, offset, offset + n);
        left -= n;
        return n;
      },
      close() {},
    };
  }
}

/**
 * Content already recorded in an earlier session at `lba` (multisession). The planner keeps the
 * extent where it is and writes nothing for it.
 */
export class RecordedContent implements ContentSource {
  constructor(
    readonly size: number,
    /** Extents of the earlier recording: one per multi-extent section. */
    readonly extents: readonly { readonly lba: number; readonly length: number }[],
    readonly description = "(recorded)",
  ) {}
  open(): ContentReader {
    throw new InvalidArgumentError("content", `${this.description} is recorded in an earlier session and is not rewritten`);
  }
}
