import type { Recorder } from "@discforge/drive";
import type { Command, CommandSpec } from "../command.js";
import { withRecorder } from "../drive-context.js";
import { EXIT } from "../exit.js";
import { EJECT_SPEC, LOAD_SPEC, LOCK_SPEC, UNLOCK_SPEC } from "../specs.js";

function trayCommand(spec: CommandSpec, action: (r: Recorder) => Promise<void>, done: string): Command {
  return {
    ...spec,
    run: (ctx) =>
      withRecorder(ctx, async (rec) => {
        await action(rec);
        ctx.io.stdout.write(ctx.json ? JSON.stringify({ ok: true, action: spec.name, drive: rec.path }) + "\n" : `${done}: ${rec.path}\n`);
        return EXIT.ok;
      }),
  };
}

export const ejectCommand = trayCommand(EJECT_SPEC, (r) => r.eject(), "ejected");
export const loadCommand = trayCommand(LOAD_SPEC, (r) => r.load(), "loaded");
export const lockCommand = trayCommand(LOCK_SPEC, (r) => r.lock(), "locked");
export const unlockCommand = trayCommand(UNLOCK_SPEC, (r) => r.unlock(), "unlocked");
