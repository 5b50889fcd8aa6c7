/**
 * RESERVE TRACK (53h), MMC-5 6.31 / MMC-6.
 * Byte 1: bit 1 RMZ, bit 0 ARSV. With ARSV = 0 bytes 5-8 hold the RESERVATION SIZE in blocks
 * (bytes 2-4 reserved): the form growisofs uses for DVD-R/-RW disc-at-once. With ARSV = 1 bytes
 * 2-5 hold a LOGICAL BLOCK ADDRESS that ends the reservation (the reserved track's last block
 * is that address minus one; bytes 6-8 reserved), a later form older drives may refuse. The
 * drive may round a reservation up to its medium's unit (16 blocks on DVD+R). RMZ asks for an updatable Recording Management Zone (HD DVD-R) and goes
 * with the size form only.
 */
import { checkBool, checkUint, CdbReader, CdbWriter, invalid, makeRequest } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "RESERVE TRACK";
export const RESERVE_TRACK_OPCODE = 0x53;

export interface ReserveTrackSizeCdb {
  readonly form: "size";
  readonly rmz: boolean;
  readonly reservationSize: number;
}
export interface ReserveTrackLbaCdb {
  readonly form: "lba";
  readonly lba: number;
}
export type ReserveTrackCdb = ReserveTrackSizeCdb | ReserveTrackLbaCdb;
export type ReserveTrackParams = (Omit<ReserveTrackSizeCdb, "rmz"> & { readonly rmz?: boolean }) | ReserveTrackLbaCdb;

export function buildReserveTrack(params: ReserveTrackParams): ScsiRequest {
  const w = new CdbWriter(RESERVE_TRACK_OPCODE, 10);
  if (params.form === "size") {
    w.flag(1, 1, checkBool(NAME, "rmz", params.rmz)).u32(5, checkUint(NAME, "reservationSize", params.reservationSize, 32));
  } else if (params.form === "lba") {
    w.flag(1, 0, true).u32(2, checkUint(NAME, "lba", params.lba, 32));
  } else {
    invalid(NAME, "form", `${String((params as { form: unknown }).form)} is not "size" or "lba"`);
  }
  return makeRequest("reserveTrack", w.bytes);
}

export function parseReserveTrackCdb(cdb: Uint8Array): ReserveTrackCdb {
  const r = new CdbReader(cdb, NAME, 10);
  r.reserved(1, 0xfc);
  if (r.flag(1, 0)) {
    if (r.flag(1, 1)) r.fail(1, 1, "RMZ is not allowed with ARSV");
    r.reservedBytes(6, 8);
    return { form: "lba", lba: r.u32(2) };
  }
  r.reservedBytes(2, 4);
  return { form: "size", rmz: r.flag(1, 1), reservationSize: r.u32(5) };
}
