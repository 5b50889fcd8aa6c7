/** What the lane's guest scripts share: named checks with their facts, written as one JSON file. */
import { existsSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { LaneCheck } from "./results.js";

export const RESULTS = process.env["DISCFORGE_LANE_RESULTS"] ?? "/work/results";

/**
 * The CLI as it ships, bundled on the host by scripts/bundle-cli.ts (run.sh): the guest runs
 * `node CLI_BUNDLE ...`, so start-up is node's, not a TypeScript loader's.
 */
export const CLI_BUNDLE = process.env["DISCFORGE_LANE_CLI"] ?? "/work/discforge/discforge.cjs";

/** `node` arguments that run `discforge ARGS...` from the bundle; throws when run.sh made none. */
export function cliArgs(args: readonly string[]): string[] {
  if (!existsSync(CLI_BUNDLE)) throw new Error(`${CLI_BUNDLE} missing: run.sh bundles the CLI (scripts/bundle-cli.ts) before booting the guest`);
  return [CLI_BUNDLE, ...args];
}

export interface CheckList {
  readonly checks: LaneCheck[];
  check(name: string, body: (facts: Record<string, unknown>) => Promise<void> | void): Promise<boolean>;
  /** Writes `{ checks, ...extra }` to RESULTS/file; returns the number of failed checks. */
  save(file: string, extra?: Record<string, unknown>): number;
}

export function checkList(): CheckList {
  const checks: { name: string; ok: boolean; facts: Record<string, unknown>; error?: string }[] = [];
  return {
    checks,
    async check(name, body) {
      const c: { name: string; ok: boolean; facts: Record<string, unknown>; error?: string } = { name, ok: false, facts: {} };
      checks.push(c);
      const started = performance.now();
      try {
        await body(c.facts);
        c.ok = true;
      } catch (e) {
        c.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      }
      c.facts["ms"] = Math.round(performance.now() - started);
      console.log(`${c.ok ? "PASS" : "FAIL"} ${name}${c.error ? ` — ${c.error}` : ""}`);
      return c.ok;
    },
    save(file, extra = {}) {
      writeFileSync(`${RESULTS}/${file}`, JSON.stringify({ checks, ...extra }, null, 2));
      return checks.filter((c) => !c.ok).length;
    },
  };
}

export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}
