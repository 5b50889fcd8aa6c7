/**
 * File Identifier Descriptor, ECMA-167 4/14.4 (OSTA UDF 2.60 2.3.4): one directory entry: file
 * characteristics (hidden, directory, deleted, parent), the entry's ICB (a long_ad whose
 * implementation use carries the UDF unique ID), implementation use and the CS0 name, padded to
 * a multiple of 4 bytes.
 */
import { MalformedDataError } from "@discforge/errors";
import { readU16LE, writeU16LE } from "@discforge/bytes";
import { TAG_IDENTIFIERS, sealDescriptor, verifyTag } from "./tag.js";
import { LongAdCodec, type LongAd } from "./allocation-descriptors.js";

/** File characteristics, ECMA-167 4/14.4.3. */
export const FILE_CHARACTERISTICS = { hidden: 1, directory: 2, deleted: 4, parent: 8, metadata: 16 } as const;

export interface FileIdentifierDescriptor {
  readonly fileVersionNumber: number;
  readonly fileCharacteristics: number;
  readonly icb: LongAd;
  readonly implementationUse: Uint8Array;
  /** CS0 bytes of the name (compression ID first); empty for the parent entry. */
  readonly fileIdentifier: Uint8Array;
}

export function fidSize(identifierLength: number, implementationUseLength = 0): number {
  return (38 + implementationUseLength + identifierLength + 3) & ~3;
}

export const FileIdentifierDescriptorCodec = {
  sizeOf(f: Pick<FileIdentifierDescriptor, "fileIdentifier" | "implementationUse">): number {
    return fidSize(f.fileIdentifier.length, f.implementationUse.length);
  },
  encodeInto(f: FileIdentifierDescriptor, out: Uint8Array, off: number, tag: { descriptorVersion: number; tagLocation: number }): number {
    if (f.fileIdentifier.length > 255) throw new MalformedDataError("ECMA-167 4/14.4 file identifier descriptor", off, `identifier of ${f.fileIdentifier.length} bytes exceeds 255`);
    const size = FileIdentifierDescriptorCodec.sizeOf(f);
    out.fill(0, off, off + size);
    writeU16LE(out, off + 16, f.fileVersionNumber);
    out[off + 18] = f.fileCharacteristics;
    out[off + 19] = f.fileIdentifier.length;
    LongAdCodec.encodeInto(f.icb, out, off + 20);
    writeU16LE(out, off + 36, f.implementationUse.length);
    out.set(f.implementationUse, off + 38);
    out.set(f.fileIdentifier, off + 38 + f.implementationUse.length);
    sealDescriptor(out, off, { ...tag, tagIdentifier: TAG_IDENTIFIERS.fileIdentifierDescriptor }, size - 16);
    return size;
  },
  encode(f: FileIdentifierDescriptor, tag: { descriptorVersion: number; tagLocation: number }): Uint8Array {
    const out = new Uint8Array(FileIdentifierDescriptorCodec.sizeOf(f));
    FileIdentifierDescriptorCodec.encodeInto(f, out, 0, tag);
    return out;
  },
  /** Decodes the FID at `off`; returns it with its padded size. */
  decode(bytes: Uint8Array, off: number, where: number, location?: number): { fid: FileIdentifierDescriptor; size: number } {
    const structure = "ECMA-167 4/14.4 file identifier descriptor";
    if (off + 38 > bytes.length) throw new MalformedDataError(structure, where, `needs 38 bytes, ${bytes.length - off} left in the directory`);
    const liu = readU16LE(bytes, off + 36);
    const lfi = bytes[off + 19]!;
    const size = fidSize(lfi, liu);
    if (off + 38 + liu + lfi > bytes.length) throw new MalformedDataError(structure, where, `identifier (${lfi}) and implementation use (${liu}) run past the directory`);
    // The CRC covers the descriptor without its padding (some writers pad, some do not).
    verifyTag(bytes.subarray(0, Math.min(bytes.length, off + size)), off, { identifier: TAG_IDENTIFIERS.fileIdentifierDescriptor, structure, where, ...(location !== undefined ? { location } : {}) });
    return {
      fid: {
        fileVersionNumber: readU16LE(bytes, off + 16),
        fileCharacteristics: bytes[off + 18]!,
        icb: LongAdCodec.decode(bytes, off + 20),
        implementationUse: bytes.slice(off + 38, off + 38 + liu),
        fileIdentifier: bytes.slice(off + 38 + liu, off + 38 + liu + lfi),
      },
      size,
    };
  },
} as const;
