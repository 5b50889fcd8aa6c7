/**
 * WRITE AND VERIFY(10) (2Eh) and VERIFY(10) (2Fh), MMC-6 clause 6 (WRITE AND VERIFY (10),
 * VERIFY (10)); SBC-3 clause 5.
 * Byte 1: bit 4 DPO, bit 1 BYTCHK. Bytes 2-5 LOGICAL BLOCK ADDRESS. Bytes 7-8 TRANSFER LENGTH
 * (WRITE AND VERIFY) or VERIFICATION LENGTH (VERIFY), in blocks.
 * WRITE AND VERIFY always sends data; BYTCHK = 1 also compares it byte for byte after writing.
 * VERIFY with BYTCHK = 0 checks the medium's ECC only; with BYTCHK = 1 the host sends the data
 * to compare.
 */
import { checkBool, checkUint, CdbReader, CdbWriter, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";
import { checkBlockData } from "./write.js";

export const WRITE_AND_VERIFY10_OPCODE = 0x2e;
export const VERIFY10_OPCODE = 0x2f;

export interface VerifyCdb {
  readonly lba: number;
  readonly transferLength: number;
  readonly dpo: boolean;
  readonly bytchk: boolean;
}
export type WriteAndVerify10Cdb = VerifyCdb;
export type Verify10Cdb = VerifyCdb;
export type WriteAndVerify10Params = Optional<VerifyCdb, "dpo" | "bytchk">;
export type Verify10Params = Optional<VerifyCdb, "dpo" | "bytchk">;

function write(name: string, opcode: number, p: WriteAndVerify10Params): { w: CdbWriter; p: VerifyCdb } {
  const full: VerifyCdb = {
    lba: checkUint(name, "lba", p.lba, 32),
    transferLength: checkUint(name, "transferLength", p.transferLength, 16),
    dpo: checkBool(name, "dpo", p.dpo),
    bytchk: checkBool(name, "bytchk", p.bytchk),
  };
  const w = new CdbWriter(opcode, 10).flag(1, 4, full.dpo).flag(1, 1, full.bytchk).u32(2, full.lba).u16(7, full.transferLength);
  return { w, p: full };
}

export function buildWriteAndVerify10(params: WriteAndVerify10Params, data?: Uint8Array): ScsiRequest {
  const name = "WRITE AND VERIFY(10)";
  const { w, p } = write(name, WRITE_AND_VERIFY10_OPCODE, params);
  checkBlockData(name, p.transferLength, data);
  return makeRequest("writeAndVerify10", w.bytes, p.transferLength === 0 ? { direction: "none" } : { dataOut: data });
}

export function buildVerify10(params: Verify10Params, data?: Uint8Array): ScsiRequest {
  const name = "VERIFY(10)";
  const { w, p } = write(name, VERIFY10_OPCODE, params);
  if (p.bytchk) checkBlockData(name, p.transferLength, data);
  else if (data !== undefined) checkBlockData(name, 0, data);
  const sends = p.bytchk && p.transferLength > 0;
  return makeRequest("verify10", w.bytes, sends ? { dataOut: data, timeoutClass: "long" } : { direction: "none", timeoutClass: "long" });
}

function parse(name: string, cdb: Uint8Array): VerifyCdb {
  const r = new CdbReader(cdb, name, 10);
  r.reserved(1, 0xed);
  r.reservedBytes(6, 6);
  return { lba: r.u32(2), transferLength: r.u16(7), dpo: r.flag(1, 4), bytchk: r.flag(1, 1) };
}

export function parseWriteAndVerify10Cdb(cdb: Uint8Array): WriteAndVerify10Cdb {
  return parse("WRITE AND VERIFY(10)", cdb);
}

export function parseVerify10Cdb(cdb: Uint8Array): Verify10Cdb {
  return parse("VERIFY(10)", cdb);
}
