/**
 * Mode page 01h, Read/Write Error Recovery Parameters (MMC-6 7.3; SPC-4 7.5.7 page format).
 * Page length 0Ah; MMC-1 era drives return the 06h form without write retry count and recovery
 * time limit, which decodes with those two fields absent.
 */
import { ByteWriter } from "@discforge/bytes";
import { bit, bits, flag, optU8At, u8At, u16At, uint, type Codec, type MaybeTruncated } from "./codec.js";
import { modePageByte0, openModePage } from "./mode-parameters.js";

export const ERROR_RECOVERY_PAGE_CODE = 0x01;

export interface ErrorRecoveryPage extends MaybeTruncated {
  readonly ps: boolean;
  /** Automatic Write Reallocation Enabled. */
  readonly awre: boolean;
  /** Automatic Read Reallocation Enabled. */
  readonly arre: boolean;
  /** Transfer Block: return a block that could not be recovered. */
  readonly tb: boolean;
  /** Read Continuous: transfer without delay for error recovery. */
  readonly rc: boolean;
  /** Post Error: report recovered errors. */
  readonly per: boolean;
  /** Disable Transfer on Error. */
  readonly dte: boolean;
  /** Disable Correction. */
  readonly dcr: boolean;
  readonly readRetryCount: number;
  /** Enhanced Media Certification and Defect Reporting (2 bits). */
  readonly emcdr: number;
  readonly writeRetryCount?: number;
  /** Milliseconds. */
  readonly recoveryTimeLimit?: number;
}

const STRUCTURE = "mode page 01h (Read/Write Error Recovery)";

function decode(bytes: Uint8Array): ErrorRecoveryPage {
  const { reader: r, ps, truncated } = openModePage(bytes, STRUCTURE, ERROR_RECOVERY_PAGE_CODE, 6);
  const b2 = u8At(r, 2);
  const writeRetryCount = optU8At(r, 8);
  const recoveryTimeLimit = r.bytes.length >= 12 ? u16At(r, 10) : undefined;
  return {
    ps,
    awre: bit(b2, 7),
    arre: bit(b2, 6),
    tb: bit(b2, 5),
    rc: bit(b2, 4),
    per: bit(b2, 2),
    dte: bit(b2, 1),
    dcr: bit(b2, 0),
    readRetryCount: u8At(r, 3),
    emcdr: bits(u8At(r, 7), 1, 0),
    ...(writeRetryCount === undefined ? {} : { writeRetryCount }),
    ...(recoveryTimeLimit === undefined ? {} : { recoveryTimeLimit }),
    ...(truncated === undefined ? {} : { truncated }),
  };
}

function encode(v: ErrorRecoveryPage): Uint8Array {
  const long = v.writeRetryCount !== undefined || v.recoveryTimeLimit !== undefined;
  const w = new ByteWriter(long ? 12 : 8);
  w.u8(modePageByte0(ERROR_RECOVERY_PAGE_CODE, v.ps)).u8(long ? 0x0a : 0x06);
  w.u8(flag(v.awre, 7) | flag(v.arre, 6) | flag(v.tb, 5) | flag(v.rc, 4) | flag(v.per, 2) | flag(v.dte, 1) | flag(v.dcr, 0));
  w.u8(uint("readRetryCount", v.readRetryCount, 8)).skip(3).u8(uint("emcdr", v.emcdr, 2));
  if (long) {
    w.u8(uint("writeRetryCount", v.writeRetryCount ?? 0, 8)).skip(1).u16be(uint("recoveryTimeLimit", v.recoveryTimeLimit ?? 0, 16));
  }
  return w.bytes;
}

export const errorRecoveryPageCodec: Codec<ErrorRecoveryPage> = { structure: STRUCTURE, decode, encode };
