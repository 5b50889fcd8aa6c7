#!/usr/bin/env node
/**
 * The bundled CLI's first file (scripts/bundle-cli.ts builds it as CommonJS next to its chunks):
 * loads the chunks through the compile cache, which it saves as the process exits, and runs the
 * CLI.
 */
import { join } from "node:path";
import { BundleLoader, compileCacheDir } from "./compile-cache.js";
import type * as cliMain from "./cli-main.js";

/** The main chunk's path relative to this file, set by the bundler. */
declare const DISCFORGE_MAIN_CHUNK: string;

const loader = new BundleLoader({ cacheDir: compileCacheDir() });
process.once("exit", () => loader.save());
void (loader.require(join(__dirname, DISCFORGE_MAIN_CHUNK)) as typeof cliMain).main();
