/**
 * CLOSE TRACK/SESSION (5Bh), MMC-5 6.3 / MMC-6.
 * Byte 1 bit 0 IMMED. Byte 2 bits 2-0 CLOSE FUNCTION. Bytes 4-5 LOGICAL TRACK NUMBER (used by
 * "close track"; the other functions ignore it, and so it is kept as given).
 */
import { checkBool, checkName, checkUint, CdbReader, CdbWriter, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "CLOSE TRACK/SESSION";
export const CLOSE_TRACK_SESSION_OPCODE = 0x5b;

/**
 * CLOSE FUNCTION values and what each does per medium (MMC-5 6.3.2; unchanged in MMC-6).
 * Media per code as drive command references list them (e.g. Pioneer's BDR-203: 000b +RW;
 * 001b CD-R/RW, DVD-R/RW/-R DL, +R, +R DL, BD-R; 010b the same plus formatted DVD-RW and +RW;
 * 011b formatted DVD-RW and +RW; 100b +R DL; 101b +R and +R DL; 110b +R, +R DL and BD-R), and
 * as growisofs and libburn use them: 000b then 010b to end DVD+RW de-icing, 001b then 010b per
 * DVD+R/BD-R session, 101b (growisofs: DVD+R DL; libburn: DVD+R and DVD+R DL) or 110b
 * (growisofs: DVD+R; libburn: BD-R) to finalise.
 */
export const CLOSE_FUNCTIONS = [
  { code: 0b000, name: "stopBackgroundFormatQuick", meaning: "DVD+RW (and MRW media): stop background formatting at once, writing nothing more; not valid for CD-R/RW, DVD-R/RW, DVD+R, BD" },
  { code: 0b001, name: "closeTrack", meaning: "CD: close the track; DVD-R/-RW: close the RZone; DVD+R/+R DL: close the fragment; BD-R: close the logical track" },
  { code: 0b010, name: "closeSession", meaning: "CD: close the last session; DVD-R/-RW: close the border (finalises if mode page 05h asks for no next session); DVD+R/BD-R: close the session; formatted DVD-RW: write the lead-out (quick grow); DVD+RW: stop background formatting compatibly, with a lead-out" },
  { code: 0b011, name: "dvdPlusRwFinalize", meaning: "DVD+RW: complete background formatting (de-icing) and the lead-out; formatted (restricted overwrite) DVD-RW: finalise the disc; not valid for other media" },
  { code: 0b100, name: "dvdPlusRDlCloseSessionMinimalRadius", meaning: "DVD+R DL: close the session, extending the middle zones to the minimal (30 mm) radius where needed; not valid for other media" },
  { code: 0b101, name: "finalizeMinimalRadius", meaning: "DVD+R and DVD+R DL: close the session and finalise the disc, with the lead-out (DL: middle zones) at the minimal radius" },
  { code: 0b110, name: "finalize", meaning: "DVD+R, DVD+R DL and BD-R: close the session and finalise the disc" },
  { code: 0b111, name: "reserved", meaning: "reserved" },
] as const;
export type CloseFunction = Exclude<(typeof CLOSE_FUNCTIONS)[number]["name"], "reserved">;
export const CLOSE_FUNCTION: Readonly<Record<CloseFunction, number>> = Object.fromEntries(
  CLOSE_FUNCTIONS.filter((f) => f.name !== "reserved").map((f) => [f.name, f.code]),
) as Record<CloseFunction, number>;

export interface CloseTrackSessionCdb {
  readonly immed: boolean;
  readonly closeFunction: CloseFunction;
  readonly trackNumber: number;
}
export type CloseTrackSessionParams = Optional<CloseTrackSessionCdb, "immed" | "trackNumber">;

export function buildCloseTrackSession(params: CloseTrackSessionParams): ScsiRequest {
  const immed = checkBool(NAME, "immed", params.immed);
  const w = new CdbWriter(CLOSE_TRACK_SESSION_OPCODE, 10)
    .flag(1, 0, immed)
    .bits(2, 0, checkName(NAME, "closeFunction", CLOSE_FUNCTION, params.closeFunction))
    .u16(4, checkUint(NAME, "trackNumber", params.trackNumber ?? 0, 16));
  return makeRequest("closeTrackSession", w.bytes, immed ? { timeoutClass: "media" } : {});
}

export function parseCloseTrackSessionCdb(cdb: Uint8Array): CloseTrackSessionCdb {
  const r = new CdbReader(cdb, NAME, 10);
  r.reserved(1, 0xfe);
  r.reserved(2, 0xf8);
  const f = CLOSE_FUNCTIONS[r.bits(2, 2, 3)]!;
  if (f.name === "reserved") r.fail(2, 2, "CLOSE FUNCTION 111b is reserved");
  r.reservedBytes(3, 3);
  r.reservedBytes(6, 8);
  return { immed: r.flag(1, 0), closeFunction: f.name as CloseFunction, trackNumber: r.u16(4) };
}
