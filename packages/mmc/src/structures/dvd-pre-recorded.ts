/**
 * READ DISC STRUCTURE, DVD format 0Eh: DVD-R/-RW pre-recorded information in the lead-in
 * (MMC-6 6.23.3.2.12; ECMA-279/338 LPP fields). Five 8-byte fields, each a field ID (1..5) and
 * 7 bytes. Fields 3 and 4 carry the 12-character manufacturer ID in their bytes 1-6.
 */
import { InvalidArgumentError } from "@discforge/errors";
import { asciiId, copyAt, exactBytes, fixedEntries, u8At, uint, type Codec, type MaybeTruncated } from "./codec.js";
import { frameDiscStructure, openDiscStructure } from "./disc-structure.js";

export interface PreRecordedField {
  readonly fieldId: number;
  /** Bytes 1-7 of the field. */
  readonly data: Uint8Array;
}

export interface DvdPreRecordedInformation extends MaybeTruncated {
  readonly fields: readonly PreRecordedField[];
}

const STRUCTURE = "READ DISC STRUCTURE DVD 0Eh (pre-recorded information)";

export const dvdPreRecordedInformationCodec: Codec<DvdPreRecordedInformation> = {
  structure: STRUCTURE,
  decode(bytes) {
    const { data: r, truncated } = openDiscStructure(bytes, STRUCTURE, 0);
    const fields = fixedEntries(r, 0, 8, (at) => ({ fieldId: u8At(r, at), data: copyAt(r, at + 1, 7) }));
    return { fields, ...(truncated === undefined ? {} : { truncated }) };
  },
  encode(v) {
    const data = new Uint8Array(v.fields.length * 8);
    v.fields.forEach((f, i) => {
      data[i * 8] = uint("fieldId", f.fieldId, 8);
      data.set(exactBytes("field data", f.data, 7), i * 8 + 1);
    });
    return frameDiscStructure(data);
  },
};

/** The manufacturer ID from fields 3 and 4 (6 + 6 characters), or undefined when they are absent. */
export function dvdMinusManufacturerId(info: DvdPreRecordedInformation): string | undefined {
  const f3 = info.fields.find((f) => f.fieldId === 3);
  const f4 = info.fields.find((f) => f.fieldId === 4);
  if (f3 === undefined || f4 === undefined) return undefined;
  const joined = new Uint8Array(12);
  joined.set(f3.data.subarray(0, 6), 0);
  joined.set(f4.data.subarray(0, 6), 6);
  return asciiId(joined);
}

/** Five fields with the manufacturer ID placed in fields 3 and 4 (for emulated DVD-R media). */
export function dvdPreRecordedWithManufacturer(manufacturerId: string): DvdPreRecordedInformation {
  const padded = manufacturerId.padEnd(12, " ");
  if (padded.length > 12 || !/^[\x20-\x7e]*$/.test(padded)) throw new InvalidArgumentError("manufacturerId", "must be at most 12 printable ASCII characters");
  const fields: PreRecordedField[] = [];
  for (let id = 1; id <= 5; id++) {
    const data = new Uint8Array(7);
    if (id === 3 || id === 4) {
      const part = padded.slice((id - 3) * 6, (id - 2) * 6);
      for (let i = 0; i < 6; i++) data[i] = part.charCodeAt(i);
    }
    fields.push({ fieldId: id, data });
  }
  return { fields };
}
