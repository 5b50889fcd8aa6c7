/**
 * Primary Volume Descriptor, ECMA-167 3/10.1 (OSTA UDF 2.60 2.2.2): volume and volume set
 * identifiers (dstrings), interchange levels, character sets, recording time, implementation.
 */
import { readU16LE, readU32LE, writeU16LE, writeU32LE } from "@discforge/bytes";
import { TAG_IDENTIFIERS, TAG_SIZE, sealDescriptor, verifyTag } from "./tag.js";
import { CharSpecCodec, OSTA_CS0, decodeDstring, encodeDstringInto } from "./charspec.js";
import { EntityIdCodec, type EntityId } from "./regid.js";
import { TimestampCodec } from "./timestamp.js";

export interface PrimaryVolumeDescriptor {
  readonly volumeDescriptorSequenceNumber: number;
  readonly primaryVolumeDescriptorNumber: number;
  readonly volumeIdentifier: string;
  readonly volumeSequenceNumber: number;
  readonly maximumVolumeSequenceNumber: number;
  readonly interchangeLevel: number;
  readonly maximumInterchangeLevel: number;
  readonly volumeSetIdentifier: string;
  readonly applicationIdentifier: EntityId;
  readonly recordingDateAndTime: Date;
  readonly implementationIdentifier: EntityId;
}

export const PrimaryVolumeDescriptorCodec = {
  size: 512,
  encode(d: PrimaryVolumeDescriptor, tag: { descriptorVersion: number; tagLocation: number }): Uint8Array {
    const out = new Uint8Array(512);
    writeU32LE(out, 16, d.volumeDescriptorSequenceNumber);
    writeU32LE(out, 20, d.primaryVolumeDescriptorNumber);
    encodeDstringInto(d.volumeIdentifier, 32, out, 24, true);
    writeU16LE(out, 56, d.volumeSequenceNumber);
    writeU16LE(out, 58, d.maximumVolumeSequenceNumber);
    writeU16LE(out, 60, d.interchangeLevel);
    writeU16LE(out, 62, d.maximumInterchangeLevel);
    writeU32LE(out, 64, 1); // character set list: CS0 only (UDF 2.2.2.2)
    writeU32LE(out, 68, 1);
    encodeDstringInto(d.volumeSetIdentifier, 128, out, 72, true);
    CharSpecCodec.encodeInto(OSTA_CS0, out, 200);
    CharSpecCodec.encodeInto(OSTA_CS0, out, 264);
    EntityIdCodec.encodeInto(d.applicationIdentifier, out, 344);
    TimestampCodec.encodeInto(d.recordingDateAndTime, out, 376);
    EntityIdCodec.encodeInto(d.implementationIdentifier, out, 388);
    sealDescriptor(out, 0, { ...tag, tagIdentifier: TAG_IDENTIFIERS.primaryVolumeDescriptor }, 512 - TAG_SIZE);
    return out;
  },
  decode(bytes: Uint8Array, off: number, where: number): PrimaryVolumeDescriptor {
    verifyTag(bytes, off, { identifier: TAG_IDENTIFIERS.primaryVolumeDescriptor, structure: "ECMA-167 3/10.1 primary volume descriptor", where });
    return {
      volumeDescriptorSequenceNumber: readU32LE(bytes, off + 16),
      primaryVolumeDescriptorNumber: readU32LE(bytes, off + 20),
      volumeIdentifier: decodeDstring(bytes, off + 24, 32, where + 24),
      volumeSequenceNumber: readU16LE(bytes, off + 56),
      maximumVolumeSequenceNumber: readU16LE(bytes, off + 58),
      interchangeLevel: readU16LE(bytes, off + 60),
      maximumInterchangeLevel: readU16LE(bytes, off + 62),
      volumeSetIdentifier: decodeDstring(bytes, off + 72, 128, where + 72),
      applicationIdentifier: EntityIdCodec.decode(bytes, off + 344),
      recordingDateAndTime: TimestampCodec.decode(bytes, off + 376, where + 376)?.date ?? new Date(0),
      implementationIdentifier: EntityIdCodec.decode(bytes, off + 388),
    };
  },
} as const;
