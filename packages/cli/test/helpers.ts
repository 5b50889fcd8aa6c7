import { PassThrough } from "node:stream";
import { runCli } from "../src/run.js";

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output and the process environment. */
export function cli(...argv: string[]): Promise<CliRun> {
  return cliWithEnv(process.env, ...argv);
}

/** Runs the CLI in-process with captured output and the given environment. */
export async function cliWithEnv(env: NodeJS.ProcessEnv, ...argv: string[]): Promise<CliRun> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = "";
  let stderr = "";
  out.on("data", (c: Buffer) => (stdout += c.toString()));
  err.on("data", (c: Buffer) => (stderr += c.toString()));
  const code = await runCli(argv, { stdout: out, stderr: err, env });
  return { code, stdout, stderr };
}
