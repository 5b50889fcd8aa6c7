#!/usr/bin/env node
import { recordStdioState } from "./stdio-state.js";
import { runCli } from "./run.js";

recordStdioState();
const controller = new AbortController();
process.once("SIGINT", () => controller.abort(new Error("interrupted")));
const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }, undefined, controller.signal);
process.exitCode = code;
// Loaded only now, so start-up reads nothing for it (see exit-now.ts).
(await import("./exit-now.js")).exitNow(code);
