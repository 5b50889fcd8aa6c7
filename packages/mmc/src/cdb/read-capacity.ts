/**
 * READ CAPACITY(10) (25h), MMC-5 6.19 / SBC-3 clause 5, and READ CAPACITY(16) (SERVICE
 * ACTION IN(16) 9Eh, service action 10h), SBC-3 clause 5.
 * (10): bytes 2-5 LOGICAL BLOCK ADDRESS, byte 8 bit 0 PMI; LBA must be 0 when PMI is 0.
 * (16): byte 1 bits 4-0 SERVICE ACTION, bytes 2-9 LBA, bytes 10-13 ALLOCATION LENGTH, byte 14 bit 0 PMI.
 */
import { checkBool, checkUint, CdbReader, CdbWriter, invalid, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

export const READ_CAPACITY10_OPCODE = 0x25;
export const SERVICE_ACTION_IN16_OPCODE = 0x9e;
export const READ_CAPACITY16_SERVICE_ACTION = 0x10;

export interface ReadCapacity10Cdb {
  readonly lba: number;
  /** Partial medium indicator: report the last block before a delay after `lba`. */
  readonly pmi: boolean;
}
export type ReadCapacity10Params = Optional<ReadCapacity10Cdb, "lba" | "pmi">;

export interface ReadCapacity16Cdb extends ReadCapacity10Cdb {
  readonly allocationLength: number;
}
export type ReadCapacity16Params = Optional<ReadCapacity16Cdb, "lba" | "pmi" | "allocationLength">;

export function buildReadCapacity10(params: ReadCapacity10Params = {}): ScsiRequest {
  const name = "READ CAPACITY";
  const lba = checkUint(name, "lba", params.lba ?? 0, 32);
  const pmi = checkBool(name, "pmi", params.pmi);
  if (!pmi && lba !== 0) invalid(name, "lba", "must be 0 unless pmi is set");
  const w = new CdbWriter(READ_CAPACITY10_OPCODE, 10).u32(2, lba).flag(8, 0, pmi);
  return makeRequest("readCapacity10", w.bytes, { dataInLength: 8 });
}

export function parseReadCapacity10Cdb(cdb: Uint8Array): ReadCapacity10Cdb {
  const r = new CdbReader(cdb, "READ CAPACITY", 10);
  r.reserved(1, 0xff, "RELADR is obsolete; other bits reserved");
  r.reservedBytes(6, 7);
  r.reserved(8, 0xfe);
  const lba = r.u32(2);
  const pmi = r.flag(8, 0);
  if (!pmi && lba !== 0) r.fail(2, 7, "LOGICAL BLOCK ADDRESS must be 0 when PMI is 0");
  return { lba, pmi };
}

export function buildReadCapacity16(params: ReadCapacity16Params = {}): ScsiRequest {
  const name = "READ CAPACITY(16)";
  const lba = checkUint(name, "lba", params.lba ?? 0, 53);
  const pmi = checkBool(name, "pmi", params.pmi);
  if (!pmi && lba !== 0) invalid(name, "lba", "must be 0 unless pmi is set");
  const allocationLength = checkUint(name, "allocationLength", params.allocationLength ?? 32, 32);
  const w = new CdbWriter(SERVICE_ACTION_IN16_OPCODE, 16).u8(1, READ_CAPACITY16_SERVICE_ACTION).u64(2, lba).u32(10, allocationLength).flag(14, 0, pmi);
  return { ...makeRequest("serviceActionIn16", w.bytes, { dataInLength: allocationLength }), name };
}

export function parseReadCapacity16Cdb(cdb: Uint8Array): ReadCapacity16Cdb {
  const r = new CdbReader(cdb, "READ CAPACITY(16)", 16);
  r.reserved(1, 0xe0);
  if (r.bits(1, 4, 5) !== READ_CAPACITY16_SERVICE_ACTION) r.fail(1, 4, "unsupported SERVICE ACTION");
  r.reserved(14, 0xfe);
  const lba = r.u64(2);
  const pmi = r.flag(14, 0);
  if (!pmi && lba !== 0) r.fail(2, 7, "LOGICAL BLOCK ADDRESS must be 0 when PMI is 0");
  return { lba, pmi, allocationLength: r.u32(10) };
}
