/**
 * The CLI as it ships: packages/cli/src/main.ts bundled by esbuild, run with plain `node` (no
 * TypeScript loader at start-up). Shared by the real-kernel lane and the benches.
 *
 * Split at the CLI's dynamic imports (one per command): OUT_DIR/discforge.mjs is the entry, with
 * only argument parsing and help; each command's code is in OUT_DIR/chunks/, loaded when that
 * command runs, so `discforge mkiso` never compiles the drive, burn or transport code. Run the
 * entry from its folder as it is (the chunks are found relative to it).
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
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions } from "esbuild";

export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const CLI_ENTRY = join(REPO_ROOT, "packages", "cli", "src", "main.ts");
export const BUNDLE_NAME = "discforge.mjs";
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
    if (!name.endsWith(".mjs")) throw new Error(`bundleCli: the CLI's entry is an .mjs file, not ${name}`);
    // Chunk names carry a content hash; drop the previous build's so none goes stale.
    rmSync(join(dir, CHUNK_DIR), { force: true, recursive: true });
    await build({
      ...common,
      entryPoints: [{ in: CLI_ENTRY, out: name.replace(/\.mjs$/, "") }],
      outdir: dir,
      splitting: true,
      chunkNames: `${CHUNK_DIR}/[name]-[hash]`,
      // No package.json says "module" here: .mjs makes node read every file as ESM.
      outExtension: { ".js": ".mjs" },
    });
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
