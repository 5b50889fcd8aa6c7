/**
 * Keeping the machine awake during a burn (IMAPI: "Preventing Logoff or Suspend During a Burn").
 * - Linux: a logind inhibitor lock held by `systemd-inhibit` for as long as the burn runs.
 * - Windows: kernel32's SetThreadExecutionState(ES_CONTINUOUS | ES_SYSTEM_REQUIRED |
 *   ES_AWAYMODE_REQUIRED) on the calling thread, cleared with ES_CONTINUOUS alone when the burn
 *   ends, as Microsoft's documentation describes for media recording. Called through koffi;
 *   the binding is injectable, and so far it is checked only with an injected function (no run
 *   on Windows yet).
 * Where neither is possible the caller is told why, never silently ignored.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import type koffiModule from "koffi";

export interface KeepAwakeHandle {
  readonly active: boolean;
  /** How the machine is kept awake (when active). */
  readonly method?: "logind-inhibitor" | "SetThreadExecutionState";
  /** Why the machine could not be kept awake (when not active). */
  readonly reason?: string;
  release(): void;
}

/**
 * EXECUTION_STATE flags, winbase.h, as documented for SetThreadExecutionState
 * (learn.microsoft.com/windows/win32/api/winbase/nf-winbase-setthreadexecutionstate).
 */
export const ES_SYSTEM_REQUIRED = 0x00000001;
export const ES_AWAYMODE_REQUIRED = 0x00000040;
export const ES_CONTINUOUS = 0x80000000;

/** The one Win32 call keep-awake makes; returns the previous state, 0 when the call failed. */
export interface ExecutionStateApi {
  setThreadExecutionState(flags: number): number;
}

let cachedApi: ExecutionStateApi | undefined;

/** kernel32's SetThreadExecutionState through koffi (loaded on first use, Windows only). */
export function koffiExecutionStateApi(): ExecutionStateApi {
  if (cachedApi) return cachedApi;
  if (process.platform !== "win32") throw new Error(`SetThreadExecutionState exists on Windows only (this is ${process.platform})`);
  const koffi = createRequire(import.meta.url)("koffi") as typeof koffiModule;
  const fn = koffi.load("kernel32.dll").func("uint32_t __stdcall SetThreadExecutionState(uint32_t esFlags)") as unknown as (flags: number) => number;
  cachedApi = { setThreadExecutionState: (flags) => fn(flags) };
  return cachedApi;
}

export interface KeepAwakeOptions {
  /** Default: process.platform. */
  readonly platform?: NodeJS.Platform;
  /** Windows: the SetThreadExecutionState binding (default: kernel32 through koffi). */
  readonly executionState?: ExecutionStateApi;
}

const none = (reason: string): KeepAwakeHandle => ({ active: false, reason, release: () => undefined });

export async function keepAwake(why: string, options: KeepAwakeOptions = {}): Promise<KeepAwakeHandle> {
  const platform = options.platform ?? process.platform;
  if (platform === "win32") return keepWindowsAwake(options.executionState);
  return keepAwakeWithLogind(why);
}

/** Burns holding the execution state, per binding: the state is per thread, not counted by Windows. */
const holders = new WeakMap<ExecutionStateApi, number>();

/**
 * SetThreadExecutionState keeps its state per thread: the same (JavaScript) thread sets and
 * clears it. Away mode lets the burn go on if someone asks the machine to sleep; where the
 * system refuses it (the call returns 0), the system-required state alone is tried. Burns on
 * several drives at once share that one state: it is cleared when the last of them ends.
 */
function keepWindowsAwake(injected: ExecutionStateApi | undefined): KeepAwakeHandle {
  let api: ExecutionStateApi;
  try {
    api = injected ?? koffiExecutionStateApi();
  } catch (e) {
    return none(`SetThreadExecutionState could not be loaded (${(e as Error).message})`);
  }
  const held = holders.get(api) ?? 0;
  if (held === 0) {
    const full = (ES_CONTINUOUS | ES_SYSTEM_REQUIRED | ES_AWAYMODE_REQUIRED) >>> 0;
    let ok = api.setThreadExecutionState(full) !== 0;
    if (!ok) ok = api.setThreadExecutionState((ES_CONTINUOUS | ES_SYSTEM_REQUIRED) >>> 0) !== 0;
    if (!ok) return none("SetThreadExecutionState failed (returned NULL)");
  }
  holders.set(api, held + 1);
  let released = false;
  return {
    active: true,
    method: "SetThreadExecutionState",
    release: () => {
      if (released) return;
      released = true;
      const left = (holders.get(api) ?? 1) - 1;
      holders.set(api, left);
      if (left === 0) api.setThreadExecutionState(ES_CONTINUOUS >>> 0);
    },
  };
}

async function keepAwakeWithLogind(why: string): Promise<KeepAwakeHandle> {
  // No separate probe: a missing systemd-inhibit fails the spawn itself (ENOENT), and one that
  // cannot take the lock exits at once.
  const child = spawn("systemd-inhibit", ["--what=sleep:idle:shutdown", "--who=discforge", `--why=${why}`, "--mode=block", "sleep", "infinity"], { stdio: "ignore" });
  const early = await new Promise<{ code: number | null } | { error: NodeJS.ErrnoException } | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 300);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code });
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      resolve({ error });
    });
  });
  if (early && "error" in early) {
    return none(early.error.code === "ENOENT" ? "systemd-inhibit is not available (no systemd/logind on this system)" : `systemd-inhibit could not be started (${early.error.message})`);
  }
  if (early) return none(`systemd-inhibit could not take the lock (exit ${early.code}); logind may not be running`);
  child.unref();
  return {
    active: true,
    method: "logind-inhibitor",
    release: () => {
      if (child.exitCode === null) child.kill("SIGTERM");
    },
  };
}
