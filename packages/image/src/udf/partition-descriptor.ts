/**
 * Partition Descriptor, ECMA-167 3/10.5 (OSTA UDF 2.60 2.2.14): where the partition lies, its
 * access type, and the Partition Header Descriptor (4/14.3) with the space tables and bitmaps
 * (none on read-only media).
 */
import { readU16LE, readU32LE, writeU16LE, writeU32LE } from "@discforge/bytes";
import { TAG_IDENTIFIERS, TAG_SIZE, sealDescriptor, verifyTag } from "./tag.js";
import { EntityIdCodec, type EntityId } from "./regid.js";
import { ShortAdCodec, type ShortAd } from "./allocation-descriptors.js";

/** Access types, ECMA-167 3/10.5.7 (0: pseudo-overwritable, UDF 2.60 2.2.14.2). */
export const ACCESS_TYPES = { pseudoOverwritable: 0, readOnly: 1, writeOnce: 2, rewritable: 3, overwritable: 4 } as const;

export interface PartitionDescriptor {
  readonly volumeDescriptorSequenceNumber: number;
  /** Bit 0: the volume space is allocated to the partition. */
  readonly partitionFlags: number;
  readonly partitionNumber: number;
  /** "+NSR02" or "+NSR03". */
  readonly partitionContents: EntityId;
  /** Partition Header Descriptor (ECMA-167 4/14.3): the unallocated space bitmap, if any. */
  readonly unallocatedSpaceBitmap?: ShortAd;
  readonly accessType: number;
  readonly partitionStartingLocation: number;
  readonly partitionLength: number;
  readonly implementationIdentifier: EntityId;
}

export const PartitionDescriptorCodec = {
  size: 512,
  encode(d: PartitionDescriptor, tag: { descriptorVersion: number; tagLocation: number }): Uint8Array {
    const out = new Uint8Array(512);
    writeU32LE(out, 16, d.volumeDescriptorSequenceNumber);
    writeU16LE(out, 20, d.partitionFlags);
    writeU16LE(out, 22, d.partitionNumber);
    EntityIdCodec.encodeInto(d.partitionContents, out, 24);
    if (d.unallocatedSpaceBitmap) ShortAdCodec.encodeInto(d.unallocatedSpaceBitmap, out, 56 + 8);
    writeU32LE(out, 184, d.accessType);
    writeU32LE(out, 188, d.partitionStartingLocation);
    writeU32LE(out, 192, d.partitionLength);
    EntityIdCodec.encodeInto(d.implementationIdentifier, out, 196);
    sealDescriptor(out, 0, { ...tag, tagIdentifier: TAG_IDENTIFIERS.partitionDescriptor }, 512 - TAG_SIZE);
    return out;
  },
  decode(bytes: Uint8Array, off: number, where: number): PartitionDescriptor {
    verifyTag(bytes, off, { identifier: TAG_IDENTIFIERS.partitionDescriptor, structure: "ECMA-167 3/10.5 partition descriptor", where });
    const bitmap = ShortAdCodec.decode(bytes, off + 64);
    return {
      volumeDescriptorSequenceNumber: readU32LE(bytes, off + 16),
      partitionFlags: readU16LE(bytes, off + 20),
      partitionNumber: readU16LE(bytes, off + 22),
      partitionContents: EntityIdCodec.decode(bytes, off + 24),
      ...(bitmap.length > 0 ? { unallocatedSpaceBitmap: bitmap } : {}),
      accessType: readU32LE(bytes, off + 184),
      partitionStartingLocation: readU32LE(bytes, off + 188),
      partitionLength: readU32LE(bytes, off + 192),
      implementationIdentifier: EntityIdCodec.decode(bytes, off + 196),
    };
  },
} as const;
