/**
 * The CLI as it ships (scripts/bundle-cli.ts): the entry file and what it requires at start hold
 * only the compile cache, argument parsing and help; the drive stack (SG_IO, koffi) and the image
 * writer come in chunks that only their commands require. Runs here keep their compile cache in
 * the test's folder.
 */
import { describe, it, expect, beforeAll } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { bundleCli } from "../../../scripts/bundle-cli.js";

/** The files a chunk loads before it runs: what it requires at its top level, transitively. */
function staticClosure(...entries: string[]): string[] {
  const seen = new Set<string>();
  const todo = [...entries];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    // A dynamic import() became `Promise.resolve().then(()=>__toESM(require(...)))`: that one stays lazy.
    for (const m of text.matchAll(/(?<!__toESM\()require\("(\.\.?\/[^"]+)"\)/g)) todo.push(resolve(dirname(file), m[1]!));
  }
  return [...seen];
}

let dir: string;
let entry: string;
let cache: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "discforge-bundle-"));
  entry = await bundleCli(join(dir, "out"));
  cache = join(dir, "compile-cache");
  process.env.DISCFORGE_COMPILE_CACHE = cache;
});

const run = (...args: string[]): string => execFileSync(process.execPath, [entry, ...args], { encoding: "utf8" });

describe("the bundled CLI", () => {
  it("starts from a small entry that loads no command code", () => {
    expect(entry).toBe(join(dir, "out", "discforge.cjs"));
    // The entry requires no chunk: it loads chunks/main.cjs through the compile cache.
    expect(readFileSync(entry, "utf8")).toContain('"chunks/main.cjs"');
    const main = join(dir, "out", "chunks", "main.cjs");
    const closure = staticClosure(entry, main);
    const bytes = closure.reduce((n, f) => n + statSync(f).size, 0);
    const all = closure.map((f) => readFileSync(f, "utf8")).join("\n");
    // The single-file bundle was 680 KB; the start-up part is the compile cache, the specs, errors
    // and boot options (about 30 KB), without the boot writer and its node:crypto.
    expect(bytes).toBeLessThan(60_000);
    expect(all.match(/"node:crypto"/g) ?? []).toEqual([]);
    expect(all.match(/SG_IO|koffi|DataWriter|class IsoReader/g) ?? []).toEqual([]);
    // No import() is left (a vm script cannot run one): they all became require().
    const chunkFiles = readdirSync(dirname(main)).map((f) => join(dirname(main), f));
    expect(chunkFiles.filter((f) => /\bimport\(/.test(readFileSync(f, "utf8")))).toEqual([]);
    // ...and the chunks that commands load do hold them.
    const mkiso = /__toESM\(require\("(\.\/mkiso-[^"]+\.cjs)"\)/.exec(readFileSync(main, "utf8"));
    expect(mkiso).not.toBeNull();
    const mkisoAll = staticClosure(resolve(dirname(main), mkiso![1]!)).map((f) => readFileSync(f, "utf8")).join("\n");
    expect(mkisoAll.match(/function planImage\(/g)).toHaveLength(1);
    // (the image package's own read-ahead hint loads koffi lazily; the SCSI stack stays out)
    expect(mkisoAll.match(/SG_IO|DataWriter|defaultDiscMaster/g) ?? []).toEqual([]);
    // The boot writer (with node:crypto) only for a bootable image.
    expect(mkisoAll.match(/"node:crypto"|function bootExtension\(/g) ?? []).toEqual([]);
  });

  it("runs --version, help and mkiso from its folder", () => {
    rmSync(cache, { recursive: true, force: true });
    expect(run("--version")).toBe("discforge 0.1.0\n");
    // The first run saved its chunks' bytecode; the next one gives the same output from it, and
    // writes nothing (a run that could not use a cache file would have written it again).
    const files = () => readdirSync(cache).map((f) => { const st = statSync(join(cache, f)); return `${f} ${st.ino} ${st.mtimeMs}`; });
    const saved = files();
    expect(saved.length).toBeGreaterThan(0);
    expect(run("--version")).toBe("discforge 0.1.0\n");
    expect(files()).toEqual(saved);
    expect(run("help")).toMatch(/^ {2}burn +burn an image/m);
    mkdirSync(join(dir, "tree"));
    writeFileSync(join(dir, "tree", "a.txt"), "bundled\n");
    const iso = join(dir, "a.iso");
    run("mkiso", "--quiet", "--date", "2020-01-01T00:00:00Z", join(dir, "tree"), "-o", iso);
    expect(readFileSync(iso).subarray(16 * 2048 + 1, 16 * 2048 + 6).toString("latin1")).toBe("CD001");
    // A bootable one loads the boot writer: an El Torito boot record volume descriptor at LBA 17.
    writeFileSync(join(dir, "boot.bin"), new Uint8Array(2048).fill(0x90));
    run("mkiso", "--quiet", "--date", "2020-01-01T00:00:00Z", "--boot-bios", join(dir, "boot.bin"), join(dir, "tree"), "-o", iso);
    const brvd = readFileSync(iso).subarray(17 * 2048, 17 * 2048 + 32);
    expect(brvd[0]).toBe(0);
    expect(brvd.subarray(1, 6).toString("latin1")).toBe("CD001");
    expect(brvd.subarray(7, 30).toString("latin1")).toBe("EL TORITO SPECIFICATION");
  });

  it("ends through libc's _exit once koffi is loaded, with its output whole and its exit code kept", () => {
    // A preloaded listener shows how the process ended: 'beforeExit' is emitted only when Node
    // ends it the usual way (an empty event loop), 'exit' in both cases.
    const probe = join(dir, "probe.cjs");
    writeFileSync(probe, 'process.on("beforeExit", () => process.stderr.write("[beforeExit]")); process.on("exit", (c) => process.stderr.write(`[exit ${c}]`));\n');
    const probed = (...args: string[]) => spawnSync(process.execPath, ["-r", probe, entry, ...args], { encoding: "utf8" });
    // More files than disk-io's FAST_AFTER, so the scan loads koffi.
    const many = join(dir, "many");
    mkdirSync(many);
    for (let i = 0; i < 300; i++) writeFileSync(join(many, `f${i}.txt`), `file ${i}\n`.repeat(i));
    const ok = probed("mkiso", "--json", "--date", "2020-01-01T00:00:00Z", many, "-o", join(dir, "many.iso"));
    expect(ok.status).toBe(0);
    expect(ok.stderr).toBe("[exit 0]");
    const report = JSON.parse(ok.stdout) as { ok: boolean; sectors: number };
    expect(report.ok).toBe(true);
    expect(statSync(join(dir, "many.iso")).size).toBe(report.sectors * 2048);
    // A failure after koffi has loaded (the output's folder does not exist): its code and whole message.
    const failed = probed("mkiso", "--date", "2020-01-01T00:00:00Z", many, "-o", join(dir, "no-such-dir", "x.iso"));
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/^discforge mkiso: .*no-such-dir.*\n\[exit 1\]$/s);
    // An 'exit' listener's exit code is the process's, as with process.exit.
    const recode = join(dir, "recode.cjs");
    writeFileSync(recode, 'process.on("exit", () => { process.exitCode = 7; });\n');
    const recoded = spawnSync(process.execPath, ["-r", probe, "-r", recode, entry, "mkiso", "--quiet", many, "-o", join(dir, "many.iso")], { encoding: "utf8" });
    expect(recoded.stderr).toBe("[exit 0]");
    expect(recoded.status).toBe(7);
    // Its stdout a pipe shared with a later writer and drained slowly: the later writer's
    // 3,000,000 bytes all arrive (libuv made the pipe non-blocking; Node's exit, and ours, undo it).
    const shared = spawnSync("sh", ["-c", `( "${process.execPath}" "${entry}" mkiso --quiet "${many}" -o "${join(dir, "many2.iso")}"; head -c 3000000 /dev/zero | cat ) | (sleep 1; wc -c)`], { encoding: "utf8" });
    expect(shared.stderr).toBe("");
    expect(Number(shared.stdout.trim())).toBe(3_000_000);
    // Without koffi (a small tree, --version), the usual way.
    const small = probed("--version");
    expect(small.status).toBe(0);
    expect(small.stdout).toBe("discforge 0.1.0\n");
    expect(small.stderr).toBe("[beforeExit][exit 0]");
  });
});
