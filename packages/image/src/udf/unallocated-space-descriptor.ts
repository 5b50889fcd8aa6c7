/**
 * Unallocated Space Descriptor, ECMA-167 3/10.8 (OSTA UDF 2.60 2.2.5): volume space not in any
 * partition and free; none in a mastered image.
 */
import { MalformedDataError } from "@discforge/errors";
import { readU32LE, writeU32LE } from "@discforge/bytes";
import { TAG_IDENTIFIERS, TAG_SIZE, sealDescriptor, verifyTag } from "./tag.js";
import { ExtentAdCodec, type ExtentAd } from "./allocation-descriptors.js";

export interface UnallocatedSpaceDescriptor {
  readonly volumeDescriptorSequenceNumber: number;
  readonly allocationDescriptors: readonly ExtentAd[];
}

export const UnallocatedSpaceDescriptorCodec = {
  encode(d: UnallocatedSpaceDescriptor, tag: { descriptorVersion: number; tagLocation: number }): Uint8Array {
    const size = 24 + 8 * d.allocationDescriptors.length;
    const out = new Uint8Array(Math.max(512, size));
    writeU32LE(out, 16, d.volumeDescriptorSequenceNumber);
    writeU32LE(out, 20, d.allocationDescriptors.length);
    d.allocationDescriptors.forEach((e, i) => ExtentAdCodec.encodeInto(e, out, 24 + 8 * i));
    sealDescriptor(out, 0, { ...tag, tagIdentifier: TAG_IDENTIFIERS.unallocatedSpaceDescriptor }, size - TAG_SIZE);
    return out;
  },
  decode(bytes: Uint8Array, off: number, where: number): UnallocatedSpaceDescriptor {
    verifyTag(bytes, off, { identifier: TAG_IDENTIFIERS.unallocatedSpaceDescriptor, structure: "ECMA-167 3/10.8 unallocated space descriptor", where });
    const n = readU32LE(bytes, off + 20);
    if (off + 24 + 8 * n > bytes.length) throw new MalformedDataError("ECMA-167 3/10.8 unallocated space descriptor", where + 20, `${n} descriptors do not fit`);
    return { volumeDescriptorSequenceNumber: readU32LE(bytes, off + 16), allocationDescriptors: Array.from({ length: n }, (_, i) => ExtentAdCodec.decode(bytes, off + 24 + 8 * i)) };
  },
} as const;
