/**
 * Sense -> category + action + advice, driven by the rows of tables/sense-classes.ts.
 */
import { SENSE_CLASS_ROWS, type SenseAction, type SenseCategory, type SenseClassRow } from "../tables/sense-classes.js";
import type { SenseData } from "./sense-data.js";

export interface SenseCode {
  readonly senseKey: number;
  readonly asc: number;
  readonly ascq: number;
  readonly deferred?: boolean;
}

export interface SenseClass {
  readonly category: SenseCategory;
  readonly action: SenseAction;
  readonly advice: string;
  /** The table row that matched. */
  readonly row: SenseClassRow;
}

const DEFERRED_FAIL: SenseAction = { kind: "fail" };

function matches(row: SenseClassRow, key: number, asc: number, ascq: number): boolean {
  if (row.keys !== undefined && !row.keys.includes(key)) return false;
  if (row.asc !== undefined && row.asc !== asc) return false;
  if (row.ascq === undefined) return true;
  if (typeof row.ascq === "number") return row.ascq === ascq;
  return ascq >= row.ascq[0] && ascq <= row.ascq[1];
}

/** The matching row; the table ends with rows for every sense key, so one always matches. */
export function findSenseClassRow(senseKey: number, asc: number, ascq: number): SenseClassRow {
  const key = senseKey & 0x0f;
  for (const row of SENSE_CLASS_ROWS) if (matches(row, key, asc & 0xff, ascq & 0xff)) return row;
  // Unreachable while the table keeps its per-key rows; classify as a plain failure regardless.
  return { category: "reserved-key", action: DEFERRED_FAIL, advice: "Unclassified sense; treat the command as failed." };
}

/**
 * Classifies decoded sense (or bare key/ASC/ASCQ). A deferred error reports an earlier command
 * whose data may be lost, so retrying the current command cannot fix it: its retry and
 * re-read actions become fail.
 */
export function classifySense(sense: SenseCode | SenseData): SenseClass {
  const row = findSenseClassRow(sense.senseKey, sense.asc, sense.ascq);
  const deferred = sense.deferred === true;
  const action = deferred && row.action.kind !== "continue" ? DEFERRED_FAIL : row.action;
  return { category: row.category, action, advice: row.advice, row };
}
