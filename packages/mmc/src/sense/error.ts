/**
 * The error a command ends in when the drive answers CHECK CONDITION and the sense does not
 * say "continue": decoded sense, CDB, command name, category, action and IMAPI result.
 */
import { DiscforgeError, ERROR_CODES, formatHresult, MalformedDataError, type ImapiCode } from "@discforge/errors";
import type { SenseAction, SenseCategory } from "../tables/sense-classes.js";
import { senseKeyName } from "../tables/sense-keys.js";
import { lookupAsc } from "./asc-lookup.js";
import { classifySense } from "./classify.js";
import { outcomeToImapi, senseToImapi } from "./imapi.js";
import { decodeSense, senseProgress, type SenseData } from "./sense-data.js";

export interface ScsiCheckConditionInit {
  readonly sense: SenseData;
  /** The sense bytes as received. */
  readonly senseBytes: Uint8Array;
  readonly cdb: Uint8Array;
  /** Command name, e.g. "READ DISC INFORMATION" or "MODE SELECT(10)". */
  readonly command: string;
  readonly cause?: unknown;
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, "0");
}

export class ScsiCheckConditionError extends DiscforgeError {
  override readonly name = "ScsiCheckConditionError";
  readonly code = ERROR_CODES.checkCondition;
  readonly sense: SenseData;
  readonly senseBytes: Uint8Array;
  readonly cdb: Uint8Array;
  readonly command: string;
  readonly category: SenseCategory;
  readonly action: SenseAction;
  readonly advice: string;
  /** Same as `imapi`, never undefined here. */
  readonly imapiCode: ImapiCode;

  constructor(init: ScsiCheckConditionInit) {
    const cls = classifySense(init.sense);
    const imapi = senseToImapi({ category: cls.category, asc: init.sense.asc, ascq: init.sense.ascq, command: init.command });
    super(describe(init, cls.category, cls.advice, imapi), { imapi, ...(init.cause === undefined ? {} : { cause: init.cause }) });
    this.sense = init.sense;
    this.senseBytes = init.senseBytes;
    this.cdb = init.cdb;
    this.command = init.command;
    this.category = cls.category;
    this.action = cls.action;
    this.advice = cls.advice;
    this.imapiCode = imapi;
  }

  get senseKey(): number {
    return this.sense.senseKey;
  }
  get asc(): number {
    return this.sense.asc;
  }
  get ascq(): number {
    return this.sense.ascq;
  }
}

function describe(init: ScsiCheckConditionInit, category: SenseCategory, advice: string, imapi: ImapiCode): string {
  const s = init.sense;
  const parts = [`${lookupAsc(s.asc, s.ascq).text} (${hex2(s.asc)}/${hex2(s.ascq)}) on ${init.command}: ${senseKeyName(s.senseKey)}, ${category}`];
  if (s.deferred) parts.push("deferred error from an earlier command");
  if (s.information !== undefined) parts.push(`information ${s.information}`);
  const sks = s.senseKeySpecific;
  if (sks?.kind === "field-pointer") parts.push(`bad field at ${sks.inCdb ? "CDB" : "parameter"} byte ${sks.fieldPointer}${sks.bitPointer === undefined ? "" : ` bit ${sks.bitPointer}`}`);
  const progress = senseProgress(s);
  if (progress !== undefined) parts.push(`progress ${(progress * 100).toFixed(1)}%`);
  return `${parts.join("; ")}. ${advice} [${imapi.name} ${formatHresult(imapi.hresult)}]`;
}

/**
 * Turns CHECK CONDITION sense bytes into the error to throw: a ScsiCheckConditionError, or a
 * MalformedDataError (IMAPI: invalid response from device) when the sense cannot be decoded.
 */
export function checkConditionError(senseBytes: Uint8Array, cdb: Uint8Array, command: string): ScsiCheckConditionError | MalformedDataError {
  let sense: SenseData;
  try {
    sense = decodeSense(senseBytes);
  } catch (e) {
    if (e instanceof MalformedDataError) {
      return new MalformedDataError(`sense data of ${command}`, e.offset, e.detail, { cause: e, imapi: outcomeToImapi("malformed-response") });
    }
    throw e;
  }
  return new ScsiCheckConditionError({ sense, senseBytes, cdb, command });
}
