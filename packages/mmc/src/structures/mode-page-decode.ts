/**
 * Decodes the raw pages of a mode parameter list with the typed page codecs (MMC-6 7.2): the
 * drive layer uses it to show a MODE SENSE, the emulated drive to apply a MODE SELECT.
 */
import { MalformedDataError } from "@discforge/errors";
import { capabilitiesPageCodec, CAPABILITIES_PAGE_CODE, type CapabilitiesPage } from "./mode-page-capabilities.js";
import { errorRecoveryPageCodec, ERROR_RECOVERY_PAGE_CODE, type ErrorRecoveryPage } from "./mode-page-error-recovery.js";
import { powerConditionPageCodec, POWER_CONDITION_PAGE_CODE, type PowerConditionPage } from "./mode-page-power-condition.js";
import { timeoutProtectPageCodec, TIMEOUT_PROTECT_PAGE_CODE, type TimeoutProtectPage } from "./mode-page-timeout-protect.js";
import { writeParametersPageCodec, WRITE_PARAMETERS_PAGE_CODE, type WriteParametersPage } from "./mode-page-write-parameters.js";
import { modePageBytes, type RawModePage } from "./mode-parameters.js";

export type DecodedModePage =
  | { readonly kind: "errorRecovery"; readonly page: ErrorRecoveryPage }
  | { readonly kind: "writeParameters"; readonly page: WriteParametersPage }
  | { readonly kind: "powerCondition"; readonly page: PowerConditionPage }
  | { readonly kind: "timeoutProtect"; readonly page: TimeoutProtectPage }
  | { readonly kind: "capabilities"; readonly page: CapabilitiesPage }
  /** A page without a typed codec, or one whose bytes did not decode (`error` says why). */
  | { readonly kind: "raw"; readonly page: RawModePage; readonly error?: MalformedDataError };

/** Typed view of one page; never throws on malformed page bytes (they come back raw with the error). */
export function decodeModePage(raw: RawModePage): DecodedModePage {
  if (raw.spf) return { kind: "raw", page: raw };
  const bytes = modePageBytes(raw);
  try {
    switch (raw.pageCode) {
      case ERROR_RECOVERY_PAGE_CODE:
        return { kind: "errorRecovery", page: errorRecoveryPageCodec.decode(bytes) };
      case WRITE_PARAMETERS_PAGE_CODE:
        return { kind: "writeParameters", page: writeParametersPageCodec.decode(bytes) };
      case POWER_CONDITION_PAGE_CODE:
        return { kind: "powerCondition", page: powerConditionPageCodec.decode(bytes) };
      case TIMEOUT_PROTECT_PAGE_CODE:
        return { kind: "timeoutProtect", page: timeoutProtectPageCodec.decode(bytes) };
      case CAPABILITIES_PAGE_CODE:
        return { kind: "capabilities", page: capabilitiesPageCodec.decode(bytes) };
      default:
        return { kind: "raw", page: raw };
    }
  } catch (e) {
    if (e instanceof MalformedDataError) return { kind: "raw", page: raw, error: e };
    throw e;
  }
}
