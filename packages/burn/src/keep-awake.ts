/**
 * Keeping the machine awake during a burn (IMAPI: "Preventing Logoff or Suspend During a Burn").
 * A logind inhibitor lock held by `systemd-inhibit` for as long as the burn runs (systemd systems).
 * Where that is not possible (no systemd, or another OS: Windows' SetThreadExecutionState needs the
 * OS transport layer, not done yet) the caller is told why, never silently ignored.
 */
import { spawn, spawnSync } from "node:child_process";

export interface KeepAwakeHandle {
  readonly active: boolean;
  /** Why the machine could not be kept awake (when not active). */
  readonly reason?: string;
  release(): void;
}

const none = (reason: string): KeepAwakeHandle => ({ active: false, reason, release: () => undefined });

export async function keepAwake(why: string): Promise<KeepAwakeHandle> {
  const probe = spawnSync("systemd-inhibit", ["--version"], { stdio: "ignore" });
  if (probe.error || probe.status !== 0) return none("systemd-inhibit is not available (no systemd/logind on this system)");
  const child = spawn("systemd-inhibit", ["--what=sleep:idle:shutdown", "--who=discforge", `--why=${why}`, "--mode=block", "sleep", "infinity"], { stdio: "ignore" });
  const exited = await new Promise<number | null | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 300);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.once("error", () => {
      clearTimeout(timer);
      resolve(-1);
    });
  });
  if (exited !== undefined) return none(`systemd-inhibit could not take the lock (exit ${exited}); logind may not be running`);
  child.unref();
  return {
    active: true,
    release: () => {
      if (child.exitCode === null) child.kill("SIGTERM");
    },
  };
}
