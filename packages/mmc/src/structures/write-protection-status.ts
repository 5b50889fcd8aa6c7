/**
 * READ DISC STRUCTURE format C0h, Write Protection Status (MMC-6 6.23, format code C0h; valid
 * for any medium, both media type 0000b and 0001b). Four data bytes after the 4-byte header:
 * byte 0 bit 3 MSWI (writing inhibited for a media-specific reason), bit 2 CWP (the cartridge's
 * write-protect switch), bit 1 PWP (persistent write protection recorded on the medium), bit 0
 * SWPP (software write protection until power-down, set through mode page 1Dh); bytes 1-3 reserved.
 *
 * MMC drives leave the MODE SENSE device-specific WP bit reserved, so this structure is how a
 * write-protected medium is recognised before a write is attempted.
 */
import { bit, flag, u8At, type Codec, type MaybeTruncated } from "./codec.js";
import { frameDiscStructure, openDiscStructure } from "./disc-structure.js";

export const WRITE_PROTECTION_STATUS_FORMAT = 0xc0;

export interface WriteProtectionStatus extends MaybeTruncated {
  /** Media Specific Write Inhibition. */
  readonly mswi: boolean;
  /** Cartridge Write Protect. */
  readonly cwp: boolean;
  /** Persistent Write Protect. */
  readonly pwp: boolean;
  /** Software Write Protect until Power-down. */
  readonly swpp: boolean;
}

const STRUCTURE = "READ DISC STRUCTURE C0h (write protection status)";

export const writeProtectionStatusCodec: Codec<WriteProtectionStatus> = {
  structure: STRUCTURE,
  decode(bytes) {
    const { data: r, truncated } = openDiscStructure(bytes, STRUCTURE, 1);
    const b = u8At(r, 0);
    return { mswi: bit(b, 3), cwp: bit(b, 2), pwp: bit(b, 1), swpp: bit(b, 0), ...(truncated === undefined ? {} : { truncated }) };
  },
  encode(v) {
    return frameDiscStructure(Uint8Array.of(flag(v.mswi, 3) | flag(v.cwp, 2) | flag(v.pwp, 1) | flag(v.swpp, 0), 0, 0, 0));
  },
};

/** True when any of the four protections stops writing to the medium. */
export function isWriteProtected(status: WriteProtectionStatus): boolean {
  return status.mswi || status.cwp || status.pwp || status.swpp;
}
