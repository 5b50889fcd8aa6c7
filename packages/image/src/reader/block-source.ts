/**
 * Where an image is read from: anything that can read 2048-byte sectors by LBA. A file, bytes in
 * memory, and later a drive (READ(10) through the MMC layer) all fit this interface.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { MalformedDataError } from "@discforge/errors";
import { SourceUnreadableError } from "../errors.js";

export interface BlockSource {
  /** Number of readable sectors, when known (a file's size; a disc's capacity). */
  readonly sectorCount: number | undefined;
  /**
   * Reads `count` sectors from `lba`. Implementations return exactly count * 2048 bytes or throw;
   * a read past the end is a MalformedDataError (the image claims data that is not there).
   */
  readSectors(lba: number, count: number, options?: { readonly signal?: AbortSignal }): Promise<Uint8Array>;
  close?(): void | Promise<void>;
}

export const BLOCK_SIZE = 2048;

/** A file on disk (an .iso image or a block device). */
export class FileBlockSource implements BlockSource {
  readonly sectorCount: number | undefined;
  private constructor(
    private readonly fd: number,
    readonly path: string,
    size: number,
  ) {
    this.sectorCount = Math.floor(size / BLOCK_SIZE);
  }
  static open(path: string): FileBlockSource {
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch (cause) {
      throw new SourceUnreadableError(path, { cause });
    }
    try {
      return new FileBlockSource(fd, path, fstatSync(fd).size);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }
  async readSectors(lba: number, count: number): Promise<Uint8Array> {
    if (this.sectorCount !== undefined && lba + count > this.sectorCount) {
      throw new MalformedDataError("image", lba * BLOCK_SIZE, `read of ${count} sector(s) at LBA ${lba} passes the end (${this.sectorCount} sectors)`);
    }
    const out = Buffer.allocUnsafe(count * BLOCK_SIZE);
    let done = 0;
    while (done < out.length) {
      const n = readSync(this.fd, out, done, out.length - done, lba * BLOCK_SIZE + done);
      if (n === 0) throw new MalformedDataError("image", lba * BLOCK_SIZE + done, "unexpected end of file");
      done += n;
    }
    return out;
  }
  close(): void {
    closeSync(this.fd);
  }
}

/** An image held in memory. */
export class BytesBlockSource implements BlockSource {
  readonly sectorCount: number;
  constructor(
    private readonly bytes: Uint8Array,
    /** LBA of bytes[0] (a session image that starts at a later address). */
    private readonly firstLba = 0,
  ) {
    this.sectorCount = firstLba + Math.floor(bytes.length / BLOCK_SIZE);
  }
  async readSectors(lba: number, count: number): Promise<Uint8Array> {
    const start = (lba - this.firstLba) * BLOCK_SIZE;
    if (lba < this.firstLba || start + count * BLOCK_SIZE > this.bytes.length) {
      throw new MalformedDataError("image", lba * BLOCK_SIZE, `read of ${count} sector(s) at LBA ${lba} is outside the image`);
    }
    return this.bytes.slice(start, start + count * BLOCK_SIZE);
  }
}
