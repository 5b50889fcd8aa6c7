/**
 * ECMA-119 9.4 Path Table Record.
 *
 *  0    length of directory identifier (LEN_DI)
 *  1    extended attribute record length
 *  2-5  location of extent (little-endian in the L table, big-endian in the M table)
 *  6-7  parent directory number (same byte order; the root is number 1 and its own parent)
 *  8..  directory identifier, then a padding byte when LEN_DI is odd
 *
 * Records are ordered by level, then parent number, then identifier (9.4 and 6.9.1).
 */
import { MalformedDataError } from "@discforge/errors";

export interface PathTableRecord {
  readonly extendedAttributeLength: number;
  readonly extent: number;
  readonly parent: number;
  readonly identifier: Uint8Array;
}

export function pathTableRecordSize(identifierLength: number): number {
  return 8 + identifierLength + (identifierLength % 2);
}

export const PathTableCodec = {
  encodeInto(r: PathTableRecord, littleEndian: boolean, out: Uint8Array, off: number): number {
    const size = pathTableRecordSize(r.identifier.length);
    const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
    out[off] = r.identifier.length;
    out[off + 1] = r.extendedAttributeLength;
    dv.setUint32(off + 2, r.extent, littleEndian);
    dv.setUint16(off + 6, r.parent, littleEndian);
    out.set(r.identifier, off + 8);
    if (r.identifier.length % 2 === 1) out[off + 8 + r.identifier.length] = 0;
    return size;
  },
  /** Decodes every record of a table of `size` bytes. */
  decodeTable(buf: Uint8Array, littleEndian: boolean, baseOffset = 0): PathTableRecord[] {
    const out: PathTableRecord[] = [];
    const structure = `ECMA-119 9.4 ${littleEndian ? "L" : "M"} path table`;
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let off = 0;
    while (off < buf.length) {
      const idLen = buf[off]!;
      if (idLen === 0) throw new MalformedDataError(structure, baseOffset + off, "zero identifier length");
      const size = pathTableRecordSize(idLen);
      if (off + size > buf.length) throw new MalformedDataError(structure, baseOffset + off, `record of ${size} bytes runs past the table`);
      const parent = dv.getUint16(off + 6, littleEndian);
      if (parent === 0 || parent > out.length + 1) throw new MalformedDataError(structure, baseOffset + off + 6, `parent number ${parent} refers to no earlier record`);
      out.push({ extendedAttributeLength: buf[off + 1]!, extent: dv.getUint32(off + 2, littleEndian), parent, identifier: buf.slice(off + 8, off + 8 + idLen) });
      off += size;
    }
    return out;
  },
} as const;
