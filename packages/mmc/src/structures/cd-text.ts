/**
 * READ TOC/PMA/ATIP format 0101b, CD-TEXT (MMC-6 6.26.3.7): the lead-in's R-W CD-TEXT packs,
 * 18 bytes each (pack type, track number with extension flag, sequence number, block number and
 * character position, 12 text bytes, CRC-16). Packs are kept raw; `cdTextPackCrc` computes the
 * CRC a pack should carry (CRC-16/CCITT over bytes 0-15, sent inverted).
 */
import { ByteWriter, crc16Ccitt } from "@discforge/bytes";
import { exactBytes, fixedEntries, lengthPrefixed, u8At, u16At, uint, type Codec, type MaybeTruncated } from "./codec.js";

export interface CdTextPack {
  /** 80h title, 81h performer, 82h songwriter, 83h composer, 84h arranger, 85h message, 86h disc id, 87h genre, 88h TOC, 89h TOC2, 8Dh closed, 8Eh UPC/ISRC, 8Fh size info. */
  readonly packType: number;
  /** Bit 7 extension flag, bits 6-0 track number. */
  readonly trackNumber: number;
  readonly sequenceNumber: number;
  /** Bit 7 double-byte, bits 6-4 block number, bits 3-0 character position. */
  readonly blockCharacter: number;
  /** 12 bytes. */
  readonly text: Uint8Array;
  readonly crc: number;
}

export interface CdText extends MaybeTruncated {
  readonly packs: readonly CdTextPack[];
}

const STRUCTURE = "READ TOC format 5 (CD-TEXT)";

export function cdTextPackCrc(pack: Omit<CdTextPack, "crc">): number {
  const body = new Uint8Array(16);
  body[0] = pack.packType & 0xff;
  body[1] = pack.trackNumber & 0xff;
  body[2] = pack.sequenceNumber & 0xff;
  body[3] = pack.blockCharacter & 0xff;
  body.set(pack.text.subarray(0, 12), 4);
  return ~crc16Ccitt(body) & 0xffff;
}

export const cdTextCodec: Codec<CdText> = {
  structure: STRUCTURE,
  decode(bytes) {
    const { reader: r, truncated } = lengthPrefixed(bytes, STRUCTURE, 2, 4);
    const packs = fixedEntries(r, 4, 18, (at) => ({
      packType: u8At(r, at),
      trackNumber: u8At(r, at + 1),
      sequenceNumber: u8At(r, at + 2),
      blockCharacter: u8At(r, at + 3),
      text: r.seek(at + 4).bytesView(12).slice(),
      crc: u16At(r, at + 16),
    }));
    return { packs, ...(truncated === undefined ? {} : { truncated }) };
  },
  encode(v) {
    const size = 4 + v.packs.length * 18;
    uint("data length", size - 2, 16);
    const w = new ByteWriter(size);
    w.u16be(size - 2).skip(2);
    for (const p of v.packs) {
      w.u8(uint("packType", p.packType, 8)).u8(uint("trackNumber", p.trackNumber, 8));
      w.u8(uint("sequenceNumber", p.sequenceNumber, 8)).u8(uint("blockCharacter", p.blockCharacter, 8));
      w.raw(exactBytes("text", p.text, 12)).u16be(uint("crc", p.crc, 16));
    }
    return w.bytes;
  },
};
