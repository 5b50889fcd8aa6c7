/**
 * Volume recognition sequence, ECMA-167 2/9.1-9.3 and 3/9.1: the Beginning Extended Area
 * Descriptor "BEA01", the NSR descriptor ("NSR02" for ECMA-167 2nd edition / UDF 1.02-1.50,
 * "NSR03" for 3rd edition / UDF 2.00 and later) and the Terminating Extended Area Descriptor
 * "TEA01", one 2048-byte sector each, after the ISO 9660 volume descriptor set terminator.
 */
import { MalformedDataError } from "@discforge/errors";

export const VRS_IDENTIFIERS = { bea: "BEA01", nsr02: "NSR02", nsr03: "NSR03", tea: "TEA01", iso9660: "CD001", boot: "BOOT2", cdw: "CDW02" } as const;

export interface VolumeStructureDescriptor {
  readonly structureType: number;
  readonly standardIdentifier: string;
  readonly structureVersion: number;
}

export const VolumeStructureDescriptorCodec = {
  size: 2048,
  encode(identifier: string): Uint8Array {
    const out = new Uint8Array(2048);
    out[0] = 0;
    for (let i = 0; i < 5; i++) out[1 + i] = identifier.charCodeAt(i);
    out[6] = 1;
    return out;
  },
  decode(bytes: Uint8Array, off = 0, where = off): VolumeStructureDescriptor {
    if (off + 7 > bytes.length) throw new MalformedDataError("ECMA-167 2/9.1 volume structure descriptor", where, "truncated");
    return { structureType: bytes[off]!, standardIdentifier: String.fromCharCode(...bytes.subarray(off + 1, off + 6)), structureVersion: bytes[off + 6]! };
  },
} as const;

/** The three sectors BEA01, NSR0x, TEA01. */
export function encodeVolumeRecognitionSequence(nsr: "NSR02" | "NSR03"): Uint8Array {
  const out = new Uint8Array(3 * 2048);
  out.set(VolumeStructureDescriptorCodec.encode(VRS_IDENTIFIERS.bea), 0);
  out.set(VolumeStructureDescriptorCodec.encode(nsr), 2048);
  out.set(VolumeStructureDescriptorCodec.encode(VRS_IDENTIFIERS.tea), 4096);
  return out;
}
