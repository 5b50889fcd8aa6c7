/**
 * WRITE(10) (2Ah) and WRITE(12) (AAh), MMC-6 clause 6 (WRITE (10), WRITE (12)).
 * Byte 1: bit 4 DPO, bit 3 FUA. Bytes 2-5 LOGICAL BLOCK ADDRESS. Transfer length in blocks:
 * bytes 7-8 (10) or 6-9 (12). WRITE(12) byte 10 bit 7 STREAMING (write with stream recording,
 * no defect management: BD-RE/DVD-RAM real-time writes).
 */
import {
  readBlockTransfer10Cdb,
  readBlockTransfer12Cdb,
  writeBlockTransferCdb,
  type BlockTransferFields,
  type StreamingBlockTransferFields,
} from "./block-transfer.js";
import { invalid, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

export const WRITE10_OPCODE = 0x2a;
export const WRITE12_OPCODE = 0xaa;

export type Write10Cdb = BlockTransferFields;
export type Write12Cdb = StreamingBlockTransferFields;
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
  const { cdb, transferLength } = writeBlockTransferCdb("WRITE(10)", WRITE10_OPCODE, 10, params);
  checkBlockData("WRITE(10)", transferLength, data);
  return makeRequest("write10", cdb, transferLength === 0 ? { direction: "none" } : { dataOut: data });
}

export function buildWrite12(params: Write12Params, data?: Uint8Array): ScsiRequest {
  const { cdb, transferLength } = writeBlockTransferCdb("WRITE(12)", WRITE12_OPCODE, 12, params);
  checkBlockData("WRITE(12)", transferLength, data);
  return makeRequest("write12", cdb, transferLength === 0 ? { direction: "none" } : { dataOut: data });
}

export function parseWrite10Cdb(cdb: Uint8Array): Write10Cdb {
  return readBlockTransfer10Cdb("WRITE(10)", cdb);
}

export function parseWrite12Cdb(cdb: Uint8Array): Write12Cdb {
  return readBlockTransfer12Cdb("WRITE(12)", cdb);
}
