/**
 * START STOP UNIT (1Bh), MMC-6 clause 6 (START STOP UNIT); power conditions from SBC-3.
 * Byte 1 bit 0 IMMED. Byte 4: bits 7-4 POWER CONDITION, bit 2 FL (format-layer: load and select
 * the format layer of a hybrid disc), bit 1 LOEJ, bit 0 START. With LoEj: Start 0 ejects, Start 1
 * loads. A non-zero power condition makes the drive ignore LoEj and Start.
 */
import { checkBool, checkName, CdbReader, CdbWriter, invalid, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "START STOP UNIT";
export const START_STOP_UNIT_OPCODE = 0x1b;

export const POWER_CONDITION = {
  startValid: 0x0,
  active: 0x1,
  idle: 0x2,
  standby: 0x3,
  sleep: 0x5,
  luControl: 0x7,
  forceIdle0: 0xa,
  forceStandby0: 0xb,
} as const;
export type PowerCondition = keyof typeof POWER_CONDITION;
const POWER_NAMES: Readonly<Record<number, PowerCondition>> = Object.fromEntries(Object.entries(POWER_CONDITION).map(([k, v]) => [v, k as PowerCondition]));

export interface StartStopUnitCdb {
  readonly immed: boolean;
  readonly powerCondition: PowerCondition;
  readonly fl: boolean;
  readonly loej: boolean;
  readonly start: boolean;
}
export type StartStopUnitParams = Optional<StartStopUnitCdb, "immed" | "powerCondition" | "fl" | "loej" | "start">;

/** Convenience forms: eject, load (close tray and spin up), start, stop. */
export const START_STOP_ACTIONS = {
  eject: { loej: true, start: false },
  load: { loej: true, start: true },
  start: { loej: false, start: true },
  stop: { loej: false, start: false },
} as const satisfies Record<string, StartStopUnitParams>;

export function buildStartStopUnit(params: StartStopUnitParams): ScsiRequest {
  const immed = checkBool(NAME, "immed", params.immed);
  const powerCondition = checkName(NAME, "powerCondition", POWER_CONDITION, params.powerCondition ?? "startValid");
  const fl = checkBool(NAME, "fl", params.fl);
  const loej = checkBool(NAME, "loej", params.loej);
  const start = checkBool(NAME, "start", params.start);
  if (powerCondition !== 0 && (loej || start || fl)) invalid(NAME, "powerCondition", "a power condition excludes loej, start and fl");
  if (fl && !(loej && start)) invalid(NAME, "fl", "format-layer selection needs loej and start");
  const w = new CdbWriter(START_STOP_UNIT_OPCODE, 6).flag(1, 0, immed).bits(4, 4, powerCondition).flag(4, 2, fl).flag(4, 1, loej).flag(4, 0, start);
  return makeRequest("startStopUnit", w.bytes, immed ? { timeoutClass: "short" } : {});
}

export function parseStartStopUnitCdb(cdb: Uint8Array): StartStopUnitCdb {
  const r = new CdbReader(cdb, NAME, 6);
  r.reserved(1, 0xfe);
  r.reservedBytes(2, 3);
  r.reserved(4, 0x08);
  const powerCondition = POWER_NAMES[r.bits(4, 7, 4)] ?? r.fail(4, 7, "reserved POWER CONDITION");
  return { immed: r.flag(1, 0), powerCondition, fl: r.flag(4, 2), loej: r.flag(4, 1), start: r.flag(4, 0) };
}
