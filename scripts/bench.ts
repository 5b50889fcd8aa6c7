/**
 * `pnpm bench [name-filter]`: runs every benchmark file `packages/<pkg>/bench/*.bench.ts` in its
 * own process, one after another (so they do not compete for the two cores), and prints their
 * figures. Each benchmark prints its own table, including the peer tools it compares against.
 */
import { readdirSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const filter = process.argv[2];
const files: string[] = [];
for (const pkg of readdirSync(join(root, "packages")).sort()) {
  const dir = join(root, "packages", pkg, "bench");
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith(".bench.ts") && (!filter || `${pkg}/${f}`.includes(filter))) files.push(join(dir, f));
  }
}
if (files.length === 0) {
  console.error(`bench: no benchmark matches ${filter ?? "(all)"}`);
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file.slice(root.length + 1)}`);
  const r = spawnSync(process.execPath, ["--import", "tsx", "--expose-gc", file], { stdio: "inherit", cwd: root });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
