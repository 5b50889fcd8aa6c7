#!/usr/bin/env node
// The package's bin, as ES modules; the bundled CLI starts from bundle-entry.ts instead.
import { main } from "./cli-main.js";

await main();
