/** The shape every `discforge` subcommand has; main.ts dispatches on `name`. */
import type { ParseArgsConfig } from "node:util";

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

export interface CommandContext {
  readonly io: CliIo;
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
  readonly json: boolean;
  readonly signal: AbortSignal;
}

/** What help and argument parsing need; cheap to import (specs.ts). */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig["options"]>;
}

export interface Command extends CommandSpec {
  /** Returns the process exit code (see EXIT in exit.ts). */
  run(ctx: CommandContext): Promise<number>;
}

/** A command whose implementation loads (a dynamic import) only when it runs. */
export interface LazyCommand extends CommandSpec {
  load(): Promise<Command>;
}
