/** Parses argv, dispatches to a subcommand, and turns errors into messages and exit codes. */
import { parseArgs } from "node:util";
import { isDiscforgeError, InvalidArgumentError, CancelledError, InternalError } from "@discforge/errors";
import type { CliIo, Command, CommandSpec, LazyCommand } from "./command.js";
import { COMMANDS } from "./commands.js";
import { EXIT } from "./exit.js";

export const VERSION = "0.1.0";

/** OS errors that mean "this device cannot be used" rather than "the operation failed". */
const DEVICE_UNUSABLE = new Set(["not-found", "disconnected", "permission-denied", "invalid", "unsupported"]);

function helpText(commands: readonly CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    `discforge ${VERSION}: optical-disc mastering and drive diagnostics`,
    "",
    "usage: discforge <command> [options]",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Every command takes --json (machine-readable output) and --help.",
  ].join("\n");
}

/** `commands`: implementations, or specs whose implementation loads only when that command runs. */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly (Command | LazyCommand)[] = COMMANDS, signal: AbortSignal = new AbortController().signal): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.stdout.write(helpText(commands) + "\n");
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "version") {
    io.stdout.write(`discforge ${VERSION}\n`);
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`discforge: unknown command '${name}'. Run 'discforge help' for the list.\n`);
    return EXIT.usage;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    io.stderr.write(`discforge ${name}: ${(e as Error).message}\nusage: ${command.usage}\n`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    io.stdout.write(`${command.summary}\n\nusage: ${command.usage}\n`);
    return EXIT.ok;
  }
  const json = parsed.values.json === true;
  try {
    const impl = "run" in command ? command : await command.load();
    return await impl.run({ io, values: parsed.values, positionals: parsed.positionals, json, signal });
  } catch (e) {
    return reportError(io, name, e, json);
  }
}

async function exitCodeOf(e: unknown): Promise<number> {
  if (e instanceof InvalidArgumentError) return EXIT.usage;
  if (e instanceof CancelledError) return EXIT.cancelled;
  if (e instanceof InternalError || !isDiscforgeError(e)) return EXIT.internal;
  // Both classes are DiscforgeErrors and neither is an InternalError, so asking only here is the
  // same order of tests; their packages load on this path, not at start-up.
  const [{ OsError }, { NotAnOpticalDriveError }] = await Promise.all([import("@discforge/transport"), import("@discforge/drive")]);
  return (e instanceof OsError && DEVICE_UNUSABLE.has(e.osKind)) || e instanceof NotAnOpticalDriveError ? EXIT.noDevice : EXIT.failed;
}

/** Expected failures get one clear paragraph; only bugs get a stack trace. */
export async function reportError(io: CliIo, name: string, e: unknown, json: boolean): Promise<number> {
  const code = await exitCodeOf(e);
  if (json) {
    const err = isDiscforgeError(e)
      ? { name: e.name, code: e.code, message: e.message, imapi: e.imapi ? { name: e.imapi.name, hresult: e.imapi.hresult } : undefined }
      : { name: "Error", code: "DF_INTERNAL", message: String((e as Error)?.message ?? e) };
    io.stdout.write(JSON.stringify({ ok: false, error: err }) + "\n");
  } else if (code === EXIT.internal) {
    io.stderr.write(`discforge ${name}: internal error (a bug; please report it with this text):\n${(e as Error)?.stack ?? String(e)}\n`);
  } else {
    io.stderr.write(`discforge ${name}: ${(e as Error).message}\n`);
  }
  return code;
}
