/**
 * READ(10) (28h) and READ(12) (A8h), MMC-5 6.15 and 6.16 / MMC-6; SBC-3 clause 5.
 * Byte 1: bit 4 DPO, bit 3 FUA (RDPROTECT, FUA_NV and RELADR do not apply to MMC and are rejected).
 * Bytes 2-5 LOGICAL BLOCK ADDRESS. Transfer length in blocks: bytes 7-8 (10) or 6-9 (12).
 * READ(12) byte 10 bit 7 STREAMING (read with the Real Time Streaming feature's timing).
 */
import {
  readBlockTransfer10Cdb,
  readBlockTransfer12Cdb,
  writeBlockTransferCdb,
  type BlockTransferFields,
  type StreamingBlockTransferFields,
} from "./block-transfer.js";
import { checkRange, invalid, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

export const READ10_OPCODE = 0x28;
export const READ12_OPCODE = 0xa8;

export type Read10Cdb = BlockTransferFields;
export type Read12Cdb = StreamingBlockTransferFields;
export type Read10Params = Optional<Read10Cdb, "dpo" | "fua">;
export type Read12Params = Optional<Read12Cdb, "dpo" | "fua" | "streaming">;

/** Bytes per block expected from the device; defaults to 2048 (the MMC logical block). */
export interface BlockTransferOptions {
  readonly blockSize?: number;
}

/** Data length of a block transfer; refuses results beyond 2^32-1 bytes (no transport carries more). */
export function blockTransferBytes(command: string, blocks: number, options: BlockTransferOptions = {}): number {
  const blockSize = checkRange(command, "blockSize", options.blockSize ?? 2048, 1, 65536);
  const bytes = blocks * blockSize;
  if (bytes > 0xffffffff) invalid(command, "transferLength", `${blocks} blocks of ${blockSize} bytes exceed 4 GiB`);
  return bytes;
}

export function buildRead10(params: Read10Params, options: BlockTransferOptions = {}): ScsiRequest {
  const { cdb, transferLength } = writeBlockTransferCdb("READ(10)", READ10_OPCODE, 10, params);
  return makeRequest("read10", cdb, { dataInLength: blockTransferBytes("READ(10)", transferLength, options) });
}

export function buildRead12(params: Read12Params, options: BlockTransferOptions = {}): ScsiRequest {
  const { cdb, transferLength } = writeBlockTransferCdb("READ(12)", READ12_OPCODE, 12, params);
  return makeRequest("read12", cdb, { dataInLength: blockTransferBytes("READ(12)", transferLength, options) });
}

export function parseRead10Cdb(cdb: Uint8Array): Read10Cdb {
  return readBlockTransfer10Cdb("READ(10)", cdb);
}

export function parseRead12Cdb(cdb: Uint8Array): Read12Cdb {
  return readBlockTransfer12Cdb("READ(12)", cdb);
}
