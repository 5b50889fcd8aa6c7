/**
 * Mutation fuzzing of the ISO 9660 / Joliet / Rock Ridge reader (IsoReader, extractImage,
 * importSession), and the defects it found, each kept as a named hand-built case.
 *
 * The mutants run in a worker thread (reader-fuzz.worker.ts) watched from here: a mutant that does
 * not finish within the deadline, even in synchronous code, is stopped and named by its seed.
 *   READER_FUZZ_MUTANTS=n   how many mutants (default 2000)
 *   READER_FUZZ_BASE=0x...  the run's base seed (default fixed, so CI runs are repeatable)
 *   READER_FUZZ_SEED=0x...  replay one mutant in-process, with full stacks
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { getHeapStatistics } from "node:v8";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MalformedDataError } from "@discforge/errors";
import { BytesBlockSource, extractImage, FileSystemImage, ImageUnwritableError, IsoReader, planImage, streamImage, type BlockSource, type IsoPlanOptions } from "../src/index.js";
import { removeDir, tempDir } from "./helpers.js";
import { buildSeeds, describeMutant, exerciseImage, FuzzFailure, hex, makeMutant, misplacedOffset, mutantSeedOf, type ExerciseOptions, type FuzzMessage, type FuzzWorkerData, type SeedImage } from "./reader-fuzz.worker.js";

const MUTANTS = Number(process.env.READER_FUZZ_MUTANTS ?? 2000);
const BASE_SEED = Number(process.env.READER_FUZZ_BASE ?? 0x1509_6600);
const REPLAY = process.env.READER_FUZZ_SEED;
const DEADLINE_MS = 2000;
const LIMITS = { memoryLimit: 64 << 20, readAmplification: 64 } as const;

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
let work: string;
let seeds: SeedImage[];
beforeAll(async () => {
  work = tempDir("reader-fuzz");
  seeds = await buildSeeds();
});
afterAll(() => removeDir(work));

let dirs = 0;
function freshDir(): string {
  const d = join(work, `case-${dirs++}`);
  mkdirSync(d);
  return d;
}

async function bytesOf(image: FileSystemImage, options: IsoPlanOptions = {}): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const c of streamImage(planImage(image, options))) chunks.push(c);
  return Buffer.concat(chunks);
}

async function walkAll(bytes: Uint8Array, namespace: "auto" | "rockridge" | "joliet" | "iso9660" = "auto"): Promise<string[]> {
  const r = await IsoReader.open(new BytesBlockSource(bytes), { namespace });
  const out: string[] = [];
  for await (const [p] of r.walk()) out.push(p);
  return out;
}

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

/** Offset of the directory record whose identifier is `id` in the first sector of the extent at `lba`. */
function findRecord(bytes: Buffer, lba: number, id: Uint8Array): number {
  for (let off = lba * 2048; off < (lba + 1) * 2048 && bytes[off]! > 0; off += bytes[off]!) {
    if (Buffer.compare(bytes.subarray(off + 33, off + 33 + bytes[off + 32]!), id) === 0) return off;
  }
  throw new Error(`no record ${Buffer.from(id).toString("latin1")}`);
}

const rootLbaOf = (bytes: Buffer, descriptorLba = 16): number => bytes.readUInt32LE(descriptorLba * 2048 + 158);

// ---------------------------------------------------------------------------------------------

interface FuzzRun {
  readonly failures: string[];
  readonly done: Extract<FuzzMessage, { kind: "done" }> | undefined;
}

/** tsx's ESM API, which loads the TypeScript harness in the worker (vitest does not reach into workers). */
function tsxEsmApi(): string {
  // Its CommonJS build fails to register the loader in an eval worker, so take the "import" export.
  const pkgPath = createRequire(import.meta.url).resolve("tsx/package.json");
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(pkgPath), pkg.exports["./esm/api"]!.import.default)).href;
}

/** Runs mutants in a worker; stops it when one mutant takes longer than `deadlineMs`. */
function runInWorker(job: Omit<FuzzWorkerData, "readerFuzz">, deadlineMs: number): Promise<FuzzRun> {
  const tsxApi = tsxEsmApi();
  const entry = new URL("./reader-fuzz.worker.ts", import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((api) => api.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
  const worker = new Worker(boot, { eval: true, workerData: { ...job, readerFuzz: true } satisfies FuzzWorkerData, resourceLimits: { maxOldGenerationSizeMb: 512 } });
  const failures: string[] = [];
  let done: FuzzRun["done"];
  let current = "(worker starting, building seeds)";
  let since = Date.now();
  let allowance = 60_000; // startup: tsx, module loading and seed images
  return new Promise((resolve) => {
    const watchdog = setInterval(() => {
      if (Date.now() - since <= allowance) return;
      failures.push(`${current}: did not finish within ${allowance} ms`);
      void worker.terminate();
    }, 50);
    worker.on("message", (m: FuzzMessage) => {
      if (m.kind === "start") {
        current = m.mutant;
        since = Date.now();
        allowance = deadlineMs;
      } else if (m.kind === "failure") failures.push(`${m.mutant}: ${m.message}`);
      else done = m;
    });
    worker.on("error", (e) => failures.push(`${current}: the worker died: ${e.stack ?? String(e)}`));
    worker.on("exit", () => {
      clearInterval(watchdog);
      resolve({ failures, done });
    });
  });
}

describe("reader fuzz", () => {
  it("the seed images are deterministic, hold the structures the mutations aim at, and read cleanly", async () => {
    const again = await buildSeeds();
    expect(again.map((s) => Buffer.from(s.bytes).equals(Buffer.from(seeds.find((x) => x.name === s.name)!.bytes)))).toEqual(seeds.map(() => true));
    expect(Buffer.from(makeMutant(seeds, 12345).bytes).equals(Buffer.from(makeMutant(again, 12345).bytes))).toBe(true);
    const signatures = new Set(seeds.flatMap((s) => s.structures.susp.map((e) => e.signature)));
    for (const sig of ["SP", "CE", "ER", "PX", "PN", "SL", "NM", "TF", "CL", "PL", "RE", "RR"]) expect(signatures, sig).toContain(sig);
    // The multisession seed's file of two sections (its first record carries the multi-extent flag).
    const multi = seeds.find((s) => s.name === "multisession")!;
    expect(multi.structures.records.some((r) => (multi.bytes[r.off + 25]! & 0x80) !== 0)).toBe(true);
    for (const seed of seeds) {
      const outcome = await exerciseImage(seed.bytes, seed.sessionStart, { workDir: freshDir(), ...LIMITS, extract: "all" });
      expect({ seed: seed.name, errors: outcome.errors }).toEqual({ seed: seed.name, errors: [] });
      expect(outcome.extracted, seed.name).toBeGreaterThan(5);
    }
  });

  it("its checks fail on an untyped error, on memory growth and on a misplaced offset", async () => {
    const seed = seeds.find((s) => s.name === "plain-iso9660")!;
    const options: ExerciseOptions = { workDir: freshDir(), ...LIMITS, extract: "all" };
    const throwing = (inner: BlockSource): BlockSource => ({ sectorCount: inner.sectorCount, readSectors: async (lba, n) => (lba > 16 ? Promise.reject(new RangeError("boom")) : inner.readSectors(lba, n)) });
    await expect(exerciseImage(seed.bytes, 0, { ...options, source: throwing })).rejects.toThrow(/untyped error: RangeError: boom/);
    const hoard: Uint8Array[] = [];
    const hoarding = (inner: BlockSource): BlockSource => ({ sectorCount: inner.sectorCount, readSectors: async (lba, n) => (hoard.push(new Uint8Array(4 << 20)), inner.readSectors(lba, n)) });
    await expect(exerciseImage(seed.bytes, 0, { ...options, source: hoarding })).rejects.toThrow(FuzzFailure);
    expect(hoard.length).toBeGreaterThan(0);
    const image = new Uint8Array(64);
    image.set([1, 0, 0, 0, 0, 0, 0, 2], 40); // LE 1, BE 2 at offset 40
    expect(misplacedOffset(new MalformedDataError("x", 40, "both-endian mismatch: LE 1 vs BE 2"), image)).toBeUndefined();
    expect(misplacedOffset(new MalformedDataError("x", 0, "both-endian mismatch: LE 1 vs BE 2"), image)).toMatch(/no both-endian field/);
  });

  it("its watchdog names a mutant that hangs, and a stray rejection is reported", async () => {
    const run = await runInWorker({ baseSeed: 1, count: 1, workDir: freshDir(), ...LIMITS, selfTest: "hang" }, 300);
    expect(run.done).toBeUndefined();
    expect(run.failures).toEqual([expect.stringMatching(/^seed 0x00000001 .*unhandled rejection: Error: stray/), expect.stringMatching(/^seed 0x00000001 .*did not finish within 300 ms/)]);
  });

  it(REPLAY === undefined ? `${MUTANTS} mutants: typed errors only, within ${DEADLINE_MS} ms and bounded memory, nothing written outside the destination` : `replays mutant ${REPLAY} in-process`, { timeout: 300_000 }, async () => {
    if (REPLAY !== undefined) {
      const seed = Number(REPLAY);
      const mutant = makeMutant(seeds, seed);
      console.log(describeMutant(seed, mutant));
      const outcome = await exerciseImage(mutant.bytes, mutant.sessionStart, { workDir: freshDir(), ...LIMITS, extract: "all" });
      console.log(outcome);
      expect(outcome.entries + outcome.errors.length).toBeGreaterThan(0);
      return;
    }
    const run = await runInWorker({ baseSeed: BASE_SEED, count: MUTANTS, workDir: freshDir(), ...LIMITS }, DEADLINE_MS);
    const report = run.failures.map((f) => {
      const seed = /^seed (0x[0-9a-f]+)/.exec(f)?.[1];
      return seed ? `${f}\n  replay: READER_FUZZ_SEED=${seed} pnpm vitest run packages/image/test/reader-fuzz.test.ts` : f;
    });
    expect(report).toEqual([]);
    const done = run.done!;
    expect(done.mutants).toBe(MUTANTS);
    // The mutations must reach past the volume descriptors: many mutants walk (some cleanly),
    // and the typed errors come from many different structures.
    expect(done.clean).toBeGreaterThan(MUTANTS * 0.15);
    expect(done.rejected).toBeGreaterThan(MUTANTS * 0.3);
    expect(Object.keys(done.structures).length).toBeGreaterThan(40);
    console.log(
      `reader fuzz: ${done.mutants} mutants from base seed ${hex(BASE_SEED)} in ${done.ms} ms; ${done.clean} read cleanly, ${done.rejected} refused with typed errors ` +
        `(${Object.keys(done.structures).length} kinds); the reader requested at most ${done.maxReadRatio.toFixed(1)} times the image size`,
    );
  });

  it("mutant seeds are spread over the 32-bit space", () => {
    expect(new Set(Array.from({ length: 1000 }, (_, i) => mutantSeedOf(BASE_SEED, i))).size).toBe(1000);
  });
});

// ---------------------------------------------------------------------------------------------

describe("defects the fuzzer found", () => {
  // Seeds 0xcc6299e0 (NM "a/b"), 0xf0f0a4c5 (Joliet "a/b"), 0x5ee88403 ("../x"), 0x6b17dcfa
  // (Joliet "."): walk() yielded paths such as "/dev/a/b" that stat() then resolved elsewhere.
  it("a Rock Ridge NM name holding a slash is refused by the reader, naming the NM entry", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    img.addFile("/axb", enc("payload"));
    const bytes = await bytesOf(img, { joliet: false });
    const nm = bytes.indexOf(Buffer.from([0x4e, 0x4d, 0x08, 0x01, 0x00, 0x61, 0x78, 0x62])); // NM "axb"
    expect(nm).toBeGreaterThan(0);
    bytes[nm + 6] = 0x2f; // "a/b"
    const e = await rejection(walkAll(bytes));
    expect(e).toBeInstanceOf(MalformedDataError);
    expect(e).toMatchObject({ structure: "RRIP 4.1.4 NM entry", offset: nm });
    expect((e as Error).message).toMatch(/unsafe component "a\/b"/);
  });

  it('a Joliet identifier ".." and an ISO 9660 identifier with NUL are refused, naming the identifier', async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    img.addFile("/ab", enc("payload"));
    const bytes = await bytesOf(img, { rockRidge: false });
    const jolietRoot = rootLbaOf(bytes, 17);
    const j = findRecord(bytes, jolietRoot, Uint8Array.of(0, 0x61, 0, 0x62, 0, 0x3b, 0, 0x31)); // "ab;1"
    bytes.set([0, 0x2e, 0, 0x2e], j + 33); // "..;1"
    await expect(walkAll(bytes, "joliet")).rejects.toMatchObject({ structure: "Joliet file identifier", offset: j + 33, message: expect.stringMatching(/unsafe component "\.\."/) });
    const i = findRecord(bytes, rootLbaOf(bytes), enc("AB.;1"));
    bytes[i + 33] = 0;
    await expect(walkAll(bytes, "iso9660")).rejects.toMatchObject({ structure: "ECMA-119 9.1.11 file identifier", offset: i + 33 });
  });

  // Seed 0x1bbd3b6d: two records under one name made extract fail with a raw EEXIST from node:fs.
  it("two entries under one name make extract fail with a typed error, not EEXIST", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    img.addFile("/AB.TXT", enc("first"));
    img.addFile("/AC.TXT", enc("second"));
    img.addDirectory("/DA");
    img.addDirectory("/DB");
    const bytes = await bytesOf(img, { rockRidge: false, joliet: false });
    const root = rootLbaOf(bytes);
    bytes[findRecord(bytes, root, enc("AC.TXT;1")) + 34] = 0x42; // AB.TXT;1
    const dest = join(freshDir(), "out");
    const e = await rejection(extractImage(await IsoReader.open(new BytesBlockSource(bytes)), dest));
    expect(e).toBeInstanceOf(MalformedDataError);
    expect((e as Error).message).toMatch(/\/AB\.TXT appears twice/);
    expect(readdirSync(dest)).toEqual(["AB.TXT"]);
    bytes[findRecord(bytes, root, enc("AB.TXT;1")) + 34] = 0x43; // the files differ again
    bytes[findRecord(bytes, root, enc("DB")) + 34] = 0x41; // DA twice
    await expect(extractImage(await IsoReader.open(new BytesBlockSource(bytes)), join(freshDir(), "out"))).rejects.toThrow(/\/DA appears twice/);
  });

  it("what the host refuses during extract (a path over PATH_MAX) is a typed error naming the path", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    let deep = "";
    for (let i = 0; i < 18; i++) deep += "/" + String.fromCharCode(0x61 + i).repeat(250);
    img.addFile(`${deep}/f`, enc("too deep for the host"));
    const e = await rejection(extractImage(await IsoReader.open(new BytesBlockSource(await bytesOf(img, { joliet: false }))), join(freshDir(), "out")));
    expect(e).toBeInstanceOf(ImageUnwritableError);
    expect(e).toMatchObject({ code: "DF_OS", cause: expect.objectContaining({ code: "ENAMETOOLONG" }) });
  });

  // Seed 0xa90265d4: an SL entry cut to its flags byte gave a link with an empty target, which
  // extract then failed to create (ENOENT from symlink(""), blamed on the destination).
  it("a Rock Ridge SL entry that records no target is refused by the reader, naming the SL entry", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    img.addSymlink("/link", "t");
    const bytes = await bytesOf(img, { joliet: false });
    const sl = bytes.indexOf(Buffer.from([0x53, 0x4c, 0x08, 0x01, 0x00, 0x00, 0x01, 0x74])); // SL "t"
    expect(sl).toBeGreaterThan(0);
    bytes[sl + 2] = 5; // the flags byte only, no component
    await expect(walkAll(bytes)).rejects.toMatchObject({ structure: "RRIP 4.1.3 SL entry", offset: sl, message: expect.stringMatching(/link target is empty/) });
    await expect(extractImage(await IsoReader.open(new BytesBlockSource(bytes)), join(freshDir(), "out"))).rejects.toBeInstanceOf(MalformedDataError);
  });

  // Seed 0xf9c1d32a: a file record claiming 256 MiB - 1 in a 72 KiB image made readFile allocate
  // the 256 MiB before it looked at the extent.
  it("readFile checks a file's extents against the volume before allocating its size", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    img.addFile("/BIG.DAT", enc("small"));
    const bytes = await bytesOf(img, { rockRidge: false, joliet: false });
    const rec = findRecord(bytes, rootLbaOf(bytes), enc("BIG.DAT;1"));
    bytes.writeUInt32LE(0x0fff_ffff, rec + 10);
    bytes.writeUInt32BE(0x0fff_ffff, rec + 14);
    const r = await IsoReader.open(new BytesBlockSource(bytes));
    const before = getHeapStatistics().external_memory;
    const e = await rejection(r.readFile("/BIG.DAT"));
    const grown = getHeapStatistics().external_memory - before;
    expect(e).toMatchObject({ structure: "file extent", message: expect.stringMatching(/runs past the volume end/) });
    expect(grown).toBeLessThan(16 << 20);
  });

  // Seeds 0x2e2ac8b1 ("RRIP PX gid at offset 24"), 0x17156814 ("primary volume descriptor logical
  // block size at offset 128"), 0xde049f34 ("directory record data length at offset 10") and
  // 0x9e378130 (a SUSP entry reported 34 bytes before it): offsets were indexes into an entry, a
  // sector or a directory buffer, or assumed the System Use area starts at record byte 33.
  it("errors name the image offset of the bytes at fault", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    img.addFile("/sub/file.txt", enc("x"));
    const clean = await bytesOf(img, { joliet: false });
    const pvd = 16 * 2048;

    const blockSize = Buffer.from(clean);
    blockSize[pvd + 130] = 0; // big-endian half of the logical block size
    await expect(IsoReader.open(new BytesBlockSource(blockSize))).rejects.toMatchObject({ structure: "ECMA-119 8.4 primary volume descriptor logical block size", offset: pvd + 128 });

    const date = Buffer.from(clean);
    date[pvd + 813 + 5] = 0x41; // a letter in the creation date
    await expect(IsoReader.open(new BytesBlockSource(date))).rejects.toMatchObject({ structure: "ECMA-119 8.4 primary volume descriptor creation date", offset: pvd + 813 + 5 });

    const length = Buffer.from(clean);
    const sub = findRecord(length, rootLbaOf(length), enc("SUB"));
    length[sub + 10] = length[sub + 10]! ^ 0x01; // little-endian half of the data length
    await expect(walkAll(length)).rejects.toMatchObject({ structure: "ECMA-119 9.1 directory record data length", offset: sub + 10 });

    const px = Buffer.from(clean);
    const subLba = px.readUInt32LE(sub + 2);
    const file = findRecord(px, subLba, enc("FILE.TXT;1"));
    const pxAt = px.indexOf(Buffer.from([0x50, 0x58, 44, 1]), file);
    px[pxAt + 4 + 24] = px[pxAt + 4 + 24]! ^ 0x01; // gid, little-endian half
    await expect(walkAll(px)).rejects.toMatchObject({ structure: "RRIP PX gid", offset: pxAt + 4 + 24 });

    const entryLength = Buffer.from(clean);
    const nm = entryLength.indexOf(Buffer.from([0x4e, 0x4d, 13, 1, 0]), file); // NM "file.txt"
    entryLength[nm + 2] = 255;
    await expect(walkAll(entryLength)).rejects.toMatchObject({ structure: "SUSP entry", offset: nm });
  });
});
