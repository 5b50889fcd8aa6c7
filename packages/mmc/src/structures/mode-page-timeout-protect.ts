/**
 * Mode page 1Dh, Timeout and Protect (MMC-6 7.7): group 3 timeout enable, time-out enable,
 * disable (media access until power) and software write protect until power-down, with the
 * minimum timeouts in seconds of command groups 1, 2 and 3.
 */
import { ByteWriter } from "@discforge/bytes";
import { bit, flag, u8At, u16At, uint, type Codec, type MaybeTruncated } from "./codec.js";
import { modePageByte0, openModePage } from "./mode-parameters.js";

export const TIMEOUT_PROTECT_PAGE_CODE = 0x1d;

export interface TimeoutProtectPage extends MaybeTruncated {
  readonly ps: boolean;
  /** G3Enable: the Group 3 timeout field is valid. */
  readonly g3Enable: boolean;
  /** TMOE: time-out enable. */
  readonly tmoe: boolean;
  /** DISP: disable media access until power cycle (after a time-out). */
  readonly disp: boolean;
  /** SWPP: software write protect until power-down. */
  readonly swpp: boolean;
  /** Seconds. */
  readonly group1MinimumTimeout: number;
  readonly group2MinimumTimeout: number;
  readonly group3Timeout: number;
}

const STRUCTURE = "mode page 1Dh (Timeout and Protect)";

function decode(bytes: Uint8Array): TimeoutProtectPage {
  const { reader: r, ps, truncated } = openModePage(bytes, STRUCTURE, TIMEOUT_PROTECT_PAGE_CODE, 10);
  const b4 = u8At(r, 4);
  return {
    ps,
    g3Enable: bit(b4, 3),
    tmoe: bit(b4, 2),
    disp: bit(b4, 1),
    swpp: bit(b4, 0),
    group1MinimumTimeout: u16At(r, 6),
    group2MinimumTimeout: u16At(r, 8),
    group3Timeout: u16At(r, 10),
    ...(truncated === undefined ? {} : { truncated }),
  };
}

function encode(v: TimeoutProtectPage): Uint8Array {
  const w = new ByteWriter(12);
  w.u8(modePageByte0(TIMEOUT_PROTECT_PAGE_CODE, v.ps)).u8(0x0a).skip(2);
  w.u8(flag(v.g3Enable, 3) | flag(v.tmoe, 2) | flag(v.disp, 1) | flag(v.swpp, 0)).skip(1);
  w.u16be(uint("group1MinimumTimeout", v.group1MinimumTimeout, 16));
  w.u16be(uint("group2MinimumTimeout", v.group2MinimumTimeout, 16));
  w.u16be(uint("group3Timeout", v.group3Timeout, 16));
  return w.bytes;
}

export const timeoutProtectPageCodec: Codec<TimeoutProtectPage> = { structure: STRUCTURE, decode, encode };
