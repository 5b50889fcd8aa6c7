/**
 * Anchor Volume Descriptor Pointer, ECMA-167 3/10.2 (OSTA UDF 2.60 2.2.3): recorded at sector 256
 * and at the last sector (or last - 256) of the volume; points at the main and reserve volume
 * descriptor sequences.
 */
import { TAG_IDENTIFIERS, TAG_SIZE, sealDescriptor, verifyTag } from "./tag.js";
import { ExtentAdCodec, type ExtentAd } from "./allocation-descriptors.js";

export interface AnchorVolumeDescriptorPointer {
  readonly mainVolumeDescriptorSequence: ExtentAd;
  readonly reserveVolumeDescriptorSequence: ExtentAd;
}

export const AnchorCodec = {
  size: 512,
  encode(a: AnchorVolumeDescriptorPointer, tag: { descriptorVersion: number; tagLocation: number; tagSerialNumber?: number }): Uint8Array {
    const out = new Uint8Array(512);
    ExtentAdCodec.encodeInto(a.mainVolumeDescriptorSequence, out, 16);
    ExtentAdCodec.encodeInto(a.reserveVolumeDescriptorSequence, out, 24);
    sealDescriptor(out, 0, { ...tag, tagIdentifier: TAG_IDENTIFIERS.anchorVolumeDescriptorPointer }, 512 - TAG_SIZE);
    return out;
  },
  decode(bytes: Uint8Array, off: number, where: number, location?: number): AnchorVolumeDescriptorPointer {
    verifyTag(bytes, off, { identifier: TAG_IDENTIFIERS.anchorVolumeDescriptorPointer, structure: "ECMA-167 3/10.2 anchor volume descriptor pointer", where, ...(location !== undefined ? { location } : {}) });
    return { mainVolumeDescriptorSequence: ExtentAdCodec.decode(bytes, off + 16), reserveVolumeDescriptorSequence: ExtentAdCodec.decode(bytes, off + 24) };
  },
} as const;
