/**
 * The bundled CLI's compile cache (src/compile-cache.ts): chunks load the same with and without
 * it, a second run uses what the first saved, and anything that does not match the chunk, this
 * Node or this user, or that is damaged, is compiled from source again. Each load is a fresh
 * process (compile-cache-runner.ts).
 */
import { describe, it, expect, beforeAll, beforeEach } from "vitest";
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { BundleLoader, compileCacheDir, privateDir, type CacheOutcome } from "../src/compile-cache.js";

let runner: string;
beforeAll(async () => {
  runner = join(mkdtempSync(join(tmpdir(), "discforge-compile-cache-runner-")), "runner.cjs");
  await build({ entryPoints: [join(import.meta.dirname, "compile-cache-runner.ts")], outfile: runner, bundle: true, platform: "node", format: "cjs", target: "node20", logLevel: "warning", define: { "import.meta.url": "__runnerUrl" }, banner: { js: 'var __runnerUrl=require("node:url").pathToFileURL(__filename).href;' } });
});

let root: string;
let chunks: string;
let cache: string;

/** A chunk with a function large enough that its bytecode shows in the cache's size once it has run. */
function bigFunction(name: string, constant: number): string {
  const body = Array.from({ length: 200 }, (_, i) => `x = (x * 31 + ${i} + ${constant}) % 1000003;`).join("\n");
  return `function ${name}(x) {\n${body}\nreturn x;\n}`;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "discforge-compile-cache-"));
  chunks = join(root, "chunks");
  cache = join(root, "cache");
  mkdirSync(chunks);
  writeFileSync(join(chunks, "main.cjs"), `"use strict";\nconst a = require("./a.cjs");\nconst { basename } = require("node:path");\nexports.run = (x) => a.mix(x) + ":" + basename(__filename) + ":" + (this === module.exports);\n`);
  writeFileSync(join(chunks, "a.cjs"), `"use strict";\n${bigFunction("mix", 7)}\nexports.mix = mix;\n`);
});

interface Run {
  readonly result: string | null;
  /** Per chunk file name. */
  readonly outcomes: Record<string, CacheOutcome>;
  /** Cache files written. */
  readonly saved: number;
}

/** Loads main.cjs in a new process, calls run(x) unless x is null, and saves the cache. */
function load(options: { cacheDir?: string | undefined; uid?: number; x?: number | null } = {}): Run {
  const dir = "cacheDir" in options ? options.cacheDir : cache;
  const x = options.x === undefined ? 5 : options.x;
  // A run that hangs (on a FIFO, say) fails here rather than holding up the suite.
  const out = execFileSync(process.execPath, [runner, join(chunks, "main.cjs"), dir ?? "-", options.uid === undefined ? "-" : String(options.uid), x === null ? "-" : String(x)], { encoding: "utf8", timeout: 20_000 });
  const run = JSON.parse(out) as Run;
  return { ...run, outcomes: Object.fromEntries(Object.entries(run.outcomes).map(([f, o]) => [f.slice(chunks.length + 1), o])) };
}
/** What mix(5) gives with the constant `c`, computed here. */
const expected = (c: number) => {
  let x = 5;
  for (let i = 0; i < 200; i++) x = (x * 31 + i + c) % 1000003;
  return `${x}:main.cjs:true`;
};

describe("the compile cache", () => {
  it("runs chunks as CommonJS modules, saves their bytecode and uses it on the next run", () => {
    const first = load();
    expect(first.result).toBe(expected(7));
    expect(first.outcomes).toEqual({ "main.cjs": "missing", "a.cjs": "missing" });
    expect(first.saved).toBe(2);
    const files = readdirSync(cache);
    expect(files).toHaveLength(2);
    expect(files.every((f) => /^[0-9a-f]{16}\.v8$/.test(f))).toBe(true);
    expect(files.map((f) => statSync(join(cache, f)).mode & 0o777)).toEqual([0o600, 0o600]);
    expect(statSync(cache).mode & 0o777).toBe(0o700);
    const second = load();
    expect(second.result).toBe(expected(7));
    expect(second.outcomes).toEqual({ "main.cjs": "used", "a.cjs": "used" });
    // Nothing to write when every cache was used.
    expect(second.saved).toBe(0);
  });

  it("saves the functions the run compiled, not only the top level", () => {
    load({ cacheDir: join(root, "idle"), x: null });
    load({ cacheDir: join(root, "ran") });
    const size = (dir: string) => readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    // 200 statements of bytecode and their constants.
    expect(size(join(root, "ran")) - size(join(root, "idle"))).toBeGreaterThan(1500);
  });

  it("compiles a changed chunk from its source, even at the same length", () => {
    load();
    writeFileSync(join(chunks, "a.cjs"), `"use strict";\n${bigFunction("mix", 8)}\nexports.mix = mix;\n`);
    const after = load();
    expect(after.result).toBe(expected(8));
    expect(after.outcomes).toEqual({ "main.cjs": "used", "a.cjs": "missing" });
    expect(load().outcomes["a.cjs"]).toBe("used");
    // The identity is the content: the same bytes with other times (a copy, a restore) still match.
    utimesSync(join(chunks, "a.cjs"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(load().outcomes["a.cjs"]).toBe("used");
  });

  it("compiles from source when a cache file is damaged, and writes it again", () => {
    load();
    const files = readdirSync(cache).map((f) => join(cache, f));
    const original = files.map((f) => readFileSync(f));
    const restore = () => files.forEach((f, i) => writeFileSync(f, original[i]!));
    const damage = (edit: (file: Buffer, dataStart: number) => void) => {
      for (const f of files) {
        const bytes = readFileSync(f);
        edit(bytes, bytes.readUInt32LE(8));
        writeFileSync(f, bytes);
      }
    };
    const cases: [string, (file: Buffer, dataStart: number) => void][] = [
      // V8 would not notice this one: its data, past its own header, crashes it when damaged.
      ["bytecode", (b, at) => b.fill(0xa5, at + 64, at + 128)],
      ["V8's header", (b, at) => b.fill(0xa5, at + 4, at + 8)],
      ["our header", (b) => b.fill(0, 0, 4)],
      ["our format", (b) => b.writeUInt32LE(b.readUInt32LE(4) + 1, 4)],
      ["the key", (b) => b.writeUInt8(b.readUInt8(33) ^ 1, 33)],
      ["the recorded CRC of the data", (b) => b.writeUInt32LE((b.readUInt32LE(12) ^ 1) >>> 0, 12)],
      ["the recorded CRC of the chunk", (b) => b.writeUInt32LE((b.readUInt32LE(24) ^ 1) >>> 0, 24)],
    ];
    for (const [what, edit] of cases) {
      damage(edit);
      const run = load();
      expect(run.result, what).toBe(expected(7));
      expect(Object.values(run.outcomes), what).toEqual(["missing", "missing"]);
      expect(run.saved, what).toBe(2);
      expect(Object.values(load().outcomes), what).toEqual(["used", "used"]);
      restore();
    }
    // Truncated, and not a cache file at all.
    writeFileSync(files[0]!, original[0]!.subarray(0, original[0]!.length - 100));
    writeFileSync(files[1]!, "not a cache file");
    expect(Object.values(load().outcomes)).toEqual(["missing", "missing"]);
  });

  it("leaves a cache made under other V8 flags to V8, which refuses it", () => {
    load();
    const flagged = execFileSync(process.execPath, ["--no-lazy-feedback-allocation", runner, join(chunks, "main.cjs"), cache, "-", "5"], { encoding: "utf8" });
    expect(Object.values((JSON.parse(flagged) as Run).outcomes)).toEqual(["rejected", "rejected"]);
  });

  it("uses a folder only when no one else can change it or the path to it", () => {
    load();
    const me = statSync(cache).uid;
    const real = realpathSync(cache);
    // As seen by another user: the folder is not theirs.
    const other = load({ uid: me + 1 });
    expect(other.outcomes).toEqual({ "main.cjs": "off", "a.cjs": "off" });
    expect(other.result).toBe(expected(7));
    expect(privateDir(cache, me)).toBe(real);
    expect(privateDir(cache, me + 1)).toBeUndefined();
    // Writable by its group, or by others: not used.
    for (const mode of [0o720, 0o702, 0o777]) {
      chmodSync(cache, mode);
      expect(privateDir(cache, me), mode.toString(8)).toBeUndefined();
    }
    chmodSync(cache, 0o700);
    expect(load().outcomes).toEqual({ "main.cjs": "used", "a.cjs": "used" });
    // A folder above it that others can write (they could put another folder in its place):
    // not used, unless it is sticky as /tmp is (then they cannot rename what is not theirs).
    chmodSync(root, 0o777);
    expect(privateDir(cache, me)).toBeUndefined();
    expect(load().outcomes).toEqual({ "main.cjs": "off", "a.cjs": "off" });
    chmodSync(root, 0o1777);
    expect(privateDir(cache, me)).toBe(real);
    chmodSync(root, 0o700);
    // A link to the folder is followed once, and the folder used by its real path.
    symlinkSync(cache, join(root, "link"));
    expect(privateDir(join(root, "link"), me)).toBe(real);
    expect(load({ cacheDir: join(root, "link") }).outcomes).toEqual({ "main.cjs": "used", "a.cjs": "used" });
    // ...so a link from a safe place into a folder others can write is refused, and nothing is
    // made under such a folder.
    mkdirSync(join(root, "open", "cc"), { recursive: true });
    chmodSync(join(root, "open"), 0o777);
    symlinkSync(join(root, "open", "cc"), join(root, "link2"));
    expect(privateDir(join(root, "link2"), me)).toBeUndefined();
    expect(privateDir(join(root, "open", "new", "cc"), me)).toBeUndefined();
    expect(readdirSync(join(root, "open"))).toEqual(["cc"]);
  });

  it("reads no cache file that is a FIFO or that others can write", () => {
    load();
    const [first, second] = readdirSync(cache).map((f) => join(cache, f));
    rmSync(first!);
    execFileSync("mkfifo", [first!]);
    chmodSync(second!, 0o620);
    expect(Object.values(load().outcomes)).toEqual(["missing", "missing"]);
  });

  it("reads no cache file that is a symbolic link", () => {
    load();
    const [file] = readdirSync(cache).map((f) => join(cache, f));
    // The link points at an exact copy this user owns: refused all the same.
    copyFileSync(file!, join(root, "copy.v8"));
    rmSync(file!);
    symlinkSync(join(root, "copy.v8"), file!);
    expect(Object.values(load().outcomes).sort()).toEqual(["missing", "used"]);
  });

  it.skipIf(process.geteuid?.() !== 0)("reads no cache file another user owns, and makes nothing in another user's folder (needs root to give files away; CI runs as root)", () => {
    load();
    const [file] = readdirSync(cache).map((f) => join(cache, f));
    chownSync(file!, 12345, 12345);
    expect(Object.values(load().outcomes).sort()).toEqual(["missing", "used"]);
    // Root with another user's HOME (sudo -E): their folder is not made or used.
    const home = join(root, "alice");
    mkdirSync(join(home, "old-cache"), { recursive: true, mode: 0o700 });
    chownSync(home, 12345, 12345);
    expect(privateDir(join(home, ".cache", "discforge", "compile-cache"), 0)).toBeUndefined();
    expect(readdirSync(home)).toEqual(["old-cache"]);
    // A folder root made there before: the one above it is not root's, so it is not used.
    expect(privateDir(join(home, "old-cache"), 0)).toBeUndefined();
    expect(load({ cacheDir: join(home, "old-cache") }).outcomes).toEqual({ "main.cjs": "off", "a.cjs": "off" });
  });

  it("loads chunks as Node's loader does: cycles see partial exports, a chunk that throws throws again", () => {
    writeFileSync(join(chunks, "x.cjs"), `"use strict";\nexports.early = 1;\nconst y = require("./y.cjs");\nexports.late = 2;\nexports.seen = y.seen;\n`);
    writeFileSync(join(chunks, "y.cjs"), `"use strict";\nconst x = require("./x.cjs");\nexports.seen = JSON.stringify(x);\n`);
    const loader = new BundleLoader({ cacheDir: undefined });
    expect(loader.require(join(chunks, "x.cjs"))).toEqual({ early: 1, late: 2, seen: '{"early":1}' });
    writeFileSync(join(chunks, "bad.cjs"), `"use strict";\nexports.partial = true;\nthrow new Error("chunk failed");\n`);
    expect(() => loader.require(join(chunks, "bad.cjs"))).toThrow("chunk failed");
    expect(() => loader.require(join(chunks, "bad.cjs"))).toThrow("chunk failed");
  });

  it("writes nothing when the cache is off", () => {
    const off = load({ cacheDir: undefined });
    expect(off.result).toBe(expected(7));
    expect(off.outcomes).toEqual({ "main.cjs": "off", "a.cjs": "off" });
    expect(off.saved).toBe(0);
    expect(readdirSync(root).sort()).toEqual(["chunks"]);
  });

  it("finds its folder from the environment", () => {
    expect(compileCacheDir({ DISCFORGE_COMPILE_CACHE: "/x/y" }, "linux")).toBe("/x/y");
    for (const off of ["off", "OFF", "0", ""]) expect(compileCacheDir({ DISCFORGE_COMPILE_CACHE: off, HOME: "/h" }, "linux")).toBeUndefined();
    expect(compileCacheDir({ XDG_CACHE_HOME: "/c", HOME: "/h" }, "linux")).toBe("/c/discforge/compile-cache");
    // A relative XDG_CACHE_HOME is invalid (XDG Base Directory specification): ignored.
    expect(compileCacheDir({ XDG_CACHE_HOME: "c", HOME: "/h" }, "linux")).toBe("/h/.cache/discforge/compile-cache");
    expect(compileCacheDir({}, "linux")).toBeUndefined();
    expect(compileCacheDir({ LOCALAPPDATA: "/l", HOME: "/h" }, "win32")).toBe(join("/l", "discforge", "compile-cache"));
    expect(compileCacheDir({ HOME: "/h" }, "win32")).toBeUndefined();
  });
});
