/**
 * TEST UNIT READY (00h), SPC-4 clause 6 (TEST UNIT READY): bytes 1-4 reserved, byte 5 CONTROL.
 */
import { CdbReader, CdbWriter, makeRequest } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "TEST UNIT READY";
export const TEST_UNIT_READY_OPCODE = 0x00;

export type TestUnitReadyCdb = Record<string, never>;

export function buildTestUnitReady(): ScsiRequest {
  return makeRequest("testUnitReady", new CdbWriter(TEST_UNIT_READY_OPCODE, 6).bytes);
}

export function parseTestUnitReadyCdb(cdb: Uint8Array): TestUnitReadyCdb {
  const r = new CdbReader(cdb, NAME, 6);
  r.reservedBytes(1, 4);
  return {};
}
