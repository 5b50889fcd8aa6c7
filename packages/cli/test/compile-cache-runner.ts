/**
 * One run of BundleLoader in a fresh process (compile-cache.test.ts bundles this file): in the
 * test's own process V8's in-memory compilation cache answers for any source it has compiled, so
 * cached data would never be looked at.
 *   node runner.cjs MAIN CACHE_DIR|- UID|- X|-   (X: the argument of main's run(), or - not to call it)
 * Prints {"result", "outcomes", "saved"} as JSON.
 */
import { BundleLoader } from "../src/compile-cache.js";

const [main, cacheDir, uid, x] = process.argv.slice(2) as [string, string, string, string];
const loader = new BundleLoader({ cacheDir: cacheDir === "-" ? undefined : cacheDir, uid: uid === "-" ? undefined : Number(uid) });
const exports = loader.require(main) as { run(x: number): string };
const result = x === "-" ? null : exports.run(Number(x));
const saved = loader.save();
process.stdout.write(JSON.stringify({ result, outcomes: Object.fromEntries(loader.outcomes()), saved }));
