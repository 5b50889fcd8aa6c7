/** Opening the drive a command names (`--drive`), with `--media`, `--trace` and the emulator options. */
import { InvalidArgumentError } from "@discforge/errors";
import { defaultDiscMaster, formatTraceEntry, type Recorder, type TraceEntry } from "@discforge/drive";
import type { CommandContext } from "./command.js";

export { DRIVE_OPTIONS } from "./drive-options.js";

export function stringOption(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name];
  return typeof v === "string" ? v : undefined;
}

export function driveName(ctx: CommandContext): string {
  const name = stringOption(ctx, "drive");
  if (!name) throw new InvalidArgumentError("--drive", "name the drive: a path such as /dev/sr0, an id from 'discforge drives', or emu:<file> (with --media for a new blank disc)");
  return name;
}

/** Opens the drive, runs `fn`, always closes; `--trace` prints every command to stderr. */
export async function withRecorder(
  ctx: CommandContext,
  fn: (recorder: Recorder, traces: TraceEntry[]) => Promise<number>,
  options: { readonly allowNonOptical?: boolean } = {},
): Promise<number> {
  const name = driveName(ctx);
  const media = stringOption(ctx, "media");
  const faults = stringOption(ctx, "faults");
  const personality = stringOption(ctx, "personality");
  if (!name.startsWith("emu:") && (media || faults || personality)) {
    throw new InvalidArgumentError(media ? "--media" : faults ? "--faults" : "--personality", "applies to emulated drives (emu:<file>) only");
  }
  // DISCFORGE_EMU_THROTTLE=0: emulated drives skip media timing (tests, demos).
  const throttle = ctx.io.env.DISCFORGE_EMU_THROTTLE === "0" ? { throttle: false } : {};
  const master = defaultDiscMaster({ ...(faults ? { faults } : {}), ...(personality ? { personality } : {}), ...throttle });
  const traces: TraceEntry[] = [];
  const trace = (e: TraceEntry): void => {
    traces.push(e);
    if (ctx.values.trace) ctx.io.stderr.write(`trace: ${formatTraceEntry(e)}\n`);
  };
  const clientName = stringOption(ctx, "client-name");
  const recorder = await master.open(name, {
    runner: { trace },
    ...(options.allowNonOptical ? { allowNonOptical: true } : {}),
    ...(media ? { media } : {}),
    ...(clientName ? { clientName } : {}),
  });
  try {
    return await fn(recorder, traces);
  } finally {
    await recorder.close();
  }
}
