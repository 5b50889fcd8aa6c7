import { InvalidArgumentError } from "@discforge/errors";
import { explainSense, type SenseExplanation } from "@discforge/mmc";
import type { Command } from "../command.js";
import { SENSE_SPEC } from "../specs.js";
import { EXIT } from "../exit.js";
import { section, toJson } from "../format.js";

function parseByte(name: string, text: string | undefined, max: number): number {
  if (text === undefined) throw new InvalidArgumentError(name, "missing: usage is discforge sense <key> <asc> <ascq> (hex, e.g. 2 3A 02)");
  const clean = text.replace(/^0x/i, "").replace(/h$/i, "");
  if (!/^[0-9a-fA-F]{1,2}$/.test(clean)) throw new InvalidArgumentError(name, `'${text}' is not a hex byte`);
  const v = parseInt(clean, 16);
  if (v > max) throw new InvalidArgumentError(name, `'${text}' is above ${max.toString(16).toUpperCase()}h`);
  return v;
}

export function formatExplanation(e: SenseExplanation): string {
  return (
    section(`Sense ${e.code}`, [
      ["sense key", `${e.senseKey.toString(16).toUpperCase()}h ${e.senseKeyName}`],
      ["ASC/ASCQ", `${e.ascText}${e.ascKind === "assigned" ? "" : ` (${e.ascKind})`}`],
      ["category", e.category],
      ["action", e.action.kind + (e.action.kind === "retry" ? ` after ${e.action.delayMs} ms, up to ${e.action.maxAttempts} times` : "")],
      ["IMAPI", `${e.imapi.name} ${e.imapi.hresultHex}: ${e.imapi.text}`],
      ["what to do", e.advice],
    ]) + "\n"
  );
}

export const senseCommand: Command = {
  ...SENSE_SPEC,
  async run(ctx) {
    const [k, a, q] = ctx.positionals;
    const e = explainSense(parseByte("key", k, 0x0f), parseByte("asc", a, 0xff), parseByte("ascq", q, 0xff), typeof ctx.values.command === "string" ? { command: ctx.values.command } : {});
    ctx.io.stdout.write(ctx.json ? toJson({ ok: true, ...e }) + "\n" : formatExplanation(e));
    return EXIT.ok;
  },
};
