/**
 * The README's main job. Until the burn engine lands it shows the command line; it grows into
 * "burn a folder onto a new blank emulated disc and verify it".
 */
import { runCli } from "../packages/cli/src/run.js";

const code = await runCli(["help"], { stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = code;
