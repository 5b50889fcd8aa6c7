/**
 * Partition maps of a logical volume: Type 1 (ECMA-167 3/10.7.2, a physical partition) and
 * Type 2 (3/10.7.3) as the OSTA UDF 2.60 2.2.10 Metadata Partition Map ("*UDF Metadata
 * Partition": metadata file, mirror and bitmap locations, allocation and alignment units).
 * Other Type 2 maps (virtual, sparable) are kept raw.
 */
import { MalformedDataError } from "@discforge/errors";
import { readU16LE, readU32LE, writeU16LE, writeU32LE } from "@discforge/bytes";
import { EntityIdCodec, UDF_IDENTIFIERS, udfSuffix, type EntityId } from "./regid.js";

export interface Type1PartitionMap {
  readonly type: 1;
  readonly volumeSequenceNumber: number;
  readonly partitionNumber: number;
}

export interface MetadataPartitionMap {
  readonly type: 2;
  readonly kind: "metadata";
  readonly partitionTypeIdentifier: EntityId;
  readonly volumeSequenceNumber: number;
  readonly partitionNumber: number;
  readonly metadataFileLocation: number;
  readonly metadataMirrorFileLocation: number;
  /** 0xFFFFFFFF when there is no bitmap file (read-only media). */
  readonly metadataBitmapFileLocation: number;
  readonly allocationUnitSize: number;
  readonly alignmentUnitSize: number;
  /** Bit 0: Duplicate Metadata Flag (the mirror holds a copy). */
  readonly flags: number;
}

export interface OtherType2PartitionMap {
  readonly type: 2;
  readonly kind: "other";
  readonly partitionTypeIdentifier: EntityId;
  readonly raw: Uint8Array;
}

export type PartitionMap = Type1PartitionMap | MetadataPartitionMap | OtherType2PartitionMap;

export const NO_BITMAP_FILE = 0xffff_ffff;

export function metadataMap(fields: Omit<MetadataPartitionMap, "type" | "kind" | "partitionTypeIdentifier">, revision: number): MetadataPartitionMap {
  return { type: 2, kind: "metadata", partitionTypeIdentifier: { flags: 0, identifier: UDF_IDENTIFIERS.metadataPartition, suffix: udfSuffix(revision) }, ...fields };
}

export const PartitionMapCodec = {
  sizeOf(m: PartitionMap): number {
    return m.type === 1 ? 6 : 64;
  },
  encodeInto(m: PartitionMap, out: Uint8Array, off: number): number {
    if (m.type === 1) {
      out[off] = 1;
      out[off + 1] = 6;
      writeU16LE(out, off + 2, m.volumeSequenceNumber);
      writeU16LE(out, off + 4, m.partitionNumber);
      return 6;
    }
    out[off] = 2;
    out[off + 1] = 64;
    if (m.kind === "other") {
      out.set(m.raw.subarray(2, 64), off + 2);
      return 64;
    }
    EntityIdCodec.encodeInto(m.partitionTypeIdentifier, out, off + 4);
    writeU16LE(out, off + 36, m.volumeSequenceNumber);
    writeU16LE(out, off + 38, m.partitionNumber);
    writeU32LE(out, off + 40, m.metadataFileLocation);
    writeU32LE(out, off + 44, m.metadataMirrorFileLocation);
    writeU32LE(out, off + 48, m.metadataBitmapFileLocation);
    writeU32LE(out, off + 52, m.allocationUnitSize);
    writeU16LE(out, off + 56, m.alignmentUnitSize);
    out[off + 58] = m.flags;
    return 64;
  },
  decode(bytes: Uint8Array, off: number, where: number): PartitionMap {
    const type = bytes[off];
    const length = bytes[off + 1];
    if (type === 1) {
      if (length !== 6) throw new MalformedDataError("ECMA-167 3/10.7.2 type 1 partition map", where, `length ${length}, expected 6`);
      return { type: 1, volumeSequenceNumber: readU16LE(bytes, off + 2), partitionNumber: readU16LE(bytes, off + 4) };
    }
    if (type === 2) {
      if (length !== 64) throw new MalformedDataError("ECMA-167 3/10.7.3 type 2 partition map", where, `length ${length}, expected 64`);
      const id = EntityIdCodec.decode(bytes, off + 4);
      if (id.identifier !== UDF_IDENTIFIERS.metadataPartition) return { type: 2, kind: "other", partitionTypeIdentifier: id, raw: bytes.slice(off, off + 64) };
      return {
        type: 2,
        kind: "metadata",
        partitionTypeIdentifier: id,
        volumeSequenceNumber: readU16LE(bytes, off + 36),
        partitionNumber: readU16LE(bytes, off + 38),
        metadataFileLocation: readU32LE(bytes, off + 40),
        metadataMirrorFileLocation: readU32LE(bytes, off + 44),
        metadataBitmapFileLocation: readU32LE(bytes, off + 48),
        allocationUnitSize: readU32LE(bytes, off + 52),
        alignmentUnitSize: readU16LE(bytes, off + 56),
        flags: bytes[off + 58]!,
      };
    }
    throw new MalformedDataError("ECMA-167 3/10.7 partition map", where, `unknown partition map type ${String(type)}`);
  },
} as const;
