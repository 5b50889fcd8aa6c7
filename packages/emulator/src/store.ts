/**
 * Where a virtual disc's user data lives: block LBA at byte offset LBA × 2048. The file store
 * keeps the file sparse (unwritten ranges are holes), so a finished single-session data disc file
 * is directly an ISO image.
 */
import { openSync, closeSync, readSync, writeSync, fstatSync, ftruncateSync, fsyncSync } from "node:fs";

export const SECTOR = 2048;

export interface DataStore {
  /** Reads `count` blocks; never-written blocks read as zeros. */
  read(lba: number, count: number): Uint8Array;
  /** Writes whole blocks at `lba`; `data.length` is a multiple of 2048. */
  write(lba: number, data: Uint8Array): void;
  /** Forgets `count` blocks from `lba` (they read as zeros again). */
  discard(lba: number, count: number): void;
  /** Makes the data end at block `blocks` (drops or zero-extends the tail). */
  truncate(blocks: number): void;
  /** Blocks from 0 to the last byte stored. */
  readonly sizeBlocks: number;
  flush(): void;
  close(): void;
}

const CHUNK_BLOCKS = 512; // 1 MiB chunks

/** Calls `each` for every chunk piece of blocks [lba, lba+count): chunk index, first block in it, blocks, blocks before it. */
function forEachChunk(lba: number, count: number, each: (ci: number, within: number, n: number, done: number) => void): void {
  let done = 0;
  while (done < count) {
    const at = lba + done;
    const ci = Math.floor(at / CHUNK_BLOCKS);
    const within = at - ci * CHUNK_BLOCKS;
    const n = Math.min(count - done, CHUNK_BLOCKS - within);
    each(ci, within, n, done);
    done += n;
  }
}

/** Keeps data in memory, 1 MiB chunks allocated on first write. For tests and benchmarks. */
export class MemoryStore implements DataStore {
  private readonly chunks = new Map<number, Uint8Array>();
  private end = 0;

  get sizeBlocks(): number {
    return this.end;
  }

  read(lba: number, count: number): Uint8Array {
    const out = new Uint8Array(count * SECTOR);
    forEachChunk(lba, count, (ci, within, n, done) => {
      const chunk = this.chunks.get(ci);
      if (chunk) out.set(chunk.subarray(within * SECTOR, (within + n) * SECTOR), done * SECTOR);
    });
    return out;
  }

  write(lba: number, data: Uint8Array): void {
    const count = data.length / SECTOR;
    forEachChunk(lba, count, (ci, within, n, done) => {
      let chunk = this.chunks.get(ci);
      if (!chunk) {
        chunk = new Uint8Array(CHUNK_BLOCKS * SECTOR);
        this.chunks.set(ci, chunk);
      }
      chunk.set(data.subarray(done * SECTOR, (done + n) * SECTOR), within * SECTOR);
    });
    this.end = Math.max(this.end, lba + count);
  }

  discard(lba: number, count: number): void {
    forEachChunk(lba, count, (ci, within, n) => this.chunks.get(ci)?.fill(0, within * SECTOR, (within + n) * SECTOR));
    if (lba + count >= this.end) this.end = Math.min(this.end, lba);
  }

  truncate(blocks: number): void {
    for (const ci of [...this.chunks.keys()]) if (ci * CHUNK_BLOCKS >= blocks) this.chunks.delete(ci);
    const ci = Math.floor(blocks / CHUNK_BLOCKS);
    this.chunks.get(ci)?.fill(0, (blocks - ci * CHUNK_BLOCKS) * SECTOR);
    this.end = blocks;
  }

  flush(): void {}
  close(): void {}
}

/** A sparse file on disk. Synchronous I/O: each command is one pread/pwrite, as a drive would do. */
export class FileStore implements DataStore {
  private fd: number | undefined;
  private end: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, "r+");
    this.end = Math.ceil(fstatSync(this.fd).size / SECTOR);
  }

  /** Creates an empty file (or truncates an existing one) and opens it. */
  static create(path: string): FileStore {
    closeSync(openSync(path, "w"));
    return new FileStore(path);
  }

  private get handle(): number {
    if (this.fd === undefined) throw new Error(`${this.path}: store closed`);
    return this.fd;
  }

  get sizeBlocks(): number {
    return this.end;
  }

  read(lba: number, count: number): Uint8Array {
    const out = new Uint8Array(count * SECTOR);
    let got = 0;
    while (got < out.length) {
      const n = readSync(this.handle, out, got, out.length - got, lba * SECTOR + got);
      if (n === 0) break; // past end of file: zeros
      got += n;
    }
    return out;
  }

  write(lba: number, data: Uint8Array): void {
    let put = 0;
    while (put < data.length) put += writeSync(this.handle, data, put, data.length - put, lba * SECTOR + put);
    this.end = Math.max(this.end, lba + data.length / SECTOR);
  }

  discard(lba: number, count: number): void {
    if (lba + count >= this.end) {
      this.truncate(Math.min(lba, this.end));
      return;
    }
    this.write(lba, new Uint8Array(count * SECTOR));
  }

  truncate(blocks: number): void {
    ftruncateSync(this.handle, blocks * SECTOR);
    this.end = blocks;
  }

  flush(): void {
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Bytes per CD-DA block (ECMA-130 14: one sector of 98 frames × 24 bytes). */
export const CDDA_BLOCK = 2352;

/**
 * CD-DA blocks of audio tracks, at LBA × 2352: kept in memory, or in a sparse side file
 * (`<path>.cdda`) for file-backed discs. Never-written blocks read as digital silence.
 */
export class AudioStore {
  private readonly blocks = new Map<number, Uint8Array>();
  constructor(readonly path?: string) {}

  read(lba: number): Uint8Array {
    if (this.path === undefined) return this.blocks.get(lba)?.slice() ?? new Uint8Array(CDDA_BLOCK);
    const out = new Uint8Array(CDDA_BLOCK);
    let fd: number;
    try {
      fd = openSync(this.path, "r");
    } catch {
      return out;
    }
    try {
      readSync(fd, out, 0, CDDA_BLOCK, lba * CDDA_BLOCK);
    } finally {
      closeSync(fd);
    }
    return out;
  }

  /** Writes whole 2352-byte blocks from `lba` on. */
  write(lba: number, data: Uint8Array): void {
    if (this.path === undefined) {
      for (let i = 0; i * CDDA_BLOCK < data.length; i++) this.blocks.set(lba + i, data.slice(i * CDDA_BLOCK, (i + 1) * CDDA_BLOCK));
      return;
    }
    const fd = openSync(this.path, "a+");
    closeSync(fd);
    const w = openSync(this.path, "r+");
    try {
      let put = 0;
      while (put < data.length) put += writeSync(w, data, put, data.length - put, lba * CDDA_BLOCK + put);
    } finally {
      closeSync(w);
    }
  }

  /** Forgets every block (BLANK). */
  clear(): void {
    this.blocks.clear();
    if (this.path !== undefined) {
      try {
        const fd = openSync(this.path, "r+");
        ftruncateSync(fd, 0);
        closeSync(fd);
      } catch {
        // no side file yet
      }
    }
  }
}
