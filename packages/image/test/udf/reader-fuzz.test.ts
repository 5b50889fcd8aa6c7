/**
 * Mutation fuzzing of the UDF reader. Seed images from our own builder (bridged ISO 9660 + UDF:
 * revisions 1.02 to 2.60, a deep tree, long and wide names, a directory of several blocks,
 * symlinks, hard links, devices, files continued in allocation extent descriptors) are mutated
 * with a seeded PRNG: fields set to edge values, allocation descriptors redirected at themselves
 * or other entries, blocks copied, zeroed or cut off, entries retyped or made indirect, FIDs
 * fanned in, directories given each other's data; most mutants get their tags resealed so the
 * damage reaches past the checksum and CRC. Each mutant is opened, walked, statted, read and
 * extracted. The outcome must be a tree or a typed error naming a UDF structure at an absolute
 * offset, within a deadline, a read budget and a memory bound, and extraction must stay inside
 * its directory and create no special files.
 *
 * The mutants run in a worker thread (reader-fuzz.worker.ts) that is stopped when one overruns,
 * so even a hang in synchronous code is reported with its seed.
 *
 * Replay one mutant: UDF_FUZZ_SEED=0x1234abcd pnpm vitest run packages/image/test/udf/reader-fuzz.test.ts
 * More mutants:      UDF_FUZZ_COUNT=20000 pnpm vitest run packages/image/test/udf/reader-fuzz.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { BytesBlockSource, FileSystemImage, planImage, RecordedContent, streamImage } from "../../src/index.js";
import { AllocationExtentDescriptorCodec, decodeTag, encodeCs0, LongAdCodec, sealDescriptor, ShortAdCodec, UdfReader, type UdfRevision } from "../../src/udf/index.js";
import { removeDir, tempDir } from "../helpers.js";
import { auditExtraction, findDescriptors, FuzzLimitError, hex, judgeError, mutantSeed, type FuzzJob, type FuzzMessage, type Limits, type Outcome } from "./reader-fuzz.worker.js";

const BASE_SEED = 0x5eed_0001;
/** About 6 s of mutants on a 2-core machine; UDF_FUZZ_COUNT runs more. */
const COUNT = Number(process.env.UDF_FUZZ_COUNT ?? 1500);
const REPLAY = process.env.UDF_FUZZ_SEED === undefined ? undefined : Number(process.env.UDF_FUZZ_SEED) >>> 0;
const LIMITS: Limits = { deadlineMs: 2000, readFactor: 16, memoryFactor: 16, memorySlack: 64 << 20 };
/** A mutant without an outcome by then is stopped (the in-worker deadline failed to fire: a synchronous hang). */
const WATCHDOG_MS = 2 * LIMITS.deadlineMs;
const MAX_RESTARTS = 3;
const BLOCK = 2048;

let work: string;
beforeAll(() => {
  work = tempDir("udf-fuzz");
});
afterAll(() => removeDir(work));

interface FuzzReport {
  readonly outcomes: Outcome[];
  readonly failures: string[];
}

const replayHint = (seed: number): string => `replay: UDF_FUZZ_SEED=${hex(seed)} pnpm vitest run packages/image/test/udf/reader-fuzz.test.ts`;

/** Runs the mutants of `seeds` in one worker; resolves when it ends, dies or overruns. */
function runWorker(seeds: readonly number[], sandboxRoot: string, report: FuzzReport): Promise<number | undefined> {
  const entry = new URL("./reader-fuzz.worker.ts", import.meta.url).href;
  const job: FuzzJob = { kind: "udf-reader-fuzz", seeds: [...seeds], limits: LIMITS, extractEvery: 8, sandboxRoot };
  // The worker runs outside vitest: tsx (a dev dependency of the workspace) loads the TypeScript.
  const worker = new Worker(`import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, {
    eval: true,
    workerData: job,
    // A mutant that allocates without bound ends the worker (reported below), not the test run.
    resourceLimits: { maxOldGenerationSizeMb: 768 },
  });
  return new Promise((resolve) => {
    let current: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (stoppedAt: number | undefined, failure?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (failure !== undefined) report.failures.push(failure);
      void worker.terminate().then(() => resolve(stoppedAt));
    };
    const arm = (ms: number, why: () => string): void => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(current, why()), ms);
    };
    arm(60_000, () => "the fuzz worker built no seed images within 60 s");
    worker.on("message", (m: FuzzMessage) => {
      if (m.type === "start") {
        current = m.seed;
        arm(WATCHDOG_MS, () => `seed ${hex(m.seed)}: no outcome within ${WATCHDOG_MS} ms (a hang; the worker was stopped)\n  ${replayHint(m.seed)}`);
      } else if (m.type === "outcome") {
        clearTimeout(timer);
        report.outcomes.push(m.outcome);
        const o = m.outcome;
        for (const p of o.problems) report.failures.push(`seed ${hex(o.seed)} [${o.image}] ${o.steps.join("; ")}\n  ${p.replace(/\n/g, "\n  ")}\n  ${replayHint(o.seed)}`);
        if (REPLAY !== undefined) console.log(JSON.stringify(o, null, 2));
      } else if (m.type === "end") finish(undefined);
    });
    worker.on("error", (e) => finish(current, `${current === undefined ? "the fuzz worker" : `seed ${hex(current)}`} ended the worker: ${e.name}: ${e.message}${current === undefined ? "" : `\n  ${replayHint(current)}`}`));
    worker.on("exit", (code) => finish(current, `the fuzz worker exited (code ${code}) before its last mutant${current === undefined ? "" : `, running seed ${hex(current)}`}`));
  });
}

/** Runs all mutants, restarting the worker after one that had to be stopped. */
async function fuzz(seeds: readonly number[]): Promise<FuzzReport> {
  const report: FuzzReport = { outcomes: [], failures: [] };
  const sandboxRoot = join(work, "sandbox");
  mkdirSync(sandboxRoot, { recursive: true });
  let todo = seeds;
  for (let restarts = 0; todo.length > 0; restarts++) {
    const stoppedAt = await runWorker(todo, sandboxRoot, report);
    if (stoppedAt === undefined) break;
    todo = todo.slice(todo.indexOf(stoppedAt) + 1);
    if (restarts === MAX_RESTARTS && todo.length > 0) {
      report.failures.push(`${todo.length} mutants not run after ${MAX_RESTARTS} restarts of the worker`);
      break;
    }
  }
  return report;
}

describe("UDF reader mutation fuzz", () => {
  it(`${REPLAY === undefined ? COUNT : 1} seeded mutants: a tree or a typed error, never a crash, hang, runaway read or memory, or escape on extract`, async () => {
    const seeds = REPLAY !== undefined ? [REPLAY] : Array.from({ length: COUNT }, (_, i) => mutantSeed(BASE_SEED, i));
    const started = Date.now();
    const { outcomes, failures } = await fuzz(seeds);
    expect(failures, `${failures.length} failure(s) in ${outcomes.length} mutants:\n\n${failures.slice(0, 10).join("\n\n")}`).toEqual([]);
    expect(outcomes).toHaveLength(seeds.length);
    if (REPLAY !== undefined) return;
    // The mutants must reach deep into the reader, or passing says little.
    const share = (f: (o: Outcome) => boolean): number => outcomes.filter(f).length / outcomes.length;
    const structures = new Set(outcomes.map((o) => o.firstError?.split(" at offset")[0]).filter((s) => s !== undefined));
    const stats = { opened: share((o) => o.opened), walked: share((o) => o.walked), extracted: outcomes.filter((o) => o.extracted).length, structures: structures.size, seconds: (Date.now() - started) / 1000 };
    console.log(`UDF reader fuzz: ${outcomes.length} mutants from seed ${hex(BASE_SEED)}: ${JSON.stringify(stats)}`);
    expect(stats.opened).toBeGreaterThan(0.7);
    expect(stats.walked).toBeGreaterThan(0.25);
    expect(stats.extracted).toBeGreaterThan(COUNT / 40);
    expect(stats.structures).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it("the checks can fail: untyped errors, unnamed structures, relative offsets, special files and limits are caught", () => {
    expect(judgeError(new TypeError("x"), 32768)).toMatch(/untyped TypeError/);
    expect(judgeError(new RangeError("offset is out of bounds"), 32768)).toMatch(/untyped RangeError/);
    expect(judgeError(new MalformedDataError("u64le", 56, "value exceeds 2^53-1"), 32768)).toMatch(/names no UDF structure/);
    expect(judgeError(new MalformedDataError("ECMA-167 4/14.9 file entry", 4096, "x"), 32768)).toMatch(/not an offset in the image/);
    expect(judgeError(new FuzzLimitError("still running"), 32768)).toMatch(/still running/);
    expect(judgeError(new MalformedDataError("ECMA-167 4/14.9 file entry", 600_000, "x"), 32768)).toBeUndefined();
    expect(judgeError(new InvalidArgumentError("path", "x"), 32768)).toBeUndefined();
    const sandbox = join(work, "audit");
    mkdirSync(join(sandbox, "out"), { recursive: true });
    execFileSync("mkfifo", [join(sandbox, "out", "fifo")]);
    writeFileSync(join(sandbox, "escaped"), "x");
    const problems = auditExtraction(sandbox, join(sandbox, "out"));
    expect(problems.join("\n")).toMatch(/special file .*fifo/);
    expect(problems.join("\n")).toMatch(/outside its destination/);
  });
});

// ---------------------------------------------------------------------------------------------
// Regressions: the defects the fuzzer (and the review that came with it) found, one small case each.
// ---------------------------------------------------------------------------------------------

async function image(revision: UdfRevision, fill: (img: FileSystemImage) => void, startLba = 0, earlier?: Uint8Array): Promise<Uint8Array> {
  const img = new FileSystemImage({ date: new Date("2024-01-01T00:00:00Z") });
  fill(img);
  const chunks: Uint8Array[] = earlier ? [earlier] : [];
  for await (const c of streamImage(planImage(img, { udf: { revision }, ...(startLba ? { startLba } : {}) }))) chunks.push(c.slice());
  return new Uint8Array(Buffer.concat(chunks));
}

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** Byte offset of the FID naming `name` (its CS0 identifier follows 38 bytes of FID). */
function fidOf(b: Uint8Array, name: string): number {
  const at = Buffer.from(b.buffer, b.byteOffset, b.length).indexOf(Buffer.from(encodeCs0(name)));
  if (at < 38) throw new Error(`no FID for ${name}`);
  return at - 38;
}

function reseal(b: Uint8Array, off: number, crcLength?: number): void {
  const t = decodeTag(b, off);
  sealDescriptor(b, off, t, crcLength ?? t.descriptorCrcLength);
}

/** The file entry a FID names, as an absolute byte offset (physical partition, no metadata partition). */
async function entryOf(b: Uint8Array, fid: number): Promise<number> {
  const r = await UdfReader.open(new BytesBlockSource(b));
  return (view(b).getUint32(fid + 24, true) + r.volume.partitions[0]!.partitionStartingLocation) * BLOCK;
}

async function rejection(p: Promise<unknown>): Promise<MalformedDataError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(MalformedDataError);
  return e as MalformedDataError;
}

const openBytes = (b: Uint8Array, sessionStart = 0): Promise<UdfReader> => UdfReader.open(new BytesBlockSource(b), { sessionStart });

describe("UDF reader regressions found by the fuzzer", () => {
  it("an information length over 2^53 names the file entry and the field's absolute offset (was a bare u64le error at offset 56)", async () => {
    const b = await image("2.01", (img) => img.addFile("/the-file", new Uint8Array(10)));
    const fe = await entryOf(b, fidOf(b, "the-file"));
    view(b).setUint32(fe + 60, 0x0020_0000, true);
    reseal(b, fe);
    const e = await rejection((await openBytes(b)).list("/"));
    expect(e.structure).toBe("ECMA-167 4/14.9 file entry");
    expect(e.offset).toBe(fe + 56);
    expect(e.message).toMatch(/information length 9007199254741002 exceeds 2\^53 - 1/);
  });

  it("a file entry of over 64 KiB retyped as a symbolic link is refused (was a RangeError writing past the link buffer)", async () => {
    const b = await image("2.01", (img) => img.addFile("/big", new Uint8Array(70_000)));
    const fe = await entryOf(b, fidOf(b, "big"));
    b[fe + 27] = 12; // file type: symbolic link
    reseal(b, fe);
    const e = await rejection((await openBytes(b)).list("/"));
    expect(e.structure).toBe("ECMA-167 4/14.16 symbolic link");
    expect(e.offset).toBe(fe + 56);
    expect(e.message).toMatch(/70000 bytes of path components exceed 65536/);
  });

  it("a bad ICB reference names the FID field that holds it (was its block number times 2048)", async () => {
    const b = await image("2.01", (img) => img.addFile("/the-file", new Uint8Array(10)));
    const fid = fidOf(b, "the-file");
    view(b).setUint16(fid + 28, 5, true); // partition reference 5
    reseal(b, fid);
    const e = await rejection((await openBytes(b)).list("/"));
    expect(e.structure).toBe("ECMA-167 4/14.9 file entry");
    expect(e.offset).toBe(fid + 20);
    expect(e.message).toMatch(/partition reference 5 is not in the logical volume/);
  });

  it("an allocation descriptor outside its partition is named where it is recorded, after the entry's header", async () => {
    const b = await image("2.01", (img) => img.addFile("/the-file", new Uint8Array(10)));
    const fe = await entryOf(b, fidOf(b, "the-file"));
    view(b).setUint32(fe + 176 + 4, 0x00ff_ffff, true); // short_ad position
    reseal(b, fe);
    const e = await rejection((await openBytes(b)).list("/"));
    expect(e.structure).toBe("ECMA-167 4/14.14 allocation descriptor");
    expect(e.offset).toBe(fe + 176);
  });

  it("a root that is not a directory names the file set's root ICB (was a FID at offset 0 with an empty name)", async () => {
    const b = await image("2.01", (img) => img.addFile("/the-file", new Uint8Array(10)));
    const r0 = await openBytes(b);
    const start = r0.volume.partitions[0]!.partitionStartingLocation;
    const root = r0.volume.fileSet.rootDirectoryIcb.location.logicalBlockNumber;
    const fe = await entryOf(b, fidOf(b, "the-file"));
    const fsd = findTag(b, 256);
    view(b).setUint32(fsd + 404, fe / BLOCK - start, true); // root ICB: the file's entry
    reseal(b, fsd);
    expect(root).not.toBe(fe / BLOCK - start);
    const e = await rejection((await openBytes(b)).stat("/"));
    expect(e.structure).toBe("ECMA-167 4/14.1 file set descriptor");
    expect(e.offset).toBe(fsd + 400);
    expect(e.message).toMatch(/root ICB has file type 5, not a directory/);
  });

  it("a partition running past the volume end names its partition descriptor (was the partition's own start)", async () => {
    const b = await image("2.01", (img) => img.addFile("/the-file", new Uint8Array(10)));
    const pd = findTag(b, 5);
    view(b).setUint32(pd + 192, 0x00ff_ffff, true); // partition length
    reseal(b, pd);
    const e = await rejection(openBytes(b));
    expect(e.structure).toBe("ECMA-167 3/10.5 partition descriptor");
    expect(e.offset).toBe(pd + 188);
  });

  it("an unsafe name is reported at its own FID's name (was the offset of the next FID)", async () => {
    const b = await image("2.01", (img) => {
      img.addFile("/ab", new Uint8Array(1));
      img.addFile("/zz", new Uint8Array(1));
    });
    const fid = fidOf(b, "ab");
    b.set(Buffer.from(".."), fid + 39);
    reseal(b, fid);
    const e = await rejection((await openBytes(b)).list("/"));
    expect(e.offset).toBe(fid + 38);
    expect(e.message).toMatch(/unsafe name "\.\."/);
  });
});

describe("UDF reader: hostile images stay linear in the image size", () => {
  /**
   * A 2.50 image whose Metadata File is grown over the whole partition, and a one-byte file whose
   * long_ads (in its entry and a chain of AEDs) each span that metadata partition: expanded block
   * by block, as metadata extents are, that was about a million pieces from a 3 MB image.
   */
  it("extents spanning a metadata partition over and over are refused before they are expanded", async () => {
    const b = await image("2.50", (img) => {
      img.addFile("/victim", new Uint8Array(1));
      img.addFile("/room", new Uint8Array(BLOCK * 1200));
    });
    const dv = view(b);
    const r0 = await openBytes(b);
    const part = r0.volume.partitions[0]!;
    const map = r0.volume.logicalVolume.partitionMaps[1]!;
    if (map.type !== 2 || map.kind !== "metadata") throw new Error("no metadata partition");
    const metaFe = (part.partitionStartingLocation + map.metadataFileLocation) * BLOCK;
    const metaStart = dv.getUint32(metaFe + 216 + 4, true);
    const blocks = part.partitionLength - metaStart;
    for (const fe of [metaFe, (part.partitionStartingLocation + map.metadataMirrorFileLocation) * BLOCK]) {
      dv.setUint32(fe + 216, blocks * BLOCK, true);
      dv.setUint32(fe + 56, blocks * BLOCK, true);
      reseal(b, fe);
    }
    const abs = (metadataBlock: number): number => (part.partitionStartingLocation + metaStart + metadataBlock) * BLOCK;
    const fe = abs(dv.getUint32(fidOf(b, "victim") + 24, true));
    const spanAll = (out: Uint8Array, at: number): void => LongAdCodec.encodeInto({ type: 0, length: blocks * BLOCK, location: { logicalBlockNumber: 0, partitionReferenceNumber: 1 } }, out, at);
    const next = (out: Uint8Array, at: number, block: number): void => LongAdCodec.encodeInto({ type: 3, length: BLOCK, location: { logicalBlockNumber: block, partitionReferenceNumber: 1 } }, out, at);
    const aeds = 5;
    const firstAed = blocks - aeds - 1;
    const ads = new Uint8Array(114 * 16);
    for (let i = 0; i < 113; i++) spanAll(ads, i * 16);
    next(ads, 113 * 16, firstAed);
    dv.setUint32(fe + 212, ads.length, true);
    b.set(ads, fe + 216);
    reseal(b, fe, 216 + ads.length - 16);
    for (let k = 0; k < aeds; k++) {
      const list = new Uint8Array(126 * 16);
      for (let i = 0; i < 125; i++) spanAll(list, i * 16);
      next(list, 125 * 16, firstAed + k + 1);
      b.set(AllocationExtentDescriptorCodec.encode(0, k < aeds - 1 ? list : list.subarray(0, 125 * 16), { descriptorVersion: 3, tagLocation: firstAed + k }), abs(firstAed + k));
    }
    const r = await openBytes(b);
    const started = Date.now();
    const e = await rejection(r.stat("/victim"));
    expect(e.structure).toBe("ECMA-167 4/14.14 allocation descriptor");
    expect(e.offset).toBe(fe + 216 + 16); // the second extent already records more than the partitions hold
    expect(e.message).toMatch(/more than the partitions hold/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  /** 300 FIDs naming one entry of 25,000 hole extents in 100 AEDs: 7.5 million pieces, 400 MB, from 1.4 MB. */
  it("many FIDs naming one entry with a long chain of hole extents: refused by the reading budget, not resolved per FID", async () => {
    const aeds = 100;
    const b = await image("2.01", (img) => {
      for (let i = 0; i < 300; i++) img.addFile(`/d/f${i}`, new Uint8Array(0));
      img.addFile("/victim", new Uint8Array(1));
      img.addFile("/room", new Uint8Array(BLOCK * (aeds + 1)));
    });
    const dv = view(b);
    const r0 = await openBytes(b);
    const start = r0.volume.partitions[0]!.partitionStartingLocation;
    const victim = dv.getUint32(fidOf(b, "victim") + 24, true);
    const room = (await r0.stat("/room")).extents[0]!.lba - start;
    const hole = (out: Uint8Array, at: number): void => ShortAdCodec.encodeInto({ type: 1, length: BLOCK, position: 0 }, out, at);
    const fe = (start + victim) * BLOCK;
    const ads = new Uint8Array(234 * 8);
    for (let i = 0; i < 233; i++) hole(ads, i * 8);
    ShortAdCodec.encodeInto({ type: 3, length: BLOCK, position: room }, ads, 233 * 8);
    dv.setUint32(fe + 172, ads.length, true);
    dv.setUint32(fe + 56, (233 + 252 * aeds) * BLOCK, true);
    b.set(ads, fe + 176);
    reseal(b, fe, 176 + ads.length - 16);
    for (let k = 0; k < aeds; k++) {
      const list = new Uint8Array(253 * 8);
      for (let i = 0; i < 252; i++) hole(list, i * 8);
      ShortAdCodec.encodeInto({ type: 3, length: BLOCK, position: room + k + 1 }, list, 252 * 8);
      b.set(AllocationExtentDescriptorCodec.encode(0, k < aeds - 1 ? list : list.subarray(0, 252 * 8), { descriptorVersion: 3, tagLocation: room + k }), (start + room + k) * BLOCK);
    }
    const fids = findDescriptors(b, start * BLOCK).filter((d) => d.id === 257 && b[d.off + 39] === 0x66); // names "f..."
    expect(fids).toHaveLength(300);
    for (const fid of fids) {
      dv.setUint32(fid.off + 24, victim, true);
      reseal(b, fid.off);
    }
    const r = await openBytes(b);
    const started = Date.now();
    const e = await rejection(r.list("/d"));
    expect(e.structure).toBe("ECMA-167 4/14.14 allocation descriptor");
    expect(e.message).toMatch(/a block belongs to one file/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("two directories with the same data are an error, not a tree listed twice", async () => {
    const b = await image("2.01", (img) => {
      img.addFile("/dir-x/a", new Uint8Array(1));
      img.addFile("/dir-y/b", new Uint8Array(1));
    });
    const x = await entryOf(b, fidOf(b, "dir-x"));
    const y = await entryOf(b, fidOf(b, "dir-y"));
    b.set(b.subarray(x + 56, x + 64), y + 56);
    b.set(b.subarray(x + 176, x + 184), y + 176);
    reseal(b, y);
    const r = await openBytes(b);
    const seen: string[] = [];
    const e = await rejection(
      (async () => {
        for await (const [p] of r.walk()) seen.push(p);
      })(),
    );
    expect(e.structure).toBe("ECMA-167 4/8.6 directory");
    expect(e.offset).toBe(y);
    expect(e.message).toMatch(/also belongs to another directory/);
    expect(seen).toEqual(["/dir-x", "/dir-y", "/dir-x/a"]);
  });

  it("no false alarm: 200 hard links to a file of 300 extents in allocation extent descriptors list and read", async () => {
    const n = 300;
    const startLba = 2 * n;
    const earlier = new Uint8Array(startLba * BLOCK).map((_, i) => (i >>> 11) & 0xff);
    const b = await image(
      "2.01",
      (img) => {
        img.addFile("/frag", new RecordedContent(n * BLOCK, Array.from({ length: n }, (_, i) => ({ lba: 2 * i, length: BLOCK })), "fragmented"));
        for (let i = 0; i < 200; i++) img.addHardLink(`/links/l${i}`, "/frag");
      },
      startLba,
      earlier,
    );
    const r = await openBytes(b, startLba);
    const entries = await r.list("/links");
    expect(entries).toHaveLength(200);
    expect(entries.every((e) => e.extents.length === n)).toBe(true);
    const data = await r.readFile("/links/l199");
    expect(data[0]).toBe(0);
    expect(data[BLOCK]).toBe(2);
    let walked = 0;
    for await (const _ of r.walk()) walked++;
    expect(walked).toBe(202);
  });
});

/** Byte offset of the first descriptor with tag identifier `id` (volume structures and the file set). */
function findTag(b: Uint8Array, id: number): number {
  for (let off = 16 * BLOCK; off < b.length; off += BLOCK) {
    if (view(b).getUint16(off, true) === id && b[off + 5] === 0 && [2, 3].includes(b[off + 2]!)) return off;
  }
  throw new Error(`no descriptor with tag ${id}`);
}
