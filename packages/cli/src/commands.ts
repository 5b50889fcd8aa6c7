import type { Command } from "./command.js";
import { drivesCommand } from "./commands/drives.js";
import { infoCommand } from "./commands/info.js";
import { featuresCommand, modePagesCommand } from "./commands/features.js";
import { ejectCommand, loadCommand, lockCommand, unlockCommand } from "./commands/tray.js";
import { rawCommand } from "./commands/raw.js";
import { senseCommand } from "./commands/sense.js";
import { burnCommand } from "./commands/burn.js";
import { eraseCommand } from "./commands/erase.js";
import { verifyCommand } from "./commands/verify.js";
import { mkisoCommand } from "./commands/mkiso.js";
import { lsCommand } from "./commands/ls.js";
import { extractCommand } from "./commands/extract.js";

/** Every subcommand, in the order `discforge help` lists them. */
export const COMMANDS: readonly Command[] = [
  drivesCommand,
  infoCommand,
  featuresCommand,
  modePagesCommand,
  ejectCommand,
  loadCommand,
  lockCommand,
  unlockCommand,
  rawCommand,
  senseCommand,
  mkisoCommand,
  lsCommand,
  extractCommand,
  burnCommand,
  eraseCommand,
  verifyCommand,
];
