/** exit-now.ts: when the process may end through libc's _exit (the bundle test runs it for real). */
import { describe, it, expect } from "vitest";
import { createRequire } from "node:module";
import { fastExit } from "../src/exit-now.js";

const empty = { stdout: { writableLength: 0 }, stderr: { writableLength: 0 } };

describe("fastExit", () => {
  it("is never taken while stdout or stderr still holds bytes to write", () => {
    createRequire(import.meta.url)("koffi");
    expect(fastExit({ ...empty, stdout: { writableLength: 1 } })).toBeUndefined();
    expect(fastExit({ ...empty, stderr: { writableLength: 5 } })).toBeUndefined();
  });

  it("gives libc's _exit once koffi is loaded, on Linux only", () => {
    createRequire(import.meta.url)("koffi");
    expect(typeof fastExit(empty)).toBe(process.platform === "linux" ? "function" : "undefined");
  });
});
