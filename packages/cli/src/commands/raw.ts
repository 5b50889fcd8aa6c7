/**
 * `discforge raw`: send any CDB and show what came back (a diagnostic like sg_raw). Write-class
 * commands are refused unless --allow-write is given; the transport adds its own device-type check.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { InvalidArgumentError } from "@discforge/errors";
import { fromHex, hexDump } from "@discforge/bytes";
import { decodeSense, explainSense, isWriteClassOpcode, opcodeName } from "@discforge/mmc";
import type { Command } from "../command.js";
import { RAW_SPEC } from "../specs.js";
import { stringOption, withRecorder } from "../drive-context.js";
import { EXIT } from "../exit.js";
import { toJson } from "../format.js";
import { formatExplanation } from "./sense.js";

export const rawCommand: Command = {
  ...RAW_SPEC,
  run: async (ctx) => {
    const cdb = fromHex(ctx.positionals.join(""));
    if (cdb.length < 6 || cdb.length > 16) throw new InvalidArgumentError("CDB", `must be 6 to 16 bytes, got ${cdb.length}`);
    const opcode = cdb[0]!;
    if (isWriteClassOpcode(opcode) && ctx.values["allow-write"] !== true) {
      throw new InvalidArgumentError("CDB", `${opcodeName(opcode)} (${opcode.toString(16).toUpperCase()}h) can change the disc or the drive's settings; add --allow-write if that is what you want`);
    }
    const inText = stringOption(ctx, "in");
    const outFile = stringOption(ctx, "out");
    if (inText !== undefined && outFile !== undefined) throw new InvalidArgumentError("--in/--out", "a command moves data one way only");
    const inLength = inText === undefined ? undefined : Number(inText);
    if (inLength !== undefined && (!Number.isInteger(inLength) || inLength < 0)) throw new InvalidArgumentError("--in", `'${inText}' is not a byte count`);
    const timeoutMs = stringOption(ctx, "timeout") ? Number(stringOption(ctx, "timeout")) : 30_000;
    return withRecorder(ctx, async (rec) => {
      const result = await rec.transport.execute({
        cdb,
        ...(inLength !== undefined ? { direction: "in" as const, dataInLength: inLength } : outFile !== undefined ? { direction: "out" as const, dataOut: new Uint8Array(readFileSync(outFile)) } : { direction: "none" as const }),
        timeoutMs,
        signal: ctx.signal,
      });
      const name = opcodeName(opcode);
      if (result.kind === "good" && stringOption(ctx, "save")) writeFileSync(stringOption(ctx, "save")!, result.data);
      let explanation;
      if (result.kind === "check-condition") {
        try {
          const s = decodeSense(result.sense);
          explanation = explainSense(s.senseKey, s.asc, s.ascq, { command: name });
        } catch {
          explanation = undefined;
        }
      }
      if (ctx.json) {
        ctx.io.stdout.write(toJson({ ok: result.kind === "good", command: name, result, explanation }) + "\n");
      } else {
        ctx.io.stdout.write(`${name}: ${result.kind}${"durationMs" in result ? ` in ${result.durationMs.toFixed(1)} ms` : ""}\n`);
        if (result.kind === "good") {
          ctx.io.stdout.write(`${result.data.length} byte(s) in, residual ${result.residual}\n`);
          if (result.data.length) ctx.io.stdout.write(hexDump(result.data) + "\n");
        } else if (result.kind === "check-condition") {
          ctx.io.stdout.write(`sense: ${Buffer.from(result.sense).toString("hex")}\n`);
          if (explanation) ctx.io.stdout.write(formatExplanation(explanation));
        } else {
          ctx.io.stdout.write(toJson(result) + "\n");
        }
      }
      return result.kind === "good" ? EXIT.ok : EXIT.failed;
    }, { allowNonOptical: true });
  },
};
