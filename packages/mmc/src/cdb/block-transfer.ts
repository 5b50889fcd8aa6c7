/**
 * The CDB layout READ(10)/(12) and WRITE(10)/(12) share (MMC-5 6.15, 6.16 and clause 6 WRITE):
 * byte 1 bit 4 DPO and bit 3 FUA (the other bits reserved for MMC), bytes 2-5 LOGICAL BLOCK
 * ADDRESS, the transfer length in bytes 7-8 (10) or 6-9 (12), and for the 12-byte forms byte 10
 * bit 7 STREAMING.
 *
 * MMC-6 adds a TSR bit (Timely Safe Recording, feature 0042h: write fast, collect defects later)
 * to WRITE(10)/(12) and WRITE AND VERIFY(10). We found no public source for its bit position, so
 * it is not offered: the bit stays with the reserved ones, which builders leave zero and parsers
 * refuse.
 */
import { checkBool, checkUint, CdbReader, CdbWriter } from "./fields.js";

export interface BlockTransferFields {
  readonly lba: number;
  /** Number of logical blocks; 0 transfers nothing. */
  readonly transferLength: number;
  /** Disable page out: the data need not stay in the cache. */
  readonly dpo: boolean;
  /** Force unit access: go to the medium, not the cache. */
  readonly fua: boolean;
}
export interface StreamingBlockTransferFields extends BlockTransferFields {
  /** READ(12): Real Time Streaming timing; WRITE(12): stream recording, no defect management. */
  readonly streaming: boolean;
}

interface BlockTransferInput {
  readonly lba: number;
  readonly transferLength: number;
  readonly dpo?: boolean;
  readonly fua?: boolean;
  readonly streaming?: boolean;
}

/** Validates the fields and writes the CDB; returns it with the checked transfer length. */
export function writeBlockTransferCdb(name: string, opcode: number, length: 10 | 12, p: BlockTransferInput): { cdb: Uint8Array; transferLength: number } {
  const lba = checkUint(name, "lba", p.lba, 32);
  const transferLength = checkUint(name, "transferLength", p.transferLength, length === 10 ? 16 : 32);
  const w = new CdbWriter(opcode, length).flag(1, 4, checkBool(name, "dpo", p.dpo)).flag(1, 3, checkBool(name, "fua", p.fua)).u32(2, lba);
  if (length === 10) w.u16(7, transferLength);
  else w.u32(6, transferLength).flag(10, 7, checkBool(name, "streaming", p.streaming));
  return { cdb: w.bytes, transferLength };
}

export function readBlockTransfer10Cdb(name: string, cdb: Uint8Array): BlockTransferFields {
  const r = new CdbReader(cdb, name, 10);
  r.reserved(1, 0xe7);
  r.reservedBytes(6, 6);
  return { lba: r.u32(2), transferLength: r.u16(7), dpo: r.flag(1, 4), fua: r.flag(1, 3) };
}

export function readBlockTransfer12Cdb(name: string, cdb: Uint8Array): StreamingBlockTransferFields {
  const r = new CdbReader(cdb, name, 12);
  r.reserved(1, 0xe7);
  r.reserved(10, 0x7f);
  return { lba: r.u32(2), transferLength: r.u32(6), dpo: r.flag(1, 4), fua: r.flag(1, 3), streaming: r.flag(10, 7) };
}
