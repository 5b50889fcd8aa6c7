/**
 * What a burn writes: a declared length and a stream of bytes (IMAPI's IStream), optionally with
 * the block ranges that changed (IMAPI's IBlockRangeList) and the LBA the data was built for (a
 * multisession image is made for the next writable address; an image grown in place starts at 0).
 * The burn engine knows nothing else about where the bytes come from.
 */
import { createReadStream, statSync } from "node:fs";
import { resolve } from "node:path";
import { InvalidArgumentError } from "@discforge/errors";

export const SECTOR = 2048;

/** Inclusive-exclusive range of sectors, relative to LBA 0 of the disc. */
export interface BlockRange {
  readonly start: number;
  /** Sectors. */
  readonly length: number;
}

export interface BurnSource {
  /** Total bytes the stream yields; must be a multiple of 2048. */
  readonly byteLength: number;
  /** A fresh pass over the bytes. Repeatable sources may be opened again (full verify reads them twice). */
  open(): AsyncIterable<Uint8Array>;
  /** False when open() works only once (a pipe); full verification then compares digests. */
  readonly repeatable: boolean;
  /**
   * The LBA the data was made for. Sequential media: must equal the next writable address (an
   * ISO made for another address would not mount). Overwritable media: the stream's first sector
   * goes here (default 0).
   */
  readonly startLba?: number;
  /** Overwritable media: only these ranges (absolute LBAs) are written; the rest is skipped. */
  readonly changedRanges?: readonly BlockRange[];
  /** For messages. */
  readonly description?: string;
  /**
   * Names the bytes across source objects (a file: path, size and modification time), so what a
   * burn learnt about the source's rate applies when the same bytes are burned again.
   */
  readonly identity?: string;
}

/** A source over bytes in memory. */
export function bytesSource(bytes: Uint8Array, options: { readonly startLba?: number; readonly changedRanges?: readonly BlockRange[]; readonly chunkBytes?: number } = {}): BurnSource {
  const chunk = options.chunkBytes ?? 1024 * 1024;
  return {
    byteLength: bytes.length,
    repeatable: true,
    description: `${bytes.length} bytes in memory`,
    ...(options.startLba !== undefined ? { startLba: options.startLba } : {}),
    ...(options.changedRanges ? { changedRanges: options.changedRanges } : {}),
    async *open() {
      for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, Math.min(bytes.length, at + chunk));
    },
  };
}

/** A source over a file (an ISO image); read in 1 MiB chunks. */
export function fileSource(path: string, options: { readonly startLba?: number; readonly changedRanges?: readonly BlockRange[] } = {}): BurnSource {
  const st = statSync(path);
  const size = st.size;
  return {
    byteLength: size,
    repeatable: true,
    description: path,
    identity: `file:${resolve(path)}:${size}:${st.mtimeMs}`,
    ...(options.startLba !== undefined ? { startLba: options.startLba } : {}),
    ...(options.changedRanges ? { changedRanges: options.changedRanges } : {}),
    async *open() {
      for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) yield chunk as Uint8Array;
    },
  };
}

/** A one-pass source (a generator, a pipe): can be burned once; full verify uses digests. */
export function iterableSource(byteLength: number, iterable: AsyncIterable<Uint8Array>, options: { readonly startLba?: number; readonly description?: string } = {}): BurnSource {
  let used = false;
  return {
    byteLength,
    repeatable: false,
    description: options.description ?? "stream",
    ...(options.startLba !== undefined ? { startLba: options.startLba } : {}),
    open() {
      if (used) throw new InvalidArgumentError("source", "this stream can be read only once; stage it to a file to read it again");
      used = true;
      return iterable;
    },
  };
}

/** Normalises and checks ranges: sorted, merged, inside the stream. */
export function normaliseRanges(ranges: readonly BlockRange[], firstLba: number, sectors: number): BlockRange[] {
  const sorted = [...ranges].filter((r) => r.length > 0).sort((a, b) => a.start - b.start);
  const out: { start: number; length: number }[] = [];
  for (const r of sorted) {
    if (!Number.isInteger(r.start) || !Number.isInteger(r.length) || r.start < firstLba || r.start + r.length > firstLba + sectors) {
      throw new InvalidArgumentError("changedRanges", `range ${r.start}+${r.length} lies outside the stream (LBA ${firstLba}..${firstLba + sectors - 1})`);
    }
    const last = out.at(-1);
    if (last && r.start <= last.start + last.length) last.length = Math.max(last.length, r.start + r.length - last.start);
    else out.push({ start: r.start, length: r.length });
  }
  return out;
}
