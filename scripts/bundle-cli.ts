/**
 * The CLI as it ships: packages/cli/src bundled by esbuild, run with plain `node` (no TypeScript
 * loader at start-up). Shared by the real-kernel lane and the benches.
 *
 * OUT_DIR/discforge.cjs is the entry (packages/cli/src/bundle-entry.ts): it loads OUT_DIR/chunks/
 * through the compile cache (packages/cli/src/compile-cache.ts), so a run after the first reads
 * the bytecode of what it runs instead of parsing it again. The chunks are CommonJS because Node
 * 20 can give a code cache to scripts but not to ES modules: esbuild splits the CLI as ES modules
 * at its dynamic imports (one per command), and each chunk is then turned into CommonJS. So
 * `discforge mkiso` never compiles the drive, burn or transport code. Run the entry from its
 * folder as it is (the chunks are found relative to it).
 *
 * koffi is a native addon and stays outside the bundle. Our packages load it lazily with
 * createRequire(import.meta.url)("koffi"), so it resolves from the bundle's own folder: next to the
 * bundle goes node_modules/koffi, a symbolic link to the koffi package that
 * packages/transport-linux resolves here (or to `koffiDir`, e.g. the same package as another
 * machine sees it: the lane guest mounts the repository at /repo).
 *
 *   node --import tsx scripts/bundle-cli.ts OUT_DIR [--repo-mount DIR]   # prints the entry's path
 * (--repo-mount: koffi as seen where the repository is mounted at DIR, e.g. /repo in the lane guest)
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, transform, type BuildOptions, type Message } from "esbuild";

export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI_SRC = join(REPO_ROOT, "packages", "cli", "src");
export const BUNDLE_NAME = "discforge.cjs";
/** The folder (in OUT_DIR) of the CLI's chunks. */
export const CHUNK_DIR = "chunks";

/** The koffi package folder that packages/transport-linux resolves on this machine. */
export function hostKoffiDir(): string {
  const req = createRequire(join(REPO_ROOT, "packages", "transport-linux", "package.json"));
  // koffi's exports hide package.json: walk up from its main file.
  let dir = dirname(realpathSync(req.resolve("koffi")));
  while (!existsSync(join(dir, "package.json")) || (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string }).name !== "koffi") {
    const up = dirname(dir);
    if (up === dir) throw new Error("koffi's package folder not found");
    dir = up;
  }
  return dir;
}

/** The same koffi package under another mount of the repository (e.g. "/repo" in the lane guest). */
export function koffiDirUnder(repoMount: string): string {
  return join(repoMount, relative(REPO_ROOT, hostKoffiDir()));
}

export interface BundleOptions {
  /** Where node_modules/koffi points (default: hostKoffiDir()). */
  readonly koffiDir?: string;
  /** Entry point (default: the CLI, split into chunks). Another entry is bundled into one file. */
  readonly entry?: string;
  /** File name of the entry in `outDir` (default: BUNDLE_NAME). */
  readonly name?: string;
}

/** What import.meta.url becomes in CommonJS output: the file's own URL, from __filename. */
const IMPORT_META_URL = "__importMetaUrl";
const IMPORT_META_URL_CJS = `var ${IMPORT_META_URL}=require("node:url").pathToFileURL(__filename).href;`;

/**
 * esbuild only warns about what CommonJS output cannot do (import.meta other than .url becomes
 * undefined, an import() of a computed name, ...): here each of those is a broken bundle.
 */
function refuseWarnings(what: string, warnings: readonly Message[]): void {
  if (warnings.length > 0) throw new Error(`bundleCli: ${what}: ${warnings.map((w) => w.text).join("; ")}`);
}

/**
 * The CLI split as ES modules, each file then turned into CommonJS, into `dir`/chunks: main.cjs
 * (cli-main.ts) and the chunks it requires. import.meta.url becomes the chunk's own file URL.
 */
async function buildCliChunks(dir: string, common: BuildOptions): Promise<void> {
  // Chunk names carry a content hash; drop the previous build's so none goes stale.
  rmSync(join(dir, CHUNK_DIR), { force: true, recursive: true });
  const split = await build({
    ...common,
    entryPoints: [{ in: join(CLI_SRC, "cli-main.ts"), out: `${CHUNK_DIR}/main` }],
    outdir: dir,
    splitting: true,
    chunkNames: `${CHUNK_DIR}/[name]-[hash]`,
    outExtension: { ".js": ".cjs" },
    define: { "import.meta.url": IMPORT_META_URL },
    write: false,
  });
  refuseWarnings("the CLI's chunks", split.warnings);
  mkdirSync(join(dir, CHUNK_DIR), { recursive: true });
  for (const file of split.outputFiles) {
    if (dirname(file.path) !== join(dir, CHUNK_DIR)) throw new Error(`bundleCli: unexpected output ${file.path}`);
    // Strict, as the ES module was; top-level await would fail here, loudly.
    const banner = `"use strict";${file.text.includes(IMPORT_META_URL) ? IMPORT_META_URL_CJS : ""}`;
    // supported: dynamic import() becomes require() (vm scripts have no import()).
    const cjs = await transform(file.text, { format: "cjs", target: "node20", platform: "node", supported: { "dynamic-import": false }, banner, logLevel: "warning", legalComments: "none", minifyWhitespace: true, minifySyntax: true, sourcefile: basename(file.path) });
    refuseWarnings(basename(file.path), cjs.warnings);
    writeFileSync(file.path, cjs.code);
  }
}

/** Bundles into `outDir`; returns the path of the entry file to run with node. */
export async function bundleCli(outDir: string, options: BundleOptions = {}): Promise<string> {
  const dir = resolve(outDir);
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  const name = options.name ?? BUNDLE_NAME;
  const outfile = join(dir, name);
  const common: BuildOptions = {
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["koffi"],
    logLevel: "warning",
    legalComments: "none",
    // Less source for V8 to parse at start-up (most of a second in the TCG guest); names stay.
    minifyWhitespace: true,
    minifySyntax: true,
  };
  if (options.entry !== undefined) {
    await build({ ...common, entryPoints: [options.entry], outfile });
  } else {
    if (!name.endsWith(".cjs")) throw new Error(`bundleCli: the CLI's entry is a .cjs file, not ${name}`);
    await buildCliChunks(dir, common);
    const entry = await build({
      ...common,
      format: "cjs",
      entryPoints: [join(CLI_SRC, "bundle-entry.ts")],
      outfile,
      define: { DISCFORGE_MAIN_CHUNK: JSON.stringify(`${CHUNK_DIR}/main.cjs`), "import.meta.url": IMPORT_META_URL },
      banner: { js: `"use strict";${IMPORT_META_URL_CJS}` },
    });
    refuseWarnings(name, entry.warnings);
  }
  const link = join(dir, "node_modules", "koffi");
  rmSync(link, { force: true, recursive: true });
  symlinkSync(options.koffiDir ?? hostKoffiDir(), link, "dir");
  return outfile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [outDir, flag, mount] = process.argv.slice(2);
  if (!outDir || (flag !== undefined && (flag !== "--repo-mount" || !mount))) {
    console.error("usage: node --import tsx scripts/bundle-cli.ts OUT_DIR [--repo-mount DIR]");
    process.exit(2);
  }
  console.log(await bundleCli(outDir, mount ? { koffiDir: koffiDirUnder(mount) } : {}));
}
