/**
 * Logical Volume Descriptor, ECMA-167 3/10.6 (OSTA UDF 2.60 2.2.4): the volume's name, block
 * size, domain ("*OSTA UDF Compliant" with the UDF revision), the File Set Descriptor's address
 * (logical volume contents use, a long_ad), the integrity sequence and the partition maps.
 */
import { MalformedDataError } from "@discforge/errors";
import { readU32LE, writeU32LE } from "@discforge/bytes";
import { TAG_IDENTIFIERS, TAG_SIZE, sealDescriptor, verifyTag } from "./tag.js";
import { CharSpecCodec, OSTA_CS0, decodeDstring, encodeDstringInto } from "./charspec.js";
import { EntityIdCodec, type EntityId } from "./regid.js";
import { ExtentAdCodec, LongAdCodec, type ExtentAd, type LongAd } from "./allocation-descriptors.js";
import { PartitionMapCodec, type PartitionMap } from "./partition-map.js";

export interface LogicalVolumeDescriptor {
  readonly volumeDescriptorSequenceNumber: number;
  readonly logicalVolumeIdentifier: string;
  readonly logicalBlockSize: number;
  readonly domainIdentifier: EntityId;
  /** Where the File Set Descriptor is. */
  readonly fileSetDescriptor: LongAd;
  readonly implementationIdentifier: EntityId;
  readonly integritySequenceExtent: ExtentAd;
  readonly partitionMaps: readonly PartitionMap[];
}

const MAX_MAPS = 64;

export const LogicalVolumeDescriptorCodec = {
  sizeOf(d: LogicalVolumeDescriptor): number {
    return 440 + d.partitionMaps.reduce((n, m) => n + PartitionMapCodec.sizeOf(m), 0);
  },
  encode(d: LogicalVolumeDescriptor, tag: { descriptorVersion: number; tagLocation: number }): Uint8Array {
    const size = LogicalVolumeDescriptorCodec.sizeOf(d);
    const out = new Uint8Array(Math.max(512, size));
    writeU32LE(out, 16, d.volumeDescriptorSequenceNumber);
    CharSpecCodec.encodeInto(OSTA_CS0, out, 20);
    encodeDstringInto(d.logicalVolumeIdentifier, 128, out, 84, true);
    writeU32LE(out, 212, d.logicalBlockSize);
    EntityIdCodec.encodeInto(d.domainIdentifier, out, 216);
    LongAdCodec.encodeInto(d.fileSetDescriptor, out, 248);
    writeU32LE(out, 264, size - 440);
    writeU32LE(out, 268, d.partitionMaps.length);
    EntityIdCodec.encodeInto(d.implementationIdentifier, out, 272);
    ExtentAdCodec.encodeInto(d.integritySequenceExtent, out, 432);
    let off = 440;
    for (const m of d.partitionMaps) off += PartitionMapCodec.encodeInto(m, out, off);
    sealDescriptor(out, 0, { ...tag, tagIdentifier: TAG_IDENTIFIERS.logicalVolumeDescriptor }, size - TAG_SIZE);
    return out;
  },
  decode(bytes: Uint8Array, off: number, where: number): LogicalVolumeDescriptor {
    const structure = "ECMA-167 3/10.6 logical volume descriptor";
    verifyTag(bytes, off, { identifier: TAG_IDENTIFIERS.logicalVolumeDescriptor, structure, where });
    const mapTableLength = readU32LE(bytes, off + 264);
    const count = readU32LE(bytes, off + 268);
    if (count > MAX_MAPS || off + 440 + mapTableLength > bytes.length) throw new MalformedDataError(structure, where + 264, `${count} partition maps in ${mapTableLength} bytes do not fit`);
    const maps: PartitionMap[] = [];
    let p = off + 440;
    for (let i = 0; i < count; i++) {
      if (p + 2 > off + 440 + mapTableLength) throw new MalformedDataError(structure, where + (p - off), "partition map table is shorter than its maps");
      const m = PartitionMapCodec.decode(bytes, p, where + (p - off));
      maps.push(m);
      p += PartitionMapCodec.sizeOf(m);
    }
    return {
      volumeDescriptorSequenceNumber: readU32LE(bytes, off + 16),
      logicalVolumeIdentifier: decodeDstring(bytes, off + 84, 128, where + 84),
      logicalBlockSize: readU32LE(bytes, off + 212),
      domainIdentifier: EntityIdCodec.decode(bytes, off + 216),
      fileSetDescriptor: LongAdCodec.decode(bytes, off + 248),
      implementationIdentifier: EntityIdCodec.decode(bytes, off + 272),
      integritySequenceExtent: ExtentAdCodec.decode(bytes, off + 432),
      partitionMaps: maps,
    };
  },
} as const;
