/** `discforge verify`: compares the disc in a drive with an image file, sector by sector. */
import { InvalidArgumentError } from "@discforge/errors";
import { fileSource, verifyDisc } from "@discforge/burn";
import type { Command } from "../command.js";
import { VERIFY_SPEC } from "../specs.js";
import { stringOption, withRecorder } from "../drive-context.js";
import { EXIT } from "../exit.js";
import { progressPrinter } from "./burn.js";

export const verifyCommand: Command = {
  ...VERIFY_SPEC,
  run: (ctx) => {
    const image = ctx.positionals[0];
    if (!image || ctx.positionals.length > 1) throw new InvalidArgumentError("IMAGE", "name one image file to compare with the disc");
    const lbaText = stringOption(ctx, "lba");
    const startLba = lbaText === undefined ? 0 : Number(lbaText);
    if (!Number.isInteger(startLba) || startLba < 0) throw new InvalidArgumentError("--lba", `"${lbaText}" is not a sector address`);
    return withRecorder(ctx, async (rec) => {
      const report = await verifyDisc(rec, fileSource(image), { startLba, signal: ctx.signal, onEvent: progressPrinter(ctx.io, ctx.json) });
      if (!ctx.json && ctx.io.stderr.isTTY) ctx.io.stderr.write("\n");
      const text = report.passed
        ? `The disc matches ${image}: ${report.sectorsChecked} sectors from LBA ${startLba} are equal.\n`
        : `The disc differs from ${image}: ${report.differingSectors.length} sector(s) differ${report.differingSectors.length ? ` (first at LBA ${report.differingSectors[0]})` : ""}, ${report.unreadableSectors.length} unreadable, of ${report.sectorsChecked} checked.\n`;
      ctx.io.stdout.write(ctx.json ? JSON.stringify(report) + "\n" : text);
      return report.passed ? EXIT.ok : EXIT.failed;
    });
  },
};
