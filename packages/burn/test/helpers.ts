/** Test rigs: a Recorder over an emulated drive holding a virtual disc, and deterministic data. */
import { Recorder } from "@discforge/drive";
import { EmulatedDrive, PERSONALITIES, VirtualClock, VirtualDisc, type BlankMediaId, type FaultPlan, type Personality } from "@discforge/emulator";

export interface Rig {
  readonly drive: EmulatedDrive;
  readonly recorder: Recorder;
  readonly disc: VirtualDisc;
  readonly clock: VirtualClock;
}

export function rig(media: BlankMediaId, options: { readonly faults?: FaultPlan; readonly throttle?: boolean; readonly personality?: Personality; readonly disc?: VirtualDisc } = {}): Rig {
  const clock = new VirtualClock();
  const disc = options.disc ?? VirtualDisc.blank(media);
  const drive = new EmulatedDrive({
    disc,
    clock,
    throttle: options.throttle ?? false,
    personality: options.personality ?? PERSONALITIES["bd-writer"],
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const recorder = new Recorder(drive, { runner: { clock, retryBudgetMs: 5000 } });
  return { drive, recorder, disc, clock };
}

/** `sectors` of data where every sector names its own index (so misplaced sectors show). */
export function pattern(sectors: number, seed = 1): Uint8Array {
  const out = new Uint8Array(sectors * 2048);
  const view = new DataView(out.buffer);
  for (let s = 0; s < sectors; s++) {
    for (let i = 0; i < 2048; i += 4) view.setUint32(s * 2048 + i, (Math.imul(s + 1, 2654435761) ^ (i * 40503) ^ seed) >>> 0);
  }
  return out;
}

/** The bytes the virtual disc holds at [lba, lba + sectors). */
export function discBytes(disc: VirtualDisc, lba: number, sectors: number): Uint8Array {
  return disc.store.read(lba, sectors);
}
