/**
 * Drive operations the burn engine needs on top of Recorder.run: READ BUFFER CAPACITY, waiting
 * for a long operation (IMMED SYNCHRONIZE CACHE, CLOSE, BLANK, FORMAT) with the progress the
 * sense-key specific field reports, and reading / changing mode page 05h.
 */
import type { Recorder } from "@discforge/drive";
import {
  ScsiCheckConditionError,
  WRITE_PARAMETERS_PAGE_CODE,
  buildFormatUnit,
  buildModeSelect10,
  buildReadFormatCapacities,
  buildReadBufferCapacity,
  buildTestUnitReady,
  bufferCapacityBytesCodec,
  classifySense,
  encodeModeSelectParameterList,
  formatCapacitiesCodec,
  formatUnitParametersCodec,
  modePageBytes,
  rawModePage,
  senseProgress,
  writeParametersPageCodec,
  type WriteParametersPage,
} from "@discforge/mmc";
import { imapiCode } from "@discforge/errors";
import { BurnError } from "./errors.js";
import type { BurnClock } from "./clock.js";

export interface DriveBufferState {
  readonly capacityBytes: number;
  readonly freeBytes: number;
  /** 0..1 */
  readonly fill: number;
}

/** READ BUFFER CAPACITY (MMC-6 6.20), byte form. Undefined when the drive does not answer it. */
export async function readBufferCapacity(recorder: Recorder, signal?: AbortSignal): Promise<DriveBufferState | undefined> {
  try {
    const { data } = await recorder.run(buildReadBufferCapacity({ allocationLength: 12 }), signal ? { signal, retryBudgetMs: 0 } : { retryBudgetMs: 0 });
    const v = bufferCapacityBytesCodec.decode(data);
    if (v.lengthOfBuffer === 0) return undefined;
    const free = Math.min(v.blankLengthOfBuffer, v.lengthOfBuffer);
    return { capacityBytes: v.lengthOfBuffer, freeBytes: free, fill: 1 - free / v.lengthOfBuffer };
  } catch (e) {
    if (e instanceof ScsiCheckConditionError) return undefined;
    throw e;
  }
}

const BUSY_CATEGORIES = new Set(["long-write-in-progress", "operation-in-progress", "format-in-progress", "becoming-ready"]);

/**
 * Polls TEST UNIT READY until the drive has finished a long operation started with IMMED,
 * reporting the progress indication (0..1) when the drive gives one.
 */
export async function waitUntilReady(
  recorder: Recorder,
  clock: BurnClock,
  options: { readonly pollMs?: number; readonly limitMs?: number; readonly signal?: AbortSignal; readonly onProgress?: (fraction: number | undefined) => void; readonly what: string },
): Promise<void> {
  const started = clock.now();
  const poll = options.pollMs ?? 200;
  const limit = options.limitMs ?? 2 * 3600_000;
  for (;;) {
    const r = await recorder.run(buildTestUnitReady(), { acceptCheckCondition: true, retryBudgetMs: 0, ...(options.signal ? { signal: options.signal } : {}) });
    if (!r.sense) return;
    const cls = classifySense(r.sense);
    if (cls.category === "no-sense" || cls.category === "recovered" || cls.category === "completed") return;
    if (!BUSY_CATEGORIES.has(cls.category)) {
      // Not a "still busy" answer: let the runner turn it into the typed error.
      await recorder.run(buildTestUnitReady(), options.signal ? { signal: options.signal } : {});
      return;
    }
    options.onProgress?.(senseProgress(r.sense));
    if (clock.now() - started > limit) {
      throw new BurnError(`${options.what} did not finish within ${Math.round(limit / 1000)} s`, imapiCode("E_IMAPI_RECORDER_COMMAND_TIMEOUT"), {
        phase: "finalizing",
        discState: { known: false, reason: "the drive is still busy" },
        sectorsWritten: 0,
        writeStarted: true,
      });
    }
    await clock.sleep(poll, options.signal);
  }
}

/** Current mode page 05h; undefined when the drive answers without it; the drive's error when it refuses. */
export async function readWriteParameters(recorder: Recorder): Promise<WriteParametersPage | undefined> {
  const list = await recorder.modeSense(WRITE_PARAMETERS_PAGE_CODE);
  const page = list.pages.find((p) => p.pageCode === WRITE_PARAMETERS_PAGE_CODE);
  return page ? writeParametersPageCodec.decode(modePageBytes(page)) : undefined;
}

/** MODE SELECT(10) of page 05h (PS cleared, no block descriptors). */
export async function writeWriteParameters(recorder: Recorder, page: WriteParametersPage): Promise<void> {
  const list = encodeModeSelectParameterList({
    mediumType: 0,
    writeProtected: false,
    deviceSpecificParameter: 0,
    longLba: false,
    blockDescriptors: [],
    pages: [rawModePage(writeParametersPageCodec.encode({ ...page, ps: false }))],
  });
  await recorder.run(buildModeSelect10({}, list));
}

/**
 * FORMAT UNIT with IMMED for one format type, sized from the drive's matching formattable
 * capacity descriptor (READ FORMAT CAPACITIES), or `fallbackBlocks` when the drive lists none.
 */
export async function sendFormatUnit(recorder: Recorder, format: { readonly type: number; readonly subType?: number }, fallbackBlocks: number, signal?: AbortSignal): Promise<void> {
  const runOptions = signal ? { signal } : {};
  const fc = formatCapacitiesCodec.decode((await recorder.run(buildReadFormatCapacities({ allocationLength: 0xfffc }), runOptions)).data);
  const d = fc.formattable.find((x) => x.formatType === format.type);
  const list = formatUnitParametersCodec.encode({
    fov: true,
    dpry: false,
    dcrt: false,
    stpf: false,
    tryOut: false,
    immed: true,
    vs: false,
    descriptor: { numberOfBlocks: d?.numberOfBlocks ?? fallbackBlocks, formatType: format.type, formatSubType: format.subType ?? 0, typeDependentParameter: d?.typeDependentParameter ?? 0 },
  });
  await recorder.run(buildFormatUnit({}, list), { ...runOptions, retryBudgetMs: 60_000 });
}
