/**
 * READ DISC STRUCTURE formats whose data is opaque to us and kept raw: DVD 04h disc
 * manufacturing information (MMC-6 6.23.3.2.5, 2048 bytes) and any other format a caller asks
 * for (the 4-byte header is still checked and stripped).
 */
import { copyAt, type Codec, type MaybeTruncated } from "./codec.js";
import { frameDiscStructure, openDiscStructure } from "./disc-structure.js";

export interface RawDiscStructure extends MaybeTruncated {
  readonly data: Uint8Array;
}

function rawCodec(structure: string): Codec<RawDiscStructure> {
  return {
    structure,
    decode(bytes) {
      const { data: r, truncated } = openDiscStructure(bytes, structure, 0);
      return { data: copyAt(r, 0, r.bytes.length), ...(truncated === undefined ? {} : { truncated }) };
    },
    encode: (v) => frameDiscStructure(v.data),
  };
}

export const dvdManufacturingInformationCodec: Codec<RawDiscStructure> = rawCodec("READ DISC STRUCTURE DVD 04h (manufacturing information)");
export const rawDiscStructureCodec: Codec<RawDiscStructure> = rawCodec("READ DISC STRUCTURE response");
