/**
 * Mode page 1Ah, Power Condition (MMC-6 7.4 / SPC-4 7.5.12). MMC drives use the 0Ah form:
 * Idle and Standby enable bits and their condition timers in units of 100 ms. Bytes past the
 * MMC form (SPC-4's Idle_b/Idle_c/Standby_y timers and CCF fields) are kept raw in `extension`.
 */
import { ByteWriter } from "@discforge/bytes";
import { bit, copyAt, flag, u8At, u32At, uint, type Codec, type MaybeTruncated } from "./codec.js";
import { modePageByte0, openModePage } from "./mode-parameters.js";

export const POWER_CONDITION_PAGE_CODE = 0x1a;

export interface PowerConditionPage extends MaybeTruncated {
  readonly ps: boolean;
  /** Byte 2 as sent (SPC-4 PM_BG_PRECEDENCE and STANDBY_Y live here); 0 on MMC drives. */
  readonly byte2: number;
  readonly idle: boolean;
  readonly standby: boolean;
  /** Idle condition timer, 100 ms units. */
  readonly idleConditionTimer: number;
  /** Standby condition timer, 100 ms units. */
  readonly standbyConditionTimer: number;
  /** Bits 7..2 of byte 3 (SPC-4 IDLE_C, IDLE_B), kept for round trips. */
  readonly otherConditionBits: number;
  /** Parameter bytes after byte 11 (SPC-4 extension), raw. */
  readonly extension: Uint8Array;
}

const STRUCTURE = "mode page 1Ah (Power Condition)";

function decode(bytes: Uint8Array): PowerConditionPage {
  const { reader: r, ps, truncated } = openModePage(bytes, STRUCTURE, POWER_CONDITION_PAGE_CODE, 10);
  const b3 = u8At(r, 3);
  return {
    ps,
    byte2: u8At(r, 2),
    idle: bit(b3, 1),
    standby: bit(b3, 0),
    idleConditionTimer: u32At(r, 4),
    standbyConditionTimer: u32At(r, 8),
    otherConditionBits: b3 >>> 2,
    extension: copyAt(r, 12, r.bytes.length - 12),
    ...(truncated === undefined ? {} : { truncated }),
  };
}

function encode(v: PowerConditionPage): Uint8Array {
  const length = 10 + v.extension.length;
  uint("page length", length, 8);
  const w = new ByteWriter(2 + length);
  w.u8(modePageByte0(POWER_CONDITION_PAGE_CODE, v.ps)).u8(length).u8(uint("byte2", v.byte2, 8));
  w.u8((uint("otherConditionBits", v.otherConditionBits, 6) << 2) | flag(v.idle, 1) | flag(v.standby, 0));
  w.u32be(uint("idleConditionTimer", v.idleConditionTimer, 32)).u32be(uint("standbyConditionTimer", v.standbyConditionTimer, 32));
  w.raw(v.extension);
  return w.bytes;
}

export const powerConditionPageCodec: Codec<PowerConditionPage> = { structure: STRUCTURE, decode, encode };
