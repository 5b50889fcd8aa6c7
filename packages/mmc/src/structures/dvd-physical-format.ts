/**
 * READ DISC STRUCTURE, DVD format 00h: physical format information (MMC-6 6.23.3.2.1;
 * ECMA-267 3.3.2 / ECMA-337 for the +R/+RW book types). 2048 bytes of data; bytes 0-16 are common:
 * book type/part version, disc size/maximum rate, number of layers/track path/layer type,
 * linear/track density, starting and end physical sector numbers of the data area, end PSN in
 * layer 0, BCA flag. Bytes 17..2047 are media specific and kept raw.
 */
import { bit, bits, copyAt, flag, u8At, u24At, uint, type Codec, type MaybeTruncated } from "./codec.js";
import { frameDiscStructure, openDiscStructure } from "./disc-structure.js";

/** Book Type (byte 0 bits 7-4). */
export const DVD_BOOK_TYPE = {
  dvdRom: 0x0,
  dvdRam: 0x1,
  dvdR: 0x2,
  dvdRw: 0x3,
  hdDvdRom: 0x4,
  hdDvdRam: 0x5,
  hdDvdR: 0x6,
  dvdPlusRw: 0x9,
  dvdPlusR: 0xa,
  dvdPlusRwDl: 0xd,
  dvdPlusRDl: 0xe,
} as const;

export const DVD_BOOK_TYPE_NAMES: Readonly<Record<number, string>> = {
  0x0: "DVD-ROM",
  0x1: "DVD-RAM",
  0x2: "DVD-R",
  0x3: "DVD-RW",
  0x4: "HD DVD-ROM",
  0x5: "HD DVD-RAM",
  0x6: "HD DVD-R",
  0x9: "DVD+RW",
  0xa: "DVD+R",
  0xd: "DVD+RW DL",
  0xe: "DVD+R DL",
};

export interface DvdPhysicalFormat extends MaybeTruncated {
  readonly bookType: number;
  readonly partVersion: number;
  /** 0 = 120 mm, 1 = 80 mm. */
  readonly discSize: number;
  /** 0 = 2.52, 1 = 5.04, 2 = 10.08, 3 = 20.16, 4 = 30.24 Mbit/s, Fh = not specified. */
  readonly maximumRate: number;
  /** 1..4 (the field holds this minus one). */
  readonly numberOfLayers: number;
  /** Track path: false = parallel (PTP), true = opposite (OTP). */
  readonly oppositeTrackPath: boolean;
  /** Bit 0 embossed, bit 1 recordable, bit 2 rewritable. */
  readonly layerType: number;
  readonly linearDensity: number;
  readonly trackDensity: number;
  readonly startingPhysicalSector: number;
  readonly endPhysicalSector: number;
  readonly endPhysicalSectorInLayer0: number;
  /** Burst Cutting Area present. */
  readonly bca: boolean;
  /** Data bytes 17 onward (2031 in a complete response). */
  readonly mediaSpecific: Uint8Array;
}

const STRUCTURE = "READ DISC STRUCTURE DVD 00h (physical format information)";

export const dvdPhysicalFormatCodec: Codec<DvdPhysicalFormat> = {
  structure: STRUCTURE,
  decode(bytes) {
    const { data: r, truncated } = openDiscStructure(bytes, STRUCTURE, 17);
    const [b0, b1, b2, b3] = [u8At(r, 0), u8At(r, 1), u8At(r, 2), u8At(r, 3)];
    return {
      bookType: b0 >>> 4,
      partVersion: b0 & 0x0f,
      discSize: b1 >>> 4,
      maximumRate: b1 & 0x0f,
      numberOfLayers: bits(b2, 6, 5) + 1,
      oppositeTrackPath: bit(b2, 4),
      layerType: b2 & 0x0f,
      linearDensity: b3 >>> 4,
      trackDensity: b3 & 0x0f,
      startingPhysicalSector: u24At(r, 5),
      endPhysicalSector: u24At(r, 9),
      endPhysicalSectorInLayer0: u24At(r, 13),
      bca: bit(u8At(r, 16), 7),
      mediaSpecific: copyAt(r, 17, r.bytes.length - 17),
      ...(truncated === undefined ? {} : { truncated }),
    };
  },
  encode(v) {
    const data = new Uint8Array(17 + v.mediaSpecific.length);
    data[0] = (uint("bookType", v.bookType, 4) << 4) | uint("partVersion", v.partVersion, 4);
    data[1] = (uint("discSize", v.discSize, 4) << 4) | uint("maximumRate", v.maximumRate, 4);
    data[2] = (uint("numberOfLayers - 1", v.numberOfLayers - 1, 2) << 5) | flag(v.oppositeTrackPath, 4) | uint("layerType", v.layerType, 4);
    data[3] = (uint("linearDensity", v.linearDensity, 4) << 4) | uint("trackDensity", v.trackDensity, 4);
    const put24 = (at: number, name: string, value: number) => {
      uint(name, value, 24);
      data[at] = value >>> 16;
      data[at + 1] = (value >>> 8) & 0xff;
      data[at + 2] = value & 0xff;
    };
    put24(5, "startingPhysicalSector", v.startingPhysicalSector);
    put24(9, "endPhysicalSector", v.endPhysicalSector);
    put24(13, "endPhysicalSectorInLayer0", v.endPhysicalSectorInLayer0);
    data[16] = flag(v.bca, 7);
    data.set(v.mediaSpecific, 17);
    return frameDiscStructure(data);
  },
};

/** A complete 2048-byte physical format structure's media-specific part, zero filled. */
export function blankMediaSpecific(): Uint8Array {
  return new Uint8Array(2031);
}
