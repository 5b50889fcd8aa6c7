/** Test helpers: a drive on a virtual clock, and one-line command runners. */
import { expect } from "vitest";
import { toHex } from "@discforge/bytes";
import type { ScsiResult } from "@discforge/transport";
import { EmulatedDrive, VirtualClock, VirtualDisc, PERSONALITIES, type BlankMediaId, type EmulatedDriveOptions, type Personality } from "../src/index.js";

export interface Request {
  readonly cdb: Uint8Array;
  readonly direction: "none" | "in" | "out";
  readonly dataInLength?: number;
  readonly dataOut?: Uint8Array;
}

export interface Rig {
  readonly drive: EmulatedDrive;
  readonly clock: VirtualClock;
  readonly disc: VirtualDisc;
}

/** A drive with a blank medium loaded; the power-on and media unit attentions are consumed. */
export async function rig(media: BlankMediaId, options: Partial<EmulatedDriveOptions> & { personality?: Personality } = {}): Promise<Rig> {
  const clock = new VirtualClock();
  const disc = options.disc ?? VirtualDisc.blank(media);
  const drive = new EmulatedDrive({ clock, disc, ...options, ...(options.personality ? {} : { personality: PERSONALITIES["bd-writer"] }) });
  // Power-on reset, then nothing else pending: TEST UNIT READY reports 29/00 once.
  const first = await exec(drive, { cdb: new Uint8Array(6), direction: "none" });
  expect(first.kind).toBe("check-condition");
  await clearAttentions(drive);
  return { drive, clock, disc };
}

export async function clearAttentions(drive: EmulatedDrive): Promise<void> {
  for (let i = 0; i < 4; i++) {
    const r = await exec(drive, { cdb: new Uint8Array(6), direction: "none" });
    if (r.kind === "good") return;
  }
}

export function exec(drive: EmulatedDrive, req: Request, timeoutMs = 60_000): Promise<ScsiResult> {
  return drive.execute({
    cdb: req.cdb,
    direction: req.direction,
    ...(req.direction === "in" ? { dataInLength: req.dataInLength ?? 0 } : {}),
    ...(req.direction === "out" ? { dataOut: req.dataOut ?? new Uint8Array(0) } : {}),
    timeoutMs,
  });
}

function describe(r: ScsiResult): string {
  if (r.kind === "check-condition") return `CHECK CONDITION ${toHex(r.sense.subarray(0, 18))}`;
  return r.kind;
}

/** Runs a command that must succeed; returns its data. */
export async function ok(drive: EmulatedDrive, req: Request, dataOut?: Uint8Array): Promise<Uint8Array> {
  const r = await exec(drive, dataOut ? { ...req, dataOut } : req);
  expect(r.kind, describe(r)).toBe("good");
  return r.kind === "good" ? r.data : new Uint8Array(0);
}

export interface SenseTriple {
  readonly key: number;
  readonly asc: number;
  readonly ascq: number;
  readonly sense: Uint8Array;
}

/** Runs a command that must end in CHECK CONDITION; returns key/ASC/ASCQ. */
export async function fails(drive: EmulatedDrive, req: Request, dataOut?: Uint8Array): Promise<SenseTriple> {
  const r = await exec(drive, dataOut ? { ...req, dataOut } : req);
  expect(r.kind, describe(r)).toBe("check-condition");
  if (r.kind !== "check-condition") return { key: -1, asc: -1, ascq: -1, sense: new Uint8Array(0) };
  return { key: r.sense[2]! & 0x0f, asc: r.sense[12]!, ascq: r.sense[13]!, sense: r.sense };
}

export function senseOf(t: SenseTriple): string {
  const h = (n: number) => n.toString(16).padStart(2, "0");
  return `${h(t.key)}/${h(t.asc)}/${h(t.ascq)}`;
}

/** `count` blocks whose bytes say which LBA they belong to (for checking the disc afterwards). */
export function blocks(lba: number, count: number, tag = 0): Uint8Array {
  const b = new Uint8Array(count * 2048);
  const v = new DataView(b.buffer);
  for (let i = 0; i < count; i++) {
    v.setUint32(i * 2048, lba + i);
    v.setUint32(i * 2048 + 4, tag);
    b.fill((lba + i + tag) & 0xff, i * 2048 + 8, (i + 1) * 2048);
  }
  return b;
}
