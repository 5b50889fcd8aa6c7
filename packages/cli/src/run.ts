/** Parses argv, dispatches to a subcommand, and turns errors into messages and exit codes. */
import { parseArgs } from "node:util";
import { isDiscforgeError, InvalidArgumentError, CancelledError, InternalError } from "@discforge/errors";
import { OsError } from "@discforge/transport";
import { NotAnOpticalDriveError } from "@discforge/drive";
import type { CliIo, Command } from "./command.js";
import { COMMANDS } from "./commands.js";
import { EXIT } from "./exit.js";

export const VERSION = "0.1.0";

/** OS errors that mean "this device cannot be used" rather than "the operation failed". */
const DEVICE_UNUSABLE = new Set(["not-found", "disconnected", "permission-denied", "invalid", "unsupported"]);

function helpText(commands: readonly Command[]): string {
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

export async function runCli(argv: readonly string[], io: CliIo, commands: readonly Command[] = COMMANDS, signal: AbortSignal = new AbortController().signal): Promise<number> {
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
    return await command.run({ io, values: parsed.values, positionals: parsed.positionals, json, signal });
  } catch (e) {
    return reportError(io, name, e, json);
  }
}

/** Expected failures get one clear paragraph; only bugs get a stack trace. */
export function reportError(io: CliIo, name: string, e: unknown, json: boolean): number {
  const code =
    e instanceof InvalidArgumentError
      ? EXIT.usage
      : e instanceof CancelledError
        ? EXIT.cancelled
        : (e instanceof OsError && DEVICE_UNUSABLE.has(e.osKind)) || e instanceof NotAnOpticalDriveError
          ? EXIT.noDevice
          : e instanceof InternalError || !isDiscforgeError(e)
            ? EXIT.internal
            : EXIT.failed;
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
