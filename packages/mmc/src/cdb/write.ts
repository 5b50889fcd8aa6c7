/**
 * WRITE(10) (2Ah) and WRITE(12) (AAh), MMC-6 clause 6 (WRITE (10), WRITE (12)).
 * Byte 1: bit 4 DPO, bit 3 FUA. Bytes 2-5 LOGICAL BLOCK ADDRESS. Transfer length in blocks:
 * bytes 7-8 (10) or 6-9 (12). WRITE(12) byte 10 bit 7 STREAMING (write with stream recording,
 * no defect management: BD-RE/DVD-RAM real-time writes).
 */
import { checkBool, checkUint, CdbReader, CdbWriter, invalid, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

export const WRITE10_OPCODE = 0x2a;
export const WRITE12_OPCODE = 0xaa;

export interface Write10Cdb {
  readonly lba: number;
  readonly transferLength: number;
  readonly dpo: boolean;
  readonly fua: boolean;
}
export interface Write12Cdb extends Write10Cdb {
  readonly streaming: boolean;
}
export type Write10Params = Optional<Write10Cdb, "dpo" | "fua">;
export type Write12Params = Optional<Write12Cdb, "dpo" | "fua" | "streaming">;

/** Data for `blocks` blocks must be a whole number of equal blocks (and empty for zero blocks). */
export function checkBlockData(command: string, blocks: number, data: Uint8Array | undefined): void {
  if (data === undefined) return;
  if (blocks === 0 ? data.length !== 0 : data.length === 0 || data.length % blocks !== 0) {
    invalid(command, "data", `${data.length} bytes are not ${blocks} whole blocks`);
  }
}

export function buildWrite10(params: Write10Params, data?: Uint8Array): ScsiRequest {
  const name = "WRITE(10)";
  const lba = checkUint(name, "lba", params.lba, 32);
  const transferLength = checkUint(name, "transferLength", params.transferLength, 16);
  checkBlockData(name, transferLength, data);
  const w = new CdbWriter(WRITE10_OPCODE, 10)
    .flag(1, 4, checkBool(name, "dpo", params.dpo))
    .flag(1, 3, checkBool(name, "fua", params.fua))
    .u32(2, lba)
    .u16(7, transferLength);
  return makeRequest("write10", w.bytes, transferLength === 0 ? { direction: "none" } : { dataOut: data });
}

export function buildWrite12(params: Write12Params, data?: Uint8Array): ScsiRequest {
  const name = "WRITE(12)";
  const lba = checkUint(name, "lba", params.lba, 32);
  const transferLength = checkUint(name, "transferLength", params.transferLength, 32);
  checkBlockData(name, transferLength, data);
  const w = new CdbWriter(WRITE12_OPCODE, 12)
    .flag(1, 4, checkBool(name, "dpo", params.dpo))
    .flag(1, 3, checkBool(name, "fua", params.fua))
    .u32(2, lba)
    .u32(6, transferLength)
    .flag(10, 7, checkBool(name, "streaming", params.streaming));
  return makeRequest("write12", w.bytes, transferLength === 0 ? { direction: "none" } : { dataOut: data });
}

export function parseWrite10Cdb(cdb: Uint8Array): Write10Cdb {
  const r = new CdbReader(cdb, "WRITE(10)", 10);
  r.reserved(1, 0xe7);
  r.reservedBytes(6, 6);
  return { lba: r.u32(2), transferLength: r.u16(7), dpo: r.flag(1, 4), fua: r.flag(1, 3) };
}

export function parseWrite12Cdb(cdb: Uint8Array): Write12Cdb {
  const r = new CdbReader(cdb, "WRITE(12)", 12);
  r.reserved(1, 0xe7);
  r.reserved(10, 0x7f);
  return { lba: r.u32(2), transferLength: r.u32(6), dpo: r.flag(1, 4), fua: r.flag(1, 3), streaming: r.flag(10, 7) };
}
