/**
 * READ DISC STRUCTURE, DVD format 11h: ADIP information of DVD+R/+RW media (MMC-6 6.23.3.2.15;
 * ECMA-337/349 physical format information in ADIP). 256 data bytes; named here are the disc
 * category/version, size/maximum rate and the media identification: disc manufacturer ID
 * (bytes 19-26), media type ID (27-29) and product revision number (30). The rest stays raw in
 * `data`; the named fields are written over it when encoding.
 */
import { asciiField, asciiId, copyAt, u8At, uint, type Codec, type MaybeTruncated } from "./codec.js";
import { frameDiscStructure, openDiscStructure } from "./disc-structure.js";

export interface DvdAdipInformation extends MaybeTruncated {
  /** Disc category (book type, bits 7-4 of byte 0): 9 = DVD+RW, Ah = DVD+R, Dh/Eh dual layer. */
  readonly discCategory: number;
  readonly version: number;
  readonly discSize: number;
  readonly maximumRate: number;
  /** 8 ASCII characters, trailing padding removed, e.g. "RICOHJPN". */
  readonly manufacturerId: string;
  /** 3 ASCII characters, e.g. "R03". */
  readonly mediaTypeId: string;
  readonly productRevision: number;
  /** All data bytes as received (256 in a complete response). */
  readonly data: Uint8Array;
}

const STRUCTURE = "READ DISC STRUCTURE DVD 11h (ADIP information)";

export const dvdAdipInformationCodec: Codec<DvdAdipInformation> = {
  structure: STRUCTURE,
  decode(bytes) {
    const { data: r, truncated } = openDiscStructure(bytes, STRUCTURE, 31);
    const b0 = u8At(r, 0);
    const b1 = u8At(r, 1);
    return {
      discCategory: b0 >>> 4,
      version: b0 & 0x0f,
      discSize: b1 >>> 4,
      maximumRate: b1 & 0x0f,
      manufacturerId: asciiId(copyAt(r, 19, 8)),
      mediaTypeId: asciiId(copyAt(r, 27, 3)),
      productRevision: u8At(r, 30),
      data: copyAt(r, 0, r.bytes.length),
      ...(truncated === undefined ? {} : { truncated }),
    };
  },
  encode(v) {
    const data = new Uint8Array(Math.max(256, v.data.length));
    data.set(v.data);
    data[0] = (uint("discCategory", v.discCategory, 4) << 4) | uint("version", v.version, 4);
    data[1] = (uint("discSize", v.discSize, 4) << 4) | uint("maximumRate", v.maximumRate, 4);
    // Keep the received padding (spaces or NULs) when the identifiers are unchanged.
    if (asciiId(data.subarray(19, 27)) !== v.manufacturerId) data.set(asciiField("manufacturerId", v.manufacturerId, 8), 19);
    if (asciiId(data.subarray(27, 30)) !== v.mediaTypeId) data.set(asciiField("mediaTypeId", v.mediaTypeId, 3), 27);
    data[30] = uint("productRevision", v.productRevision, 8);
    return frameDiscStructure(data);
  },
};
