/**
 * READ BUFFER CAPACITY (5Ch), MMC-5 6.18 / MMC-6.
 * Byte 1 bit 0 BLOCK (report in blocks instead of bytes), bytes 7-8 ALLOCATION LENGTH.
 */
import { checkBool, checkUint, CdbReader, CdbWriter, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "READ BUFFER CAPACITY";
export const READ_BUFFER_CAPACITY_OPCODE = 0x5c;

export interface ReadBufferCapacityCdb {
  readonly block: boolean;
  readonly allocationLength: number;
}
/** allocationLength defaults to 12, the size of both reply forms. */
export type ReadBufferCapacityParams = Optional<ReadBufferCapacityCdb, "block" | "allocationLength">;

export function buildReadBufferCapacity(params: ReadBufferCapacityParams = {}): ScsiRequest {
  const allocationLength = checkUint(NAME, "allocationLength", params.allocationLength ?? 12, 16);
  const w = new CdbWriter(READ_BUFFER_CAPACITY_OPCODE, 10).flag(1, 0, checkBool(NAME, "block", params.block)).u16(7, allocationLength);
  return makeRequest("readBufferCapacity", w.bytes, { dataInLength: allocationLength });
}

export function parseReadBufferCapacityCdb(cdb: Uint8Array): ReadBufferCapacityCdb {
  const r = new CdbReader(cdb, NAME, 10);
  r.reserved(1, 0xfe);
  r.reservedBytes(2, 6);
  return { block: r.flag(1, 0), allocationLength: r.u16(7) };
}
