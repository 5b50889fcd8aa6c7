/**
 * SYNCHRONIZE CACHE(10) (35h), MMC-6 clause 6 (SYNCHRONIZE CACHE); SBC-3 clause 5.
 * Byte 1 bit 1 IMMED (SYNC_NV, bit 2, does not apply to MMC). Bytes 2-5 LOGICAL BLOCK ADDRESS,
 * bytes 7-8 NUMBER OF BLOCKS (0 = to the end of the medium).
 */
import { checkBool, checkUint, CdbReader, CdbWriter, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "SYNCHRONIZE CACHE(10)";
export const SYNCHRONIZE_CACHE10_OPCODE = 0x35;

export interface SynchronizeCacheCdb {
  /** Return at once; completion is then seen through READ DISC INFORMATION / TEST UNIT READY. */
  readonly immed: boolean;
  readonly lba: number;
  readonly blocks: number;
}
export type SynchronizeCacheParams = Optional<SynchronizeCacheCdb, "immed" | "lba" | "blocks">;

export function buildSynchronizeCache(params: SynchronizeCacheParams = {}): ScsiRequest {
  const immed = checkBool(NAME, "immed", params.immed);
  const w = new CdbWriter(SYNCHRONIZE_CACHE10_OPCODE, 10)
    .flag(1, 1, immed)
    .u32(2, checkUint(NAME, "lba", params.lba ?? 0, 32))
    .u16(7, checkUint(NAME, "blocks", params.blocks ?? 0, 16));
  return makeRequest("synchronizeCache10", w.bytes, immed ? { timeoutClass: "media" } : {});
}

export function parseSynchronizeCacheCdb(cdb: Uint8Array): SynchronizeCacheCdb {
  const r = new CdbReader(cdb, NAME, 10);
  r.reserved(1, 0xfd);
  r.reservedBytes(6, 6);
  return { immed: r.flag(1, 1), lba: r.u32(2), blocks: r.u16(7) };
}
