/**
 * Logical Volume Integrity Descriptor, ECMA-167 3/10.10 (OSTA UDF 2.60 2.2.6): integrity type
 * (open/close), the Logical Volume Header Descriptor (4/14.15, the next unique ID), free space and
 * size tables (one entry per partition map) and the UDF implementation use (2.2.6.4): number of
 * files and directories and the minimum read / minimum write / maximum write UDF revisions.
 */
import { MalformedDataError } from "@discforge/errors";
import { readU16LE, readU32LE, readU64LE, writeU16LE, writeU32LE, writeU64LE } from "@discforge/bytes";
import { TAG_IDENTIFIERS, TAG_SIZE, sealDescriptor, verifyTag } from "./tag.js";
import { EntityIdCodec, type EntityId } from "./regid.js";
import { ExtentAdCodec, type ExtentAd } from "./allocation-descriptors.js";
import { TimestampCodec } from "./timestamp.js";

export const INTEGRITY_TYPES = { open: 0, close: 1 } as const;

export interface LogicalVolumeIntegrityDescriptor {
  readonly recordingDateAndTime: Date;
  readonly integrityType: number;
  readonly nextIntegrityExtent: ExtentAd;
  /** Logical Volume Header Descriptor: the next unique ID to assign. */
  readonly uniqueId: number;
  readonly freeSpaceTable: readonly number[];
  readonly sizeTable: readonly number[];
  readonly implementationId: EntityId;
  readonly numberOfFiles: number;
  readonly numberOfDirectories: number;
  readonly minimumUdfReadRevision: number;
  readonly minimumUdfWriteRevision: number;
  readonly maximumUdfWriteRevision: number;
}

const UDF_IMPL_USE = 46;

export const LogicalVolumeIntegrityDescriptorCodec = {
  sizeOf(d: LogicalVolumeIntegrityDescriptor): number {
    return 80 + 8 * d.freeSpaceTable.length + UDF_IMPL_USE;
  },
  encode(d: LogicalVolumeIntegrityDescriptor, tag: { descriptorVersion: number; tagLocation: number }): Uint8Array {
    const n = d.freeSpaceTable.length;
    if (d.sizeTable.length !== n) throw new MalformedDataError("ECMA-167 3/10.10 logical volume integrity descriptor", 72, "free space and size tables differ in length");
    const size = LogicalVolumeIntegrityDescriptorCodec.sizeOf(d);
    const out = new Uint8Array(Math.max(512, size));
    TimestampCodec.encodeInto(d.recordingDateAndTime, out, 16);
    writeU32LE(out, 28, d.integrityType);
    ExtentAdCodec.encodeInto(d.nextIntegrityExtent, out, 32);
    writeU64LE(out, 40, d.uniqueId);
    writeU32LE(out, 72, n);
    writeU32LE(out, 76, UDF_IMPL_USE);
    d.freeSpaceTable.forEach((v, i) => writeU32LE(out, 80 + 4 * i, v >>> 0));
    d.sizeTable.forEach((v, i) => writeU32LE(out, 80 + 4 * n + 4 * i, v >>> 0));
    const iu = 80 + 8 * n;
    EntityIdCodec.encodeInto(d.implementationId, out, iu);
    writeU32LE(out, iu + 32, d.numberOfFiles);
    writeU32LE(out, iu + 36, d.numberOfDirectories);
    writeU16LE(out, iu + 40, d.minimumUdfReadRevision);
    writeU16LE(out, iu + 42, d.minimumUdfWriteRevision);
    writeU16LE(out, iu + 44, d.maximumUdfWriteRevision);
    sealDescriptor(out, 0, { ...tag, tagIdentifier: TAG_IDENTIFIERS.logicalVolumeIntegrityDescriptor }, size - TAG_SIZE);
    return out;
  },
  decode(bytes: Uint8Array, off: number, where: number): LogicalVolumeIntegrityDescriptor {
    const structure = "ECMA-167 3/10.10 logical volume integrity descriptor";
    verifyTag(bytes, off, { identifier: TAG_IDENTIFIERS.logicalVolumeIntegrityDescriptor, structure, where });
    const n = readU32LE(bytes, off + 72);
    const liu = readU32LE(bytes, off + 76);
    if (n > 64 || off + 80 + 8 * n + liu > bytes.length) throw new MalformedDataError(structure, where + 72, `${n} partitions and ${liu} bytes of implementation use do not fit`);
    const iu = off + 80 + 8 * n;
    const udf = liu >= UDF_IMPL_USE;
    return {
      recordingDateAndTime: TimestampCodec.decode(bytes, off + 16, where + 16)?.date ?? new Date(0),
      integrityType: readU32LE(bytes, off + 28),
      nextIntegrityExtent: ExtentAdCodec.decode(bytes, off + 32),
      uniqueId: readU64LE(bytes, off + 40),
      freeSpaceTable: Array.from({ length: n }, (_, i) => readU32LE(bytes, off + 80 + 4 * i)),
      sizeTable: Array.from({ length: n }, (_, i) => readU32LE(bytes, off + 80 + 4 * n + 4 * i)),
      implementationId: udf ? EntityIdCodec.decode(bytes, iu) : { flags: 0, identifier: "", suffix: new Uint8Array(8) },
      numberOfFiles: udf ? readU32LE(bytes, iu + 32) : 0,
      numberOfDirectories: udf ? readU32LE(bytes, iu + 36) : 0,
      minimumUdfReadRevision: udf ? readU16LE(bytes, iu + 40) : 0,
      minimumUdfWriteRevision: udf ? readU16LE(bytes, iu + 42) : 0,
      maximumUdfWriteRevision: udf ? readU16LE(bytes, iu + 44) : 0,
    };
  },
} as const;
