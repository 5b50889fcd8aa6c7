/**
 * Extended attributes of a file entry: the Extended Attribute Header Descriptor (ECMA-167
 * 4/14.10.1) and the Device Specification attribute (4/14.10.7, OSTA UDF 2.60 3.3.4.4) that
 * records the major and minor numbers of character and block devices.
 */
import { MalformedDataError } from "@discforge/errors";
import { readU32LE, writeU32LE } from "@discforge/bytes";
import { TAG_IDENTIFIERS, sealDescriptor, verifyTag } from "./tag.js";

export const EA_HEADER_SIZE = 24;
export const DEVICE_SPECIFICATION = { type: 12, subtype: 1, size: 24 } as const;

/** The EA space of a device's file entry: the header, then one Device Specification. */
export function encodeDeviceAttributes(major: number, minor: number, tag: { descriptorVersion: number; tagLocation: number }): Uint8Array {
  const out = new Uint8Array(EA_HEADER_SIZE + DEVICE_SPECIFICATION.size);
  // No implementation or application attributes: both locations point past the EA space.
  writeU32LE(out, 16, out.length);
  writeU32LE(out, 20, out.length);
  sealDescriptor(out, 0, { ...tag, tagIdentifier: TAG_IDENTIFIERS.extendedAttributeHeaderDescriptor }, 8);
  const d = EA_HEADER_SIZE;
  writeU32LE(out, d, DEVICE_SPECIFICATION.type);
  out[d + 4] = DEVICE_SPECIFICATION.subtype;
  writeU32LE(out, d + 8, DEVICE_SPECIFICATION.size);
  writeU32LE(out, d + 12, 0); // implementation use length
  writeU32LE(out, d + 16, major >>> 0);
  writeU32LE(out, d + 20, minor >>> 0);
  return out;
}

/** Finds a Device Specification in an EA space; undefined when there is none. */
export function decodeDeviceAttributes(ea: Uint8Array, where: number): { major: number; minor: number } | undefined {
  if (ea.length < EA_HEADER_SIZE) return undefined;
  verifyTag(ea, 0, { identifier: TAG_IDENTIFIERS.extendedAttributeHeaderDescriptor, structure: "ECMA-167 4/14.10.1 extended attribute header descriptor", where });
  const end = Math.min(readU32LE(ea, 16), ea.length);
  let off = EA_HEADER_SIZE;
  for (let n = 0; off + 12 <= end && n < 256; n++) {
    const type = readU32LE(ea, off);
    const length = readU32LE(ea, off + 8);
    if (length < 12 || off + length > ea.length) throw new MalformedDataError("ECMA-167 4/14.10.2 extended attribute", where + off, `length ${length} does not fit the ${ea.length}-byte attribute space`);
    if (type === DEVICE_SPECIFICATION.type && ea[off + 4] === DEVICE_SPECIFICATION.subtype && length >= DEVICE_SPECIFICATION.size) {
      const iu = readU32LE(ea, off + 12);
      if (off + 24 + iu > ea.length) throw new MalformedDataError("ECMA-167 4/14.10.7 device specification", where + off, "implementation use runs past the attribute space");
      return { major: readU32LE(ea, off + 16), minor: readU32LE(ea, off + 20) };
    }
    off += length;
  }
  return undefined;
}
