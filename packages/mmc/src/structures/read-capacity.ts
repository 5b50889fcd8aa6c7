/**
 * READ CAPACITY (10) response data (MMC-6 6.19.2 / SBC-3 5.12.2): logical block address of the
 * last block and block length in bytes, 8 bytes.
 */
import { ByteWriter } from "@discforge/bytes";
import { fixedReader, u32At, uint, type Codec } from "./codec.js";

export interface ReadCapacity {
  readonly lastLogicalBlockAddress: number;
  readonly blockLength: number;
}

const STRUCTURE = "READ CAPACITY (10) response";

export const readCapacityCodec: Codec<ReadCapacity> = {
  structure: STRUCTURE,
  decode(bytes) {
    const r = fixedReader(bytes, STRUCTURE, 8);
    return { lastLogicalBlockAddress: u32At(r, 0), blockLength: u32At(r, 4) };
  },
  encode(v) {
    return new ByteWriter(8)
      .u32be(uint("lastLogicalBlockAddress", v.lastLogicalBlockAddress, 32))
      .u32be(uint("blockLength", v.blockLength, 32)).bytes;
  },
};
