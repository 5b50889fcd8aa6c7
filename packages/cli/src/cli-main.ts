/** The discforge process: records the stdio state, runs the command line, and ends (see exit-now.ts). */
import { recordStdioState } from "./stdio-state.js";
import { runCli } from "./run.js";

export async function main(): Promise<void> {
  recordStdioState();
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort(new Error("interrupted")));
  const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }, undefined, controller.signal);
  process.exitCode = code;
  // Loaded only now, so start-up reads nothing for it.
  (await import("./exit-now.js")).exitNow(code);
}
