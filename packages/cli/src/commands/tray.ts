import type { Recorder } from "@discforge/drive";
import type { Command } from "../command.js";
import { DRIVE_OPTIONS, withRecorder } from "../drive-context.js";
import { EXIT } from "../exit.js";

function trayCommand(name: string, summary: string, action: (r: Recorder) => Promise<void>, done: string): Command {
  return {
    name,
    summary,
    usage: `discforge ${name} --drive D`,
    options: DRIVE_OPTIONS,
    run: (ctx) =>
      withRecorder(ctx, async (rec) => {
        await action(rec);
        ctx.io.stdout.write(ctx.json ? JSON.stringify({ ok: true, action: name, drive: rec.path }) + "\n" : `${done}: ${rec.path}\n`);
        return EXIT.ok;
      }),
  };
}

export const ejectCommand = trayCommand("eject", "open the tray / eject the disc", (r) => r.eject(), "ejected");
export const loadCommand = trayCommand("load", "close the tray / load the disc", (r) => r.load(), "loaded");
export const lockCommand = trayCommand("lock", "prevent medium removal", (r) => r.lock(), "locked");
export const unlockCommand = trayCommand("unlock", "allow medium removal", (r) => r.unlock(), "unlocked");
