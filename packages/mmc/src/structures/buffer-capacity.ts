/**
 * READ BUFFER CAPACITY response data (MMC-6 6.18.3). With BLOCK = 0 the drive reports the
 * length of its buffer and the blank (free) length, both in bytes; with BLOCK = 1 it reports
 * the available length in blocks and echoes the BLOCK bit in byte 3.
 */
import { ByteWriter } from "@discforge/bytes";
import { MalformedDataError } from "@discforge/errors";
import { bit, lengthPrefixed, u8At, u32At, uint, type Codec, type MaybeTruncated } from "./codec.js";

export interface BufferCapacityBytes extends MaybeTruncated {
  /** Bytes. */
  readonly lengthOfBuffer: number;
  /** Bytes not yet holding data to be written. */
  readonly blankLengthOfBuffer: number;
}

export interface BufferCapacityBlocks extends MaybeTruncated {
  /** Blocks the buffer can accept now. */
  readonly availableLengthOfBuffer: number;
}

const BYTES = "READ BUFFER CAPACITY response (BLOCK=0)";
const BLOCKS = "READ BUFFER CAPACITY response (BLOCK=1)";

export const bufferCapacityBytesCodec: Codec<BufferCapacityBytes> = {
  structure: BYTES,
  decode(bytes) {
    const { reader: r, truncated } = lengthPrefixed(bytes, BYTES, 2, 12);
    return { lengthOfBuffer: u32At(r, 4), blankLengthOfBuffer: u32At(r, 8), ...(truncated === undefined ? {} : { truncated }) };
  },
  encode(v) {
    const w = new ByteWriter(12);
    w.u16be(10).skip(2).u32be(uint("lengthOfBuffer", v.lengthOfBuffer, 32)).u32be(uint("blankLengthOfBuffer", v.blankLengthOfBuffer, 32));
    return w.bytes;
  },
};

export const bufferCapacityBlocksCodec: Codec<BufferCapacityBlocks> = {
  structure: BLOCKS,
  decode(bytes) {
    const { reader: r, truncated } = lengthPrefixed(bytes, BLOCKS, 2, 12);
    if (!bit(u8At(r, 3), 0)) throw new MalformedDataError(BLOCKS, 3, "BLOCK bit is 0: the drive answered in the byte form");
    return { availableLengthOfBuffer: u32At(r, 8), ...(truncated === undefined ? {} : { truncated }) };
  },
  encode(v) {
    const w = new ByteWriter(12);
    w.u16be(10).skip(1).u8(1).skip(4).u32be(uint("availableLengthOfBuffer", v.availableLengthOfBuffer, 32));
    return w.bytes;
  },
};
