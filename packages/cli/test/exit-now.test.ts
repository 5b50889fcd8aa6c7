/** exit-now.ts: when the process may end through libc's _exit, and what it puts back first (the bundle test runs it for real). */
import { describe, it, expect } from "vitest";
import { createRequire } from "node:module";
import { fastExit, restoreStdio, type ExitState } from "../src/exit-now.js";
import { O_NONBLOCK } from "../src/stdio-state.js";

const usual: ExitState = { platform: "linux", execArgv: [], env: {}, unwritten: 0, terminal: false, stdioAtStart: [false, true, false] };

describe("fastExit", () => {
  createRequire(import.meta.url)("koffi");

  it("gives libc on Linux once koffi is loaded, with preloads and harmless options", () => {
    expect(typeof fastExit(usual)?.exit).toBe(process.platform === "linux" ? "function" : "undefined");
    if (process.platform !== "linux") return;
    expect(fastExit({ ...usual, execArgv: ["-r", "probe.cjs", "--max-old-space-size=512"], env: { NODE_OPTIONS: "--enable-source-maps" } })).toBeDefined();
  });

  it("is not taken where Node's own exit does something that matters", () => {
    const refused: [string, Partial<ExitState>][] = [
      ["bytes still to write", { unwritten: 1 }],
      ["a terminal", { terminal: true }],
      ["descriptors not recorded at start", { stdioAtStart: undefined }],
      ["not Linux", { platform: "darwin" }],
      ["coverage", { env: { NODE_V8_COVERAGE: "/tmp/cov" } }],
      ["a CPU profile", { execArgv: ["--cpu-prof"] }],
      ["a heap profile in NODE_OPTIONS", { env: { NODE_OPTIONS: "--max-old-space-size=512 --heap-prof" } }],
      ["the V8 log", { execArgv: ["--prof"] }],
      ["the inspector", { execArgv: ["--inspect-brk=0"] }],
      ["trace events", { execArgv: ["--trace-event-categories", "v8"] }],
      ["a diagnostic report", { execArgv: ["--report-on-signal"] }],
    ];
    for (const [why, change] of refused) expect({ why, libc: fastExit({ ...usual, ...change }) }).toEqual({ why, libc: undefined });
  });
});

describe("restoreStdio", () => {
  it("puts back the O_NONBLOCK bit of descriptors 0-2 where it changed, and only that bit", () => {
    const flags = [0o2 | O_NONBLOCK, 0o1 | O_NONBLOCK, 0o2];
    const calls: unknown[][] = [];
    const libc = {
      exit: () => undefined,
      fcntl: (fd: number, cmd: number, ...rest: unknown[]): number => {
        calls.push([fd, cmd, ...rest]);
        if (cmd === 3) return flags[fd]!;
        flags[fd] = rest[1] as number;
        return 0;
      },
    };
    // fd 0 was blocking (set since), fd 1 non-blocking (unchanged), fd 2 was not open.
    restoreStdio(libc, [false, true, undefined]);
    expect(flags).toEqual([0o2, 0o1 | O_NONBLOCK, 0o2]);
    expect(calls).toEqual([
      [0, 3],
      [0, 4, "int", 0o2],
      [1, 3],
    ]);
  });
});
