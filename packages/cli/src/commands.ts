/**
 * Every subcommand, in the order `discforge help` lists them. Only the specs load at start-up;
 * each implementation is a dynamic import, so `discforge mkiso` never loads the drive, burn or
 * transport code (and a bundle split at these imports leaves them in chunks of their own).
 */
import type { Command, CommandSpec, LazyCommand } from "./command.js";
import * as S from "./specs.js";

const lazy = (spec: CommandSpec, load: () => Promise<Command>): LazyCommand => ({ ...spec, load });

export const COMMANDS: readonly LazyCommand[] = [
  lazy(S.DRIVES_SPEC, async () => (await import("./commands/drives.js")).drivesCommand),
  lazy(S.INFO_SPEC, async () => (await import("./commands/info.js")).infoCommand),
  lazy(S.FEATURES_SPEC, async () => (await import("./commands/features.js")).featuresCommand),
  lazy(S.MODE_PAGES_SPEC, async () => (await import("./commands/features.js")).modePagesCommand),
  lazy(S.EJECT_SPEC, async () => (await import("./commands/tray.js")).ejectCommand),
  lazy(S.LOAD_SPEC, async () => (await import("./commands/tray.js")).loadCommand),
  lazy(S.LOCK_SPEC, async () => (await import("./commands/tray.js")).lockCommand),
  lazy(S.UNLOCK_SPEC, async () => (await import("./commands/tray.js")).unlockCommand),
  lazy(S.RAW_SPEC, async () => (await import("./commands/raw.js")).rawCommand),
  lazy(S.SENSE_SPEC, async () => (await import("./commands/sense.js")).senseCommand),
  lazy(S.MKISO_SPEC, async () => (await import("./commands/mkiso.js")).mkisoCommand),
  lazy(S.LS_SPEC, async () => (await import("./commands/ls.js")).lsCommand),
  lazy(S.EXTRACT_SPEC, async () => (await import("./commands/extract.js")).extractCommand),
  lazy(S.BURN_SPEC, async () => (await import("./commands/burn.js")).burnCommand),
  lazy(S.ERASE_SPEC, async () => (await import("./commands/erase.js")).eraseCommand),
  lazy(S.VERIFY_SPEC, async () => (await import("./commands/verify.js")).verifyCommand),
];
