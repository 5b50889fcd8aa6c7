/**
 * READ DISC STRUCTURE format FFh: disc structure list (MMC-6 6.23.3.2.26 / 6.23.3.3.x for BD):
 * 4-byte entries of format code, SDS (SEND DISC STRUCTURE supported) / RDS (READ DISC STRUCTURE
 * supported) bits, and the structure's length.
 */
import { bit, fixedEntries, flag, u8At, u16At, uint, type Codec, type MaybeTruncated } from "./codec.js";
import { frameDiscStructure, openDiscStructure } from "./disc-structure.js";

export interface DiscStructureListEntry {
  readonly formatCode: number;
  readonly sds: boolean;
  readonly rds: boolean;
  readonly structureLength: number;
}

export interface DiscStructureList extends MaybeTruncated {
  readonly entries: readonly DiscStructureListEntry[];
}

const STRUCTURE = "READ DISC STRUCTURE FFh (disc structure list)";

export const discStructureListCodec: Codec<DiscStructureList> = {
  structure: STRUCTURE,
  decode(bytes) {
    const { data: r, truncated } = openDiscStructure(bytes, STRUCTURE, 0);
    const entries = fixedEntries(r, 0, 4, (at) => {
      const b1 = u8At(r, at + 1);
      return { formatCode: u8At(r, at), sds: bit(b1, 7), rds: bit(b1, 6), structureLength: u16At(r, at + 2) };
    });
    return { entries, ...(truncated === undefined ? {} : { truncated }) };
  },
  encode(v) {
    const data = new Uint8Array(v.entries.length * 4);
    v.entries.forEach((e, i) => {
      data[i * 4] = uint("formatCode", e.formatCode, 8);
      data[i * 4 + 1] = flag(e.sds, 7) | flag(e.rds, 6);
      const length = uint("structureLength", e.structureLength, 16);
      data[i * 4 + 2] = length >>> 8;
      data[i * 4 + 3] = length & 0xff;
    });
    return frameDiscStructure(data);
  },
};
