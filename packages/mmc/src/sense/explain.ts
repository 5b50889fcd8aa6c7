/**
 * One sense code explained for people: T10 texts, category, action, IMAPI result and what to do.
 * Data for the `discforge sense` command and for error messages; formatting stays in the CLI.
 */
import { formatHresult, IMAPI_CODES, InvalidArgumentError, type ImapiCodeName } from "@discforge/errors";
import type { SenseAction, SenseCategory } from "../tables/sense-classes.js";
import { senseKeyName } from "../tables/sense-keys.js";
import { lookupAsc, type AscKind } from "./asc-lookup.js";
import { classifySense } from "./classify.js";
import { senseToImapi } from "./imapi.js";

export interface SenseExplanation {
  readonly senseKey: number;
  readonly senseKeyName: string;
  readonly asc: number;
  readonly ascq: number;
  /** "02h/3Ah/02h" (key/ASC/ASCQ). */
  readonly code: string;
  readonly ascText: string;
  readonly ascKind: AscKind;
  readonly category: SenseCategory;
  readonly action: SenseAction;
  readonly imapi: { readonly name: ImapiCodeName; readonly hresult: number; readonly hresultHex: string; readonly text: string };
  /** What to do, one line. */
  readonly advice: string;
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, "0");
}

function byte(name: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new InvalidArgumentError(name, `${v} is not within 0..${max}`);
}

/** Explains sense key / ASC / ASCQ; `command` refines the IMAPI mapping (e.g. "MODE SENSE(10)"). */
export function explainSense(senseKey: number, asc: number, ascq: number, options: { readonly command?: string; readonly deferred?: boolean } = {}): SenseExplanation {
  byte("senseKey", senseKey, 0x0f);
  byte("asc", asc, 0xff);
  byte("ascq", ascq, 0xff);
  const info = lookupAsc(asc, ascq);
  const cls = classifySense({ senseKey, asc, ascq, deferred: options.deferred ?? false });
  const imapi = senseToImapi({ category: cls.category, asc, ascq, ...(options.command === undefined ? {} : { command: options.command }) });
  return {
    senseKey,
    senseKeyName: senseKeyName(senseKey),
    asc,
    ascq,
    code: `${hex2(senseKey)}h/${hex2(asc)}h/${hex2(ascq)}h`,
    ascText: info.text,
    ascKind: info.kind,
    category: cls.category,
    action: cls.action,
    imapi: { name: imapi.name, hresult: imapi.hresult, hresultHex: formatHresult(imapi.hresult), text: IMAPI_CODES[imapi.name].text },
    advice: cls.advice,
  };
}
