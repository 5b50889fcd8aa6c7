/**
 * SEEK(10) (2Bh), MMC-5 6.32 / MMC-6: bytes 2-5 LOGICAL BLOCK ADDRESS, the rest reserved.
 */
import { checkUint, CdbReader, CdbWriter, makeRequest } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "SEEK(10)";
export const SEEK10_OPCODE = 0x2b;

export interface Seek10Cdb {
  readonly lba: number;
}

export function buildSeek10(params: Seek10Cdb): ScsiRequest {
  const w = new CdbWriter(SEEK10_OPCODE, 10).u32(2, checkUint(NAME, "lba", params.lba, 32));
  return makeRequest("seek10", w.bytes);
}

export function parseSeek10Cdb(cdb: Uint8Array): Seek10Cdb {
  const r = new CdbReader(cdb, NAME, 10);
  r.reservedBytes(1, 1);
  r.reservedBytes(6, 8);
  return { lba: r.u32(2) };
}
