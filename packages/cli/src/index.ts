export { runCli, reportError, VERSION } from "./run.js";
export { EXIT } from "./exit.js";
export type { Command, CommandSpec, LazyCommand, CommandContext, CliIo } from "./command.js";
