/**
 * Standard INQUIRY data (SPC-4 6.6.2; MMC-6 6.9 for CD/DVD/BD logical units).
 *
 * A device cuts the data to the CDB's allocation length while the ADDITIONAL LENGTH still
 * reports the full size, so a 36-byte read of a 96-byte response is normal: the decoder needs the
 * 36 mandatory bytes, decodes whatever else is present and sets `truncated`.
 */
import { ByteWriter } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { PERIPHERAL_DEVICE_TYPE, PERIPHERAL_QUALIFIER } from "../tables/inquiry.js";
import { bit, bits, flag, latin1Field, latin1Trimmed, maxBytes, uint, type Codec, type Truncation } from "./codec-util.js";

export interface StandardInquiry {
  /** Byte 0 bits 7-5: 0 = a device of this type is connected to the logical unit. */
  readonly peripheralQualifier: number;
  /** Byte 0 bits 4-0: 05h for an MMC (CD/DVD/BD) device. */
  readonly peripheralDeviceType: number;
  /** RMB: the medium is removable. */
  readonly removable: boolean;
  /** LU_CONG: logical unit conglomerate. */
  readonly luCong: boolean;
  /** Claimed SPC version (0 = no claim, 5 = SPC-3, 6 = SPC-4). */
  readonly version: number;
  readonly normAca: boolean;
  readonly hiSup: boolean;
  /** 2 for SPC-2 and later. */
  readonly responseDataFormat: number;
  readonly sccs: boolean;
  readonly acc: boolean;
  /** Target port group support, 2 bits. */
  readonly tpgs: number;
  readonly thirdPartyCopy: boolean;
  readonly protect: boolean;
  readonly encServ: boolean;
  readonly multiP: boolean;
  readonly mChngr: boolean;
  readonly addr16: boolean;
  readonly wBus16: boolean;
  readonly sync: boolean;
  readonly cmdQue: boolean;
  /** The vendor-specific bits of bytes 6 (bit 5) and 7 (bit 0). */
  readonly vendorSpecificBit6: boolean;
  readonly vendorSpecificBit7: boolean;
  /** T10 vendor identification (8 bytes, trailing spaces removed). */
  readonly vendor: string;
  /** Product identification (16 bytes). */
  readonly product: string;
  /** Product revision level (4 bytes). */
  readonly revision: string;
  /** Bytes 36-55, when present (20 bytes), else empty. */
  readonly vendorSpecific: Uint8Array;
  /** Byte 56 (SPI): clocking (2 bits), QAS, IUS; 0/false when absent. */
  readonly clocking: number;
  readonly qas: boolean;
  readonly ius: boolean;
  /** Non-zero version descriptors of bytes 58-73, in order (at most 8). */
  readonly versionDescriptors: readonly number[];
  /** Bytes 96 and later (vendor specific). */
  readonly vendorSpecificTrailer: Uint8Array;
  /** Present only when the buffer was shorter than ADDITIONAL LENGTH says. */
  readonly truncated?: Truncation;
}

const STRUCTURE = "standard INQUIRY data";
const MANDATORY = 36;
const LONG_FORM = 96;

function decode(bytes: Uint8Array): StandardInquiry {
  if (bytes.length < 5) throw new MalformedDataError(STRUCTURE, bytes.length, `needs at least 5 bytes, got ${bytes.length}`);
  const declaredLength = bytes[4]! + 5;
  const end = Math.min(bytes.length, declaredLength);
  if (end < MANDATORY) {
    throw new MalformedDataError(STRUCTURE, end, `only ${end} byte(s) present or declared; ${MANDATORY} are mandatory`);
  }
  const b = bytes;
  const text = (from: number, length: number): string => latin1Trimmed(b.subarray(from, from + length));
  const versionDescriptors: number[] = [];
  for (let off = 58; off + 2 <= Math.min(end, 74); off += 2) {
    const v = (b[off]! << 8) | b[off + 1]!;
    if (v !== 0) versionDescriptors.push(v);
  }
  const byte56 = end > 56 ? b[56]! : 0;
  const value: StandardInquiry = {
    peripheralQualifier: bits(b[0]!, 7, 5),
    peripheralDeviceType: bits(b[0]!, 4, 0),
    removable: bit(b[1]!, 7),
    luCong: bit(b[1]!, 6),
    version: b[2]!,
    normAca: bit(b[3]!, 5),
    hiSup: bit(b[3]!, 4),
    responseDataFormat: bits(b[3]!, 3, 0),
    sccs: bit(b[5]!, 7),
    acc: bit(b[5]!, 6),
    tpgs: bits(b[5]!, 5, 4),
    thirdPartyCopy: bit(b[5]!, 3),
    protect: bit(b[5]!, 0),
    encServ: bit(b[6]!, 6),
    vendorSpecificBit6: bit(b[6]!, 5),
    multiP: bit(b[6]!, 4),
    mChngr: bit(b[6]!, 3),
    addr16: bit(b[6]!, 0),
    wBus16: bit(b[7]!, 5),
    sync: bit(b[7]!, 4),
    cmdQue: bit(b[7]!, 1),
    vendorSpecificBit7: bit(b[7]!, 0),
    vendor: text(8, 8),
    product: text(16, 16),
    revision: text(32, 4),
    vendorSpecific: b.slice(36, Math.min(end, 56)),
    clocking: bits(byte56, 3, 2),
    qas: bit(byte56, 1),
    ius: bit(byte56, 0),
    versionDescriptors,
    vendorSpecificTrailer: end > LONG_FORM ? b.slice(LONG_FORM, end) : new Uint8Array(0),
  };
  return bytes.length < declaredLength ? { ...value, truncated: { declaredLength, availableLength: bytes.length } } : value;
}

export type StandardInquiryInit = Omit<StandardInquiry, "truncated">;

function encode(v: StandardInquiryInit): Uint8Array {
  if (v.versionDescriptors.length > 8) {
    throw new InvalidArgumentError("versionDescriptors", `${v.versionDescriptors.length} given; the field holds 8`);
  }
  maxBytes("vendorSpecific", v.vendorSpecific, 20);
  const long =
    v.vendorSpecific.length > 0 ||
    v.versionDescriptors.length > 0 ||
    v.vendorSpecificTrailer.length > 0 ||
    v.clocking !== 0 ||
    v.qas ||
    v.ius;
  const size = long ? LONG_FORM + v.vendorSpecificTrailer.length : MANDATORY;
  if (size - 5 > 0xff) maxBytes("vendorSpecificTrailer", v.vendorSpecificTrailer, 0xff + 5 - LONG_FORM);
  const w = new ByteWriter(size);
  w.u8((uint("peripheralQualifier", v.peripheralQualifier, 3) << 5) | uint("peripheralDeviceType", v.peripheralDeviceType, 5));
  w.u8(flag(v.removable, 7) | flag(v.luCong, 6));
  w.u8(uint("version", v.version, 8));
  w.u8(flag(v.normAca, 5) | flag(v.hiSup, 4) | uint("responseDataFormat", v.responseDataFormat, 4));
  w.u8(size - 5);
  w.u8(flag(v.sccs, 7) | flag(v.acc, 6) | (uint("tpgs", v.tpgs, 2) << 4) | flag(v.thirdPartyCopy, 3) | flag(v.protect, 0));
  w.u8(flag(v.encServ, 6) | flag(v.vendorSpecificBit6, 5) | flag(v.multiP, 4) | flag(v.mChngr, 3) | flag(v.addr16, 0));
  w.u8(flag(v.wBus16, 5) | flag(v.sync, 4) | flag(v.cmdQue, 1) | flag(v.vendorSpecificBit7, 0));
  w.raw(latin1Field("vendor", v.vendor, 8));
  w.raw(latin1Field("product", v.product, 16));
  w.raw(latin1Field("revision", v.revision, 4));
  if (long) {
    w.raw(v.vendorSpecific).seek(56);
    w.u8((uint("clocking", v.clocking, 2) << 2) | flag(v.qas, 1) | flag(v.ius, 0));
    w.seek(58);
    for (const d of v.versionDescriptors) {
      if (d === 0) throw new InvalidArgumentError("versionDescriptors", "0 means no descriptor and cannot be listed");
      w.u16be(uint("versionDescriptor", d, 16));
    }
    w.seek(LONG_FORM).raw(v.vendorSpecificTrailer);
  }
  return w.bytes;
}

export const standardInquiryCodec: Codec<StandardInquiry, StandardInquiryInit> = { structure: STRUCTURE, decode, encode };

/** The logical unit is a connected CD/DVD/BD (MMC) device. */
export function isMmcDevice(inquiry: Pick<StandardInquiry, "peripheralQualifier" | "peripheralDeviceType">): boolean {
  return (
    inquiry.peripheralQualifier === PERIPHERAL_QUALIFIER.connected && inquiry.peripheralDeviceType === PERIPHERAL_DEVICE_TYPE.mmc
  );
}

/**
 * Whether write commands may be sent to this logical unit: only to a connected MMC device, so a
 * mis-addressed hard disk or tape is never written to by the burn layers.
 */
export function mayReceiveWrites(inquiry: Pick<StandardInquiry, "peripheralQualifier" | "peripheralDeviceType">): boolean {
  return isMmcDevice(inquiry);
}
