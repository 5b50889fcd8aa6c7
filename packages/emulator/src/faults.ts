/**
 * Declarative fault plans: what goes wrong, and when. A plan is plain JSON, the same from a test
 * (`faults: { faults: [...] }`) and from a file named on the command line (`parseFaultPlan`).
 *
 * Triggers (exactly one per rule):
 *   { "command": N }   the N-th command the drive receives (1-based)
 *   { "lba": X }       the first READ/WRITE whose blocks include LBA X
 *   { "bytes": B }     the first WRITE that would take the data written past B bytes
 *   { "timeMs": T }    the first command at or after clock time T
 * An optional "opcode" narrows the rule to one command (e.g. 42 or "0x2a" for WRITE(10)).
 * Actions:
 *   { "sense": [key, asc, ascq] }  CHECK CONDITION with that sense; "sticky": true repeats it
 *   { "delayMs": ms }              the command takes that long (past its timeout: a timeout)
 *   { "notReadyMs": ms }           NOT READY 04/01 (becoming ready) for that long
 *   { "removeMedia": true }        the tray opens and the medium is gone
 *   { "unreadableMedia": true }    the medium cannot be read (upside down, dirty): 03/30/01
 *   { "writeProtect": true }       the medium becomes write protected
 *   { "powerLoss": true }          power fails: recording stops, buffered data is lost, and the
 *                                  drive comes back with 29/00 and an incomplete track
 */
import { InvalidArgumentError } from "@discforge/errors";

export type FaultTrigger = { readonly command: number } | { readonly lba: number } | { readonly bytes: number } | { readonly timeMs: number };

export type FaultAction =
  | { readonly sense: readonly [number, number, number] }
  | { readonly delayMs: number }
  | { readonly notReadyMs: number }
  | { readonly removeMedia: true }
  | { readonly unreadableMedia: true }
  | { readonly writeProtect: true }
  | { readonly powerLoss: true };

export interface FaultRule {
  readonly when: FaultTrigger;
  readonly opcode?: number | string;
  readonly action: FaultAction;
  /** Keep firing on every later matching command (sense actions). */
  readonly sticky?: boolean;
}

export interface FaultPlan {
  readonly faults: readonly FaultRule[];
}

/** What the drive knows about a command when it asks the plan. */
export interface FaultContext {
  readonly commandNumber: number;
  readonly opcode: number;
  readonly nowMs: number;
  /** Blocks the command reads or writes, when it does. */
  readonly lba?: number;
  readonly blocks?: number;
  /** Bytes written before this command, and by it. */
  readonly bytesBefore: number;
  readonly bytesThis: number;
}

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

function parseOpcode(v: unknown, where: string): number {
  const n = typeof v === "string" ? Number(v) : v;
  if (!isInt(n) || n > 0xff) throw new InvalidArgumentError(where, `opcode must be 0..255 (number or "0x.." string), got ${JSON.stringify(v)}`);
  return n;
}

/** Validates a fault plan from JSON (a file or a test). Throws InvalidArgumentError naming the rule. */
export function parseFaultPlan(input: unknown): FaultPlan {
  const value = typeof input === "string" ? (JSON.parse(input) as unknown) : input;
  const list = Array.isArray(value) ? value : (value as { faults?: unknown } | null)?.faults;
  if (!Array.isArray(list)) throw new InvalidArgumentError("faults", "a fault plan is { \"faults\": [ ... ] }");
  const rules = list.map((raw: unknown, i): FaultRule => {
    const where = `faults[${i}]`;
    if (typeof raw !== "object" || raw === null) throw new InvalidArgumentError(where, "must be an object");
    const r = raw as Record<string, unknown>;
    const when = r["when"] as Record<string, unknown> | undefined;
    if (typeof when !== "object" || when === null) throw new InvalidArgumentError(`${where}.when`, "missing trigger");
    const keys = Object.keys(when);
    const key = keys[0];
    if (keys.length !== 1 || !key || !["command", "lba", "bytes", "timeMs"].includes(key) || !isInt(when[key])) {
      throw new InvalidArgumentError(`${where}.when`, "needs exactly one of command, lba, bytes, timeMs with a non-negative integer");
    }
    const trigger = { [key]: when[key] } as FaultTrigger;
    const a = r["action"] as Record<string, unknown> | undefined;
    if (typeof a !== "object" || a === null) throw new InvalidArgumentError(`${where}.action`, "missing action");
    let action: FaultAction;
    if ("sense" in a) {
      const s = a["sense"];
      if (!Array.isArray(s) || s.length !== 3 || !s.every((x) => isInt(x) && x <= 0xff) || (s[0] as number) > 0x0f) {
        throw new InvalidArgumentError(`${where}.action.sense`, "must be [key, asc, ascq]");
      }
      action = { sense: [s[0], s[1], s[2]] as [number, number, number] };
    } else if ("delayMs" in a && isInt(a["delayMs"])) action = { delayMs: a["delayMs"] };
    else if ("notReadyMs" in a && isInt(a["notReadyMs"])) action = { notReadyMs: a["notReadyMs"] };
    else if (a["removeMedia"] === true) action = { removeMedia: true };
    else if (a["unreadableMedia"] === true) action = { unreadableMedia: true };
    else if (a["writeProtect"] === true) action = { writeProtect: true };
    else if (a["powerLoss"] === true) action = { powerLoss: true };
    else throw new InvalidArgumentError(`${where}.action`, "unknown action (sense, delayMs, notReadyMs, removeMedia, unreadableMedia, writeProtect, powerLoss)");
    const rule: { -readonly [K in keyof FaultRule]: FaultRule[K] } = { when: trigger, action };
    if (r["opcode"] !== undefined) rule.opcode = parseOpcode(r["opcode"], `${where}.opcode`);
    if (r["sticky"] !== undefined) {
      if (typeof r["sticky"] !== "boolean") throw new InvalidArgumentError(`${where}.sticky`, "must be a boolean");
      rule.sticky = r["sticky"];
    }
    return rule;
  });
  return { faults: rules };
}

/** Tracks which rules have fired; asks each command whether a fault applies to it. */
export class FaultInjector {
  private readonly fired = new Set<number>();
  readonly rules: readonly FaultRule[];

  constructor(plan: FaultPlan | undefined) {
    this.rules = plan ? parseFaultPlan(plan).faults : [];
  }

  /** The first rule that fires on this command, if any (marks it as fired). */
  check(ctx: FaultContext): FaultRule | undefined {
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i]!;
      if (this.fired.has(i) && !rule.sticky) continue;
      if (rule.opcode !== undefined && parseOpcode(rule.opcode, "opcode") !== ctx.opcode) continue;
      if (!matches(rule.when, ctx)) continue;
      this.fired.add(i);
      return rule;
    }
    return undefined;
  }
}

function matches(when: FaultTrigger, ctx: FaultContext): boolean {
  // With an opcode filter, "command N" is the first such command from the N-th on.
  if ("command" in when) return ctx.commandNumber >= when.command;
  if ("timeMs" in when) return ctx.nowMs >= when.timeMs;
  if ("lba" in when) return ctx.lba !== undefined && ctx.blocks !== undefined && when.lba >= ctx.lba && when.lba < ctx.lba + Math.max(1, ctx.blocks);
  return ctx.bytesThis > 0 && ctx.bytesBefore + ctx.bytesThis > when.bytes;
}
