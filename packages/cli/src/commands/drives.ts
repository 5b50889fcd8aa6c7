import { defaultDiscMaster } from "@discforge/drive";
import type { Command } from "../command.js";
import { DRIVES_SPEC } from "../specs.js";
import { EXIT } from "../exit.js";
import { toJson } from "../format.js";

export const drivesCommand: Command = {
  ...DRIVES_SPEC,
  async run(ctx) {
    const { drives, notes } = await defaultDiscMaster().enumerate();
    if (ctx.json) {
      ctx.io.stdout.write(toJson({ ok: true, drives, notes }) + "\n");
      return EXIT.ok;
    }
    if (drives.length === 0) {
      ctx.io.stdout.write("No optical drives found on this machine.\n");
      for (const n of notes) ctx.io.stdout.write(`  ${n}\n`);
      ctx.io.stdout.write("The emulated drive is always available: use --drive emu:<file> (with --media cd-r|dvd+r|bd-r|... for a new blank disc).\n");
      return EXIT.ok;
    }
    for (const d of drives) {
      const also = d.aliases.length ? ` (also ${d.aliases.join(", ")})` : "";
      const mounted = d.volumePaths.length ? `, mounted at ${d.volumePaths.join(", ")}` : "";
      ctx.io.stdout.write(`${d.id}  ${d.path}${also}  ${d.vendor} ${d.product} ${d.revision}${mounted}\n`);
    }
    for (const n of notes) ctx.io.stdout.write(`note: ${n}\n`);
    return EXIT.ok;
  },
};
