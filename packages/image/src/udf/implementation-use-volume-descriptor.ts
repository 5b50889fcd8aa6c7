/**
 * Implementation Use Volume Descriptor, ECMA-167 3/10.4, carrying the OSTA UDF 2.60 2.2.7.2
 * LVInformation ("*UDF LV Info"): logical volume identifier and three info strings.
 */
import { readU32LE, writeU32LE } from "@discforge/bytes";
import { TAG_IDENTIFIERS, TAG_SIZE, sealDescriptor, verifyTag } from "./tag.js";
import { CharSpecCodec, OSTA_CS0, decodeDstring, encodeDstringInto } from "./charspec.js";
import { EntityIdCodec, UDF_IDENTIFIERS, type EntityId } from "./regid.js";

export interface ImplementationUseVolumeDescriptor {
  readonly volumeDescriptorSequenceNumber: number;
  /** "*UDF LV Info" with a UDF identifier suffix. */
  readonly implementationIdentifier: EntityId;
  readonly logicalVolumeIdentifier: string;
  readonly lvInfo1: string;
  readonly lvInfo2: string;
  readonly lvInfo3: string;
  /** The implementation that wrote the descriptor. */
  readonly implementationId: EntityId;
}

export const ImplementationUseVolumeDescriptorCodec = {
  size: 512,
  encode(d: ImplementationUseVolumeDescriptor, tag: { descriptorVersion: number; tagLocation: number }): Uint8Array {
    const out = new Uint8Array(512);
    writeU32LE(out, 16, d.volumeDescriptorSequenceNumber);
    EntityIdCodec.encodeInto(d.implementationIdentifier, out, 20);
    const iu = 52;
    CharSpecCodec.encodeInto(OSTA_CS0, out, iu);
    encodeDstringInto(d.logicalVolumeIdentifier, 128, out, iu + 64, true);
    encodeDstringInto(d.lvInfo1, 36, out, iu + 192, true);
    encodeDstringInto(d.lvInfo2, 36, out, iu + 228, true);
    encodeDstringInto(d.lvInfo3, 36, out, iu + 264, true);
    EntityIdCodec.encodeInto(d.implementationId, out, iu + 300);
    sealDescriptor(out, 0, { ...tag, tagIdentifier: TAG_IDENTIFIERS.implementationUseVolumeDescriptor }, 512 - TAG_SIZE);
    return out;
  },
  decode(bytes: Uint8Array, off: number, where: number): ImplementationUseVolumeDescriptor {
    verifyTag(bytes, off, { identifier: TAG_IDENTIFIERS.implementationUseVolumeDescriptor, structure: "ECMA-167 3/10.4 implementation use volume descriptor", where });
    const id = EntityIdCodec.decode(bytes, off + 20);
    const iu = off + 52;
    const lv = id.identifier === UDF_IDENTIFIERS.lvInfo;
    return {
      volumeDescriptorSequenceNumber: readU32LE(bytes, off + 16),
      implementationIdentifier: id,
      logicalVolumeIdentifier: lv ? decodeDstring(bytes, iu + 64, 128, where + 116) : "",
      lvInfo1: lv ? decodeDstring(bytes, iu + 192, 36) : "",
      lvInfo2: lv ? decodeDstring(bytes, iu + 228, 36) : "",
      lvInfo3: lv ? decodeDstring(bytes, iu + 264, 36) : "",
      implementationId: EntityIdCodec.decode(bytes, iu + 300),
    };
  },
} as const;
