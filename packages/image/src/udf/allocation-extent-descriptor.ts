/**
 * Allocation Extent Descriptor, ECMA-167 4/14.5 (OSTA UDF 2.60 2.3.11): continues a file's
 * allocation descriptors in another block when they do not fit in the ICB.
 */
import { MalformedDataError } from "@discforge/errors";
import { readU32LE, writeU32LE } from "@discforge/bytes";
import { TAG_IDENTIFIERS, sealDescriptor, verifyTag } from "./tag.js";

export const ALLOCATION_EXTENT_HEADER = 24;

export const AllocationExtentDescriptorCodec = {
  /**
   * `crcWholeDescriptor`: from UDF 2.01 the CRC covers the descriptors too; before, only the
   * 8 bytes after the tag (UDF 2.01 2.3.11).
   */
  encode(previousAllocationExtentLocation: number, allocationDescriptors: Uint8Array, tag: { descriptorVersion: number; tagLocation: number }, crcWholeDescriptor = true): Uint8Array {
    const out = new Uint8Array(ALLOCATION_EXTENT_HEADER + allocationDescriptors.length);
    writeU32LE(out, 16, previousAllocationExtentLocation);
    writeU32LE(out, 20, allocationDescriptors.length);
    out.set(allocationDescriptors, ALLOCATION_EXTENT_HEADER);
    sealDescriptor(out, 0, { ...tag, tagIdentifier: TAG_IDENTIFIERS.allocationExtentDescriptor }, crcWholeDescriptor ? out.length - 16 : 8);
    return out;
  },
  decode(bytes: Uint8Array, off: number, where: number): { previousAllocationExtentLocation: number; allocationDescriptors: Uint8Array } {
    verifyTag(bytes, off, { identifier: TAG_IDENTIFIERS.allocationExtentDescriptor, structure: "ECMA-167 4/14.5 allocation extent descriptor", where });
    const len = readU32LE(bytes, off + 20);
    if (off + ALLOCATION_EXTENT_HEADER + len > bytes.length) throw new MalformedDataError("ECMA-167 4/14.5 allocation extent descriptor", where + 20, `${len} bytes of descriptors run past the block`);
    return { previousAllocationExtentLocation: readU32LE(bytes, off + 16), allocationDescriptors: bytes.slice(off + ALLOCATION_EXTENT_HEADER, off + ALLOCATION_EXTENT_HEADER + len) };
  },
} as const;
