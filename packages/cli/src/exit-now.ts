/**
 * How the discforge process ends once its command has returned. Node's own exit first waits for
 * V8's background compiler to finish optimizing functions that will never run again, tens of
 * milliseconds after building a large image; libc's _exit does not. So on Linux, where koffi is
 * already loaded (trees of more than a few hundred files and every drive command load it), the
 * process ends through _exit, after doing what Node's exit does that matters here: the 'exit'
 * listeners run (and may change the exit code), and the O_NONBLOCK bit of descriptors 0-2 is put
 * back as it was at start (stdio-state.ts). It ends the usual way instead when stdout or stderr
 * still hold unwritten bytes, when one of 0-2 is a terminal (Node restores terminal modes), and
 * when Node runs with something that writes files as it exits (profilers, coverage, reports,
 * trace events, the inspector).
 */
import { createRequire } from "node:module";
import { isatty } from "node:tty";
import { O_NONBLOCK, stdioNonBlockingAtStart } from "./stdio-state.js";

const F_GETFL = 3;
const F_SETFL = 4;

interface Libc {
  exit(code: number): void;
  fcntl(fd: number, cmd: number, ...rest: unknown[]): number;
}

/** libc through the loaded koffi module, or undefined: this never loads koffi (that would cost more than it saves). */
function loadedLibc(): Libc | undefined {
  const require = createRequire(import.meta.url);
  try {
    const koffi = require.cache[require.resolve("koffi")]?.exports as { load(path: string): { func(signature: string): (...args: unknown[]) => number } } | undefined;
    if (!koffi) return undefined;
    const lib = koffi.load("libc.so.6");
    const exit = lib.func("void _exit(int)");
    const fcntl = lib.func("int fcntl(int fd, int cmd, ...)");
    return { exit: (code) => void exit(code), fcntl: (fd, cmd, ...rest) => fcntl(fd, cmd, ...rest) };
  } catch {
    return undefined;
  }
}

/** What the decision looks at; tests pass their own. */
export interface ExitState {
  readonly platform: NodeJS.Platform;
  readonly execArgv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly unwritten: number;
  readonly terminal: boolean;
  readonly stdioAtStart: readonly (boolean | undefined)[] | undefined;
}

/** Node options whose output is written as the process exits the usual way. */
const WRITES_AT_EXIT = /^--(cpu-prof|heap-prof|prof\b|prof-|perf-|trace-event|report|inspect|debug|experimental-test-coverage|diagnostic-dir|redirect-warnings|trace-)/;

function currentState(): ExitState {
  return {
    platform: process.platform,
    execArgv: process.execArgv,
    env: process.env,
    unwritten: process.stdout.writableLength + process.stderr.writableLength,
    terminal: isatty(0) || isatty(1) || isatty(2),
    stdioAtStart: stdioNonBlockingAtStart(),
  };
}

/** libc to end through, or undefined when the process must end the usual way. */
export function fastExit(state: ExitState = currentState()): Libc | undefined {
  if (state.platform !== "linux" || state.unwritten > 0 || state.terminal || !state.stdioAtStart) return undefined;
  if (state.env.NODE_V8_COVERAGE || [...state.execArgv, ...(state.env.NODE_OPTIONS ?? "").split(/\s+/)].some((o) => WRITES_AT_EXIT.test(o))) return undefined;
  return loadedLibc();
}

/** Puts back the O_NONBLOCK bit of descriptors 0-2 as they were at start. */
export function restoreStdio(libc: Libc, atStart: readonly (boolean | undefined)[]): void {
  for (let fd = 0; fd <= 2; fd++) {
    const was = atStart[fd];
    if (was === undefined) continue;
    const flags = libc.fcntl(fd, F_GETFL);
    if (flags >= 0 && ((flags & O_NONBLOCK) !== 0) !== was) libc.fcntl(fd, F_SETFL, "int", flags ^ O_NONBLOCK);
  }
}

/** Ends the process with `code`: at once where `fastExit` allows it, else when the event loop is empty. */
export function exitNow(code: number): void {
  process.exitCode = code;
  const state = currentState();
  const libc = fastExit(state);
  if (!libc || !state.stdioAtStart) return;
  // As process.exit does: 'exit' once, and the code its listeners leave.
  (process as { _exiting?: boolean })._exiting = true;
  process.emit("exit", code);
  restoreStdio(libc, state.stdioAtStart);
  libc.exit(Number(process.exitCode ?? code));
}
