/**
 * Sense and other command outcomes -> IMAPI result code, driven by tables/imapi-map.ts.
 */
import { imapiCode, type ImapiCode } from "@discforge/errors";
import { OUTCOME_IMAPI_ROWS, SENSE_IMAPI_ROWS, type ImapiMapRow } from "../tables/imapi-map.js";
import type { SenseCategory } from "../tables/sense-classes.js";

/** "Mode Select(10)" -> "MODE SELECT"; "read  dvd/bd structure" -> "READ DVD/BD STRUCTURE". */
export function normalizeCommandName(name: string): string {
  return name
    .toUpperCase()
    .replace(/\(\s*\d+\s*\)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export interface ImapiMapInput {
  readonly category: SenseCategory;
  readonly asc: number;
  readonly ascq: number;
  /** The command that got the sense, any spelling normalizeCommandName accepts. */
  readonly command?: string;
}

function rowMatches(row: ImapiMapRow, input: ImapiMapInput, command: string | undefined): boolean {
  if (row.commands !== undefined && (command === undefined || !row.commands.includes(command))) return false;
  if (row.categories !== undefined && !row.categories.includes(input.category)) return false;
  if (row.asc !== undefined && row.asc !== input.asc) return false;
  if (row.ascq !== undefined && row.ascq !== input.ascq) return false;
  return true;
}

/** The IMAPI code a sense maps to; the table's last row catches everything. */
export function senseToImapi(input: ImapiMapInput): ImapiCode {
  const command = input.command === undefined ? undefined : normalizeCommandName(input.command);
  for (const row of SENSE_IMAPI_ROWS) if (rowMatches(row, input, command)) return imapiCode(row.imapi);
  return imapiCode("E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE");
}

/**
 * IMAPI code for an outcome that carries no sense: a transport failure reason ("timeout",
 * "aborted", "disconnected", ...), a status name ("busy", "reservation-conflict", ...) or
 * "malformed-response".
 */
export function outcomeToImapi(outcome: string): ImapiCode {
  return imapiCode(OUTCOME_IMAPI_ROWS[outcome] ?? "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE");
}
