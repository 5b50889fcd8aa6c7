/**
 * READ DISC STRUCTURE, BD format 00h (media type 1): disc information (MMC-6 6.23.3.3.1; the BD
 * parts' DI unit layout). The data is a sequence of DI units, each starting with "DI":
 * byte 2 DI format, 3 DI units per block (bits 7-3) and layer/sequence in block (2-0),
 * 4 legacy, 5 DI unit sequence number, 6 continuation (bit 7) and bytes in use (6-0),
 * 8-10 disc type identifier ("BDO", "BDR", "BDW"), 11 disc size/class/version, 12 number of
 * layers (7-4) and layer type (3-0), 13 hybrid layers and channel bit length, 14 polarity,
 * 16 BCA, 17 maximum transfer rate, 20-23 last user data PSN, 24-27 first AUN, 28-31 last AUN,
 * 32.. format-dependent contents. Recordable units (112 bytes) end with disc manufacturer ID
 * (100-105), media type ID (106-108), time stamp (109-110) and product revision (111); BD-ROM
 * units are 64 bytes. Walking stops at the first block not starting with "DI".
 */
import type { ByteReader } from "@discforge/bytes";
import { asciiField, asciiId, bit, bits, copyAt, exactBytes, flag, u8At, u16At, u32At, uint, type Codec, type MaybeTruncated } from "./codec.js";
import { frameDiscStructure, openDiscStructure } from "./disc-structure.js";

export const BD_DISC_TYPE_ID = { rom: "BDO", recordable: "BDR", rewritable: "BDW" } as const;

export interface BdRecordableIdentification {
  /** 6 ASCII characters, padding removed. */
  readonly manufacturerId: string;
  /** 3 ASCII characters. */
  readonly mediaTypeId: string;
  readonly timestamp: number;
  readonly productRevision: number;
}

export interface BdDiscInformationUnit {
  readonly diFormat: number;
  readonly unitsPerBlock: number;
  readonly layerInBlock: number;
  readonly legacy: number;
  readonly sequenceNumber: number;
  readonly continuation: boolean;
  readonly bytesInUse: number;
  /** "BDO", "BDR", "BDW" or what the disc says. */
  readonly discTypeId: string;
  /** 0 = 120 mm, 1 = 80 mm. */
  readonly discSize: number;
  readonly discClass: number;
  readonly discVersion: number;
  readonly numberOfLayers: number;
  readonly layerType: number;
  /** Byte 13: hybrid DVD/CD layer (7-4) and channel bit length (3-0), raw. */
  readonly hybridAndChannel: number;
  readonly polarity: number;
  readonly bca: number;
  readonly maximumTransferRate: number;
  readonly lastUserDataPsn: number;
  readonly firstAun: number;
  readonly lastAun: number;
  /** Bytes 32..63 (BD-ROM) or 32..99 (recordable). */
  readonly formatDependent: Uint8Array;
  /** Present on BD-R / BD-RE units. */
  readonly identification?: BdRecordableIdentification;
}

export interface BdDiscInformation extends MaybeTruncated {
  readonly units: readonly BdDiscInformationUnit[];
}

const STRUCTURE = "READ DISC STRUCTURE BD 00h (disc information)";

function unitSize(discTypeId: string): number {
  return discTypeId === BD_DISC_TYPE_ID.rom ? 64 : 112;
}

function decodeUnit(r: ByteReader, at: number): BdDiscInformationUnit {
  const discTypeId = asciiId(copyAt(r, at + 8, 3));
  const size = unitSize(discTypeId);
  const b3 = u8At(r, at + 3);
  const b6 = u8At(r, at + 6);
  const b11 = u8At(r, at + 11);
  const b12 = u8At(r, at + 12);
  const unit: BdDiscInformationUnit = {
    diFormat: u8At(r, at + 2),
    unitsPerBlock: bits(b3, 7, 3),
    layerInBlock: bits(b3, 2, 0),
    legacy: u8At(r, at + 4),
    sequenceNumber: u8At(r, at + 5),
    continuation: bit(b6, 7),
    bytesInUse: bits(b6, 6, 0),
    discTypeId,
    discSize: bits(b11, 7, 6),
    discClass: bits(b11, 5, 4),
    discVersion: bits(b11, 3, 0),
    numberOfLayers: bits(b12, 7, 4),
    layerType: bits(b12, 3, 0),
    hybridAndChannel: u8At(r, at + 13),
    polarity: u8At(r, at + 14),
    bca: u8At(r, at + 16),
    maximumTransferRate: u8At(r, at + 17),
    lastUserDataPsn: u32At(r, at + 20),
    firstAun: u32At(r, at + 24),
    lastAun: u32At(r, at + 28),
    formatDependent: copyAt(r, at + 32, size === 64 ? 32 : 68),
  };
  if (size === 64) return unit;
  return {
    ...unit,
    identification: {
      manufacturerId: asciiId(copyAt(r, at + 100, 6)),
      mediaTypeId: asciiId(copyAt(r, at + 106, 3)),
      timestamp: u16At(r, at + 109),
      productRevision: u8At(r, at + 111),
    },
  };
}

function encodeUnit(u: BdDiscInformationUnit): Uint8Array {
  const size = unitSize(u.discTypeId);
  const out = new Uint8Array(size);
  out[0] = 0x44; // "D"
  out[1] = 0x49; // "I"
  out[2] = uint("diFormat", u.diFormat, 8);
  out[3] = (uint("unitsPerBlock", u.unitsPerBlock, 5) << 3) | uint("layerInBlock", u.layerInBlock, 3);
  out[4] = uint("legacy", u.legacy, 8);
  out[5] = uint("sequenceNumber", u.sequenceNumber, 8);
  out[6] = flag(u.continuation, 7) | uint("bytesInUse", u.bytesInUse, 7);
  out.set(asciiField("discTypeId", u.discTypeId, 3), 8);
  out[11] = (uint("discSize", u.discSize, 2) << 6) | (uint("discClass", u.discClass, 2) << 4) | uint("discVersion", u.discVersion, 4);
  out[12] = (uint("numberOfLayers", u.numberOfLayers, 4) << 4) | uint("layerType", u.layerType, 4);
  out[13] = uint("hybridAndChannel", u.hybridAndChannel, 8);
  out[14] = uint("polarity", u.polarity, 8);
  out[16] = uint("bca", u.bca, 8);
  out[17] = uint("maximumTransferRate", u.maximumTransferRate, 8);
  const view = new DataView(out.buffer);
  view.setUint32(20, uint("lastUserDataPsn", u.lastUserDataPsn, 32));
  view.setUint32(24, uint("firstAun", u.firstAun, 32));
  view.setUint32(28, uint("lastAun", u.lastAun, 32));
  out.set(exactBytes("formatDependent", u.formatDependent, size === 64 ? 32 : 68), 32);
  if (size === 112) {
    const id = u.identification ?? { manufacturerId: "", mediaTypeId: "", timestamp: 0, productRevision: 0 };
    out.set(asciiField("manufacturerId", id.manufacturerId, 6), 100);
    out.set(asciiField("mediaTypeId", id.mediaTypeId, 3), 106);
    view.setUint16(109, uint("timestamp", id.timestamp, 16));
    out[111] = uint("productRevision", id.productRevision, 8);
  }
  return out;
}

export const bdDiscInformationCodec: Codec<BdDiscInformation> = {
  structure: STRUCTURE,
  decode(bytes) {
    const { data: r, truncated } = openDiscStructure(bytes, STRUCTURE, 0);
    const units: BdDiscInformationUnit[] = [];
    let cut = truncated;
    let at = 0;
    while (at + 11 <= r.bytes.length && u8At(r, at) === 0x44 && u8At(r, at + 1) === 0x49) {
      const size = unitSize(asciiId(copyAt(r, at + 8, 3)));
      if (at + size > r.bytes.length) {
        cut ??= { declaredLength: 4 + at + size, availableLength: 4 + r.bytes.length };
        break;
      }
      units.push(decodeUnit(r, at));
      at += size;
    }
    return { units, ...(cut === undefined ? {} : { truncated: cut }) };
  },
  encode(v) {
    const parts = v.units.map(encodeUnit);
    const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      data.set(p, at);
      at += p.length;
    }
    return frameDiscStructure(data);
  },
};
