/** `discforge erase`: IMAPI's IDiscFormat2Erase — quick by default, `--full` for a full erase. */
import { Eraser } from "@discforge/burn";
import type { Command } from "../command.js";
import { ERASE_SPEC } from "../specs.js";
import { withRecorder } from "../drive-context.js";
import { EXIT } from "../exit.js";
import { progressPrinter } from "./burn.js";

export const eraseCommand: Command = {
  ...ERASE_SPEC,
  run: (ctx) =>
    withRecorder(ctx, async (rec) => {
      const result = await new Eraser(rec).erase({ full: ctx.values.full === true, ejectAfterErase: ctx.values.eject === true, signal: ctx.signal, onEvent: progressPrinter(ctx.io, ctx.json) });
      if (!ctx.json && ctx.io.stderr.isTTY) ctx.io.stderr.write("\n");
      ctx.io.stdout.write(ctx.json ? JSON.stringify(result) + "\n" : `Erased ${result.media} (${result.method}) in ${(result.elapsedMs / 1000).toFixed(1)}s; disc now: ${result.discState.summary}\n`);
      return EXIT.ok;
    }),
};
