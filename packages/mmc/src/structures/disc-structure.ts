/**
 * READ DISC STRUCTURE response framing (MMC-6 6.23.3): 2-byte data length (counting the bytes
 * after itself), 2 reserved bytes, then the structure of the requested format.
 */
import { ByteReader, ByteWriter } from "@discforge/bytes";
import { lengthPrefixed, uint, type Truncation } from "./codec.js";

export interface DiscStructureFrame {
  /** Reader over the structure data only (the 4-byte header stripped); offsets in errors stay absolute. */
  readonly data: ByteReader;
  readonly truncated?: Truncation;
}

export function openDiscStructure(bytes: Uint8Array, structure: string, minimumDataLength: number): DiscStructureFrame {
  const { reader, truncated } = lengthPrefixed(bytes, structure, 2, 4 + minimumDataLength);
  const data = new ByteReader(reader.bytes.subarray(4), structure, 4);
  return truncated === undefined ? { data } : { data, truncated };
}

export function frameDiscStructure(data: Uint8Array): Uint8Array {
  uint("disc structure data length", data.length + 2, 16);
  return new ByteWriter(4 + data.length).u16be(data.length + 2).skip(2).raw(data).bytes;
}
