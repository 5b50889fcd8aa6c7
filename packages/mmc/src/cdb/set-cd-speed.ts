/**
 * SET CD SPEED (BBh), MMC-5 6.37 / MMC-6.
 * Byte 1 bits 1-0 ROTATIONAL CONTROL (00b CLV and non-pure CAV, 01b pure CAV; 1xb reserved).
 * Bytes 2-3 LOGICAL UNIT READ SPEED, bytes 4-5 LOGICAL UNIT WRITE SPEED, both in kB/s
 * (1000 bytes/s); FFFFh asks for the fastest the drive can do.
 */
import { checkName, checkUint, CdbReader, CdbWriter, makeRequest, type Optional } from "./fields.js";
import { ONE_X_KBPS } from "../structures/speed.js";
import type { ScsiRequest } from "./request.js";

const NAME = "SET CD SPEED";
export const SET_CD_SPEED_OPCODE = 0xbb;

/** Speed value meaning "as fast as possible". */
export const SPEED_MAX = 0xffff;

export const ROTATIONAL_CONTROL = { clv: 0, pureCav: 1 } as const;
export type RotationalControl = keyof typeof ROTATIONAL_CONTROL;
const ROTATION_NAMES = ["clv", "pureCav"] as const;

/** 1x in kB/s for each medium, to turn "8x" into a speed value (the same object as ONE_X_KBPS). */
export const SPEED_1X_KBPS = ONE_X_KBPS;

export interface SetCdSpeedCdb {
  readonly rotationalControl: RotationalControl;
  readonly readSpeed: number;
  readonly writeSpeed: number;
}
/** Defaults: CLV, both speeds SPEED_MAX. */
export type SetCdSpeedParams = Optional<SetCdSpeedCdb, "rotationalControl" | "readSpeed" | "writeSpeed">;

export function buildSetCdSpeed(params: SetCdSpeedParams = {}): ScsiRequest {
  const w = new CdbWriter(SET_CD_SPEED_OPCODE, 12)
    .bits(1, 0, checkName(NAME, "rotationalControl", ROTATIONAL_CONTROL, params.rotationalControl ?? "clv"))
    .u16(2, checkUint(NAME, "readSpeed", params.readSpeed ?? SPEED_MAX, 16))
    .u16(4, checkUint(NAME, "writeSpeed", params.writeSpeed ?? SPEED_MAX, 16));
  return makeRequest("setCdSpeed", w.bytes);
}

export function parseSetCdSpeedCdb(cdb: Uint8Array): SetCdSpeedCdb {
  const r = new CdbReader(cdb, NAME, 12);
  r.reserved(1, 0xfe, "reserved ROTATIONAL CONTROL or reserved bit");
  r.reservedBytes(6, 10);
  return { rotationalControl: ROTATION_NAMES[r.bits(1, 1, 2)]!, readSpeed: r.u16(2), writeSpeed: r.u16(4) };
}
