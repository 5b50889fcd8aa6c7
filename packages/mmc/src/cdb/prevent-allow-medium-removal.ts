/**
 * PREVENT ALLOW MEDIUM REMOVAL (1Eh), MMC-5 6.14 / MMC-6.
 * Byte 4: bit 1 PERSISTENT PREVENT, bit 0 PREVENT. MMC keeps two independent locks: the
 * ordinary one (per initiator) and the persistent one (survives a reset, blocks even the
 * eject button until released).
 */
import { checkBool, CdbReader, CdbWriter, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "PREVENT ALLOW MEDIUM REMOVAL";
export const PREVENT_ALLOW_MEDIUM_REMOVAL_OPCODE = 0x1e;

export interface PreventAllowMediumRemovalCdb {
  readonly prevent: boolean;
  /** With prevent false, this releases the persistent lock; with prevent true, sets it. */
  readonly persistent: boolean;
}
export type PreventAllowMediumRemovalParams = Optional<PreventAllowMediumRemovalCdb, "persistent">;

export function buildPreventAllowMediumRemoval(params: PreventAllowMediumRemovalParams): ScsiRequest {
  const w = new CdbWriter(PREVENT_ALLOW_MEDIUM_REMOVAL_OPCODE, 6)
    .flag(4, 1, checkBool(NAME, "persistent", params.persistent))
    .flag(4, 0, checkBool(NAME, "prevent", params.prevent));
  return makeRequest("preventAllowMediumRemoval", w.bytes);
}

export function parsePreventAllowMediumRemovalCdb(cdb: Uint8Array): PreventAllowMediumRemovalCdb {
  const r = new CdbReader(cdb, NAME, 6);
  r.reservedBytes(1, 3);
  r.reserved(4, 0xfc);
  return { prevent: r.flag(4, 0), persistent: r.flag(4, 1) };
}
