/**
 * `discforge burn`: IMAPI's RecordDisc from the command line. Burns an image file (`--image`) or
 * files and folders given as arguments (built on the fly into ISO 9660 + Joliet + Rock Ridge,
 * optionally UDF), with simulate, eject, verify, speed, close, multisession, host buffer size and
 * BUFE control. A live progress line on a terminal, plain lines otherwise, a final report.
 */
import { basename, resolve } from "node:path";
import { statSync } from "node:fs";
import { InvalidArgumentError } from "@discforge/errors";
import type { MediaReport, Recorder } from "@discforge/drive";
import { DataWriter, fileSource, SECTOR, type BurnEvent, type BurnResult, type BurnSource, type VerifyMode } from "@discforge/burn";
import { FileSystemImage, IsoReader, importSession, planImage, streamImage, type BlockSource } from "@discforge/image";
import { buildRead10 } from "@discforge/mmc";
import type { CliIo, Command, CommandContext } from "../command.js";
import { BURN_SPEC } from "../specs.js";
import { stringOption, withRecorder } from "../drive-context.js";
import { EXIT } from "../exit.js";
import { parseSize } from "../format.js";

function parseSpeed(text: string | undefined): number | "max" {
  if (text === undefined || text === "max") return "max";
  const n = Number(text.replace(/x$/i, ""));
  if (!(n > 0)) throw new InvalidArgumentError("--speed", `"${text}" is not a speed (e.g. 8, 8x or max)`);
  return n;
}

const PHASE_TEXT: Record<string, string> = {
  "validating-media": "validating media",
  formatting: "formatting",
  "initializing-hardware": "initializing hardware",
  "calibrating-power": "calibrating power",
  writing: "writing",
  finalizing: "finalizing",
  verifying: "verifying",
  completed: "completed",
};

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const secs = (ms: number) => (ms >= 60_000 ? `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s` : `${(ms / 1000).toFixed(1)}s`);

/** Turns burn events into a live line on a terminal, or plain lines otherwise. */
export function progressPrinter(io: CliIo, json: boolean): (e: BurnEvent) => void {
  const tty = io.stderr.isTTY === true;
  let lastPlain = -1;
  let lastPhase = "";
  return (e) => {
    if (json) return;
    if (e.type === "phase") {
      if (tty && lastPhase) io.stderr.write("\n");
      lastPhase = e.phase;
      lastPlain = -1;
      io.stderr.write(`${tty ? "" : ""}${PHASE_TEXT[e.phase] ?? e.phase}${tty ? "" : "\n"}`);
      return;
    }
    if (e.type === "warning") {
      io.stderr.write(`${tty ? "\n" : ""}warning: ${e.message}\n`);
      return;
    }
    if (e.type === "source-rate") {
      // Only a diversion is news; "the source keeps up" stays in --json's events.
      if (e.decision === "stage") io.stderr.write(`${tty ? "\n" : ""}${e.reason}\n`);
      return;
    }
    if (e.type === "staged") {
      io.stderr.write(`${tty ? "\n" : ""}staged ${mb(e.bytes)} in ${secs(e.ms)}; writing from the staged copy\n`);
      return;
    }
    const pct = e.sectorsTotal > 0 ? Math.floor((e.sectorsDone / e.sectorsTotal) * 100) : 0;
    const parts = [`${PHASE_TEXT[e.phase] ?? e.phase} ${pct}%`];
    if (e.phase === "writing" || e.phase === "verifying") parts.push(`${e.sectorsDone}/${e.sectorsTotal} sectors`);
    if (e.speedX !== undefined) parts.push(`${e.speedX.toFixed(1)}x`);
    if (e.bytesPerSecond !== undefined) parts.push(`${mb(e.bytesPerSecond)}/s`);
    if (e.remainingMs !== undefined) parts.push(`ETA ${secs(e.remainingMs)}`);
    if (e.ringFill !== undefined) parts.push(`ring ${Math.round(e.ringFill * 100)}%`);
    if (e.driveBufferFill !== undefined) parts.push(`drive buffer ${Math.round(e.driveBufferFill * 100)}%`);
    if (e.bufeEngagements) parts.push(`BUFE links ${e.bufeEngagements}`);
    if (tty) io.stderr.write(`\r\x1b[K${parts.join("  ")}`);
    else if (pct >= lastPlain + 10 || pct === 100) {
      lastPlain = pct - (pct % 10);
      io.stderr.write(`${parts.join("  ")}\n`);
    }
  };
}

/** Reads sectors of the disc in a drive (for importing the previous session's tree). */
function recorderBlockSource(rec: Recorder, sectorCount: number): BlockSource {
  return {
    sectorCount,
    async readSectors(lba, count, options) {
      return (await rec.run(buildRead10({ lba, transferLength: count }), options?.signal ? { signal: options.signal } : {})).data;
    },
  };
}

/** Builds the session from files and folders (the image package), multisession-aware. */
async function buildSource(ctx: CommandContext, rec: Recorder, media: MediaReport, multisession: boolean): Promise<{ source: BurnSource; description: string }> {
  const image = new FileSystemImage();
  image.volume.volumeId = stringOption(ctx, "volume-id") ?? "DISCFORGE";
  const sequential = media.recording === "sequential";
  const overwritable = media.recording === "random" || media.recording === "restricted-overwrite";
  let startLba = 0;
  let grow: { volumeEnd: number } | undefined;
  const previous = sequential ? [...media.sessions].reverse().find((s) => s.tracks.some((t) => t.state === "complete")) : undefined;
  if (multisession && sequential && media.status === "appendable" && previous) {
    const reader = await IsoReader.open(recorderBlockSource(rec, media.capacityBlocks), { sessionStart: previous.start });
    await importSession(reader, image, { signal: ctx.signal });
    startLba = media.nextWritableAddress ?? 0;
  } else if (multisession && overwritable && !(await rec.heuristicallyBlank())) {
    const reader = await IsoReader.open(recorderBlockSource(rec, media.capacityBlocks), {});
    const imported = await importSession(reader, image, { signal: ctx.signal });
    grow = { volumeEnd: Math.ceil(imported.volumeEnd / 16) * 16 };
    startLba = grow.volumeEnd;
  }
  for (const src of ctx.positionals) {
    const path = resolve(src);
    const st = statSync(path);
    // New files replace the previous session's files of the same name (as growisofs -M does).
    if (st.isDirectory()) image.addTree(path, ctx.positionals.length === 1 ? "/" : `/${basename(path)}`, { overwrite: true });
    else image.addTree(path, "/", { overwrite: true });
  }
  const plan = planImage(image, {
    joliet: ctx.values.joliet !== false,
    rockRidge: ctx.values.rock === false ? false : "1.12",
    ...(ctx.values.udf ? { udf: true } : {}),
    startLba,
  });
  const description = `${ctx.positionals.join(", ")} (${plan.sectorCount} sectors${startLba ? ` from LBA ${startLba}` : ""})`;
  if (!grow) {
    return { source: { byteLength: plan.byteLength, repeatable: true, description, ...(sequential || startLba ? { startLba } : {}), open: () => streamImage(plan, { signal: ctx.signal }) }, description };
  }
  // Growing in place (growisofs): the new session after the old data, its volume descriptors
  // copied to LBA 16 and written last.
  const head: Uint8Array[] = [];
  let have = 0;
  for await (const chunk of streamImage(plan)) {
    head.push(chunk);
    have += chunk.length;
    if (have >= 32 * SECTOR) break;
  }
  const first = Buffer.concat(head).subarray(16 * SECTOR, 32 * SECTOR);
  const volumeEnd = grow.volumeEnd;
  const zeros = new Uint8Array(1024 * 1024);
  const total = (volumeEnd + plan.sectorCount) * SECTOR;
  return {
    source: {
      byteLength: total,
      repeatable: true,
      description,
      startLba: 0,
      changedRanges: [
        { start: 16, length: 16 },
        { start: volumeEnd, length: plan.sectorCount },
      ],
      async *open() {
        yield zeros.subarray(0, 16 * SECTOR);
        yield first;
        for (let at = 32 * SECTOR; at < volumeEnd * SECTOR; at += zeros.length) yield zeros.subarray(0, Math.min(zeros.length, volumeEnd * SECTOR - at));
        yield* streamImage(plan, { signal: ctx.signal });
      },
    },
    description,
  };
}

export function formatBurnResult(r: BurnResult): string {
  const lines = [
    `${r.simulated ? "Simulated burn" : "Burn"} complete: ${r.media}, ${r.sectors} sectors (${mb(r.sectors * SECTOR)}) from LBA ${r.startLba}`,
    `  result        ${r.imapi.name}`,
    `  speed         ${r.speed.selectedX !== undefined ? `${r.speed.selectedX}x ${r.speed.rotation ?? ""}` : "drive's choice"}${r.speed.requested !== "max" ? ` (asked ${r.speed.requested}x)` : ""}, average ${mb(r.averageBytesPerSecond)}/s`,
    `  written       ${r.sectorsWritten} sectors in ${secs(r.writeMs)}; closed: ${r.closed}`,
    `  BUFE          ${r.bufe ? "on" : "off"}, ${r.bufeEngagements} engagement(s); source stalls: ${r.hostStarvations}`,
    `  verification  ${
      r.verification.mode === "none"
        ? "not read back (--verify none); only the disc's recorded size and state were checked"
        : r.verification.mode === "simulated"
          ? "simulation: nothing was recorded; the disc was checked to be unchanged"
          : `${r.verification.mode}: ${r.verification.sectorsChecked} sectors read back, ${r.verification.passed ? "all equal to the source" : `${r.verification.differingSectors.length} differ, ${r.verification.unreadableSectors.length} unreadable`}`
    }`,
    `  disc now      ${r.discState.summary}`,
  ];
  if (r.source?.staged) {
    const rate = r.source.prefillBytesPerSecond !== undefined ? ` (the source gave ${mb(r.source.prefillBytesPerSecond)}/s)` : "";
    lines.splice(4, 0, `  staged        ${mb(r.source.staged.bytes)} in ${secs(r.source.staged.ms)} before the first write${rate}; the staged copy is wiped`);
  }
  if (r.ejected) lines.push("  ejected");
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  return lines.join("\n") + "\n";
}

export const burnCommand: Command = {
  ...BURN_SPEC,
  async run(ctx) {
    const imagePath = stringOption(ctx, "image");
    if (!imagePath && ctx.positionals.length === 0) throw new InvalidArgumentError("--image", "give an image file (--image FILE.iso) or files and folders to burn");
    if (imagePath && ctx.positionals.length > 0) throw new InvalidArgumentError("--image", "give either an image or files and folders, not both");
    const verify = (stringOption(ctx, "verify") ?? "quick") as VerifyMode;
    if (!["quick", "full", "none"].includes(verify)) throw new InvalidArgumentError("--verify", "must be quick, full or none");
    const speed = parseSpeed(stringOption(ctx, "speed"));
    const buffer = stringOption(ctx, "buffer");
    const values = { ...ctx.values, joliet: ctx.values["no-joliet"] ? false : ctx.values.joliet, rock: ctx.values["no-rock"] ? false : ctx.values.rock };
    const bctx: CommandContext = { ...ctx, values };
    return withRecorder(ctx, async (rec) => {
      const media = await rec.media({ refresh: true });
      const multisession = ctx.values.multisession === true;
      if (!multisession && media.recording === "sequential" && media.status === "appendable") {
        throw new InvalidArgumentError("--multisession", `the ${media.profileName} disc already holds data (next writable address ${media.nextWritableAddress ?? "?"}); add --multisession to append a session${media.kind === "rewritable" ? ", or erase it first" : ""}`);
      }
      let source: BurnSource;
      if (imagePath) {
        const startLba = multisession && media.recording === "sequential" && media.status === "appendable" ? media.nextWritableAddress : undefined;
        source = fileSource(imagePath, startLba !== undefined ? { startLba } : {});
      } else {
        source = (await buildSource(bctx, rec, media, multisession)).source;
      }
      const result = await new DataWriter(rec).write(source, {
        signal: ctx.signal,
        onEvent: progressPrinter(ctx.io, ctx.json),
        simulate: ctx.values.simulate === true,
        ejectAfterBurn: ctx.values.eject === true,
        verify,
        close: ctx.values.close === true,
        bufe: ctx.values["no-bufe"] !== true,
        speed,
        ...(buffer ? { bufferBytes: parseSize(buffer, "--buffer") } : {}),
        // A source too slow for the drive with BUFE off goes to a stash before the first write.
        stageWhenSlow: ctx.values["no-stage"] === true ? false : { ...(stringOption(ctx, "stage-dir") ? { dir: stringOption(ctx, "stage-dir")! } : {}) },
        ...(ctx.values.dao ? { dao: true } : {}),
        ...(ctx.values.stream ? { streaming: true } : {}),
        ...(stringOption(ctx, "client-name") ? { clientName: stringOption(ctx, "client-name")! } : {}),
      });
      if (!ctx.json && ctx.io.stderr.isTTY) ctx.io.stderr.write("\n");
      ctx.io.stdout.write(ctx.json ? JSON.stringify(result) + "\n" : formatBurnResult(result));
      return EXIT.ok;
    });
  },
};
