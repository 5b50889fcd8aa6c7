/**
 * The one place where a Recorder's commands meet the transport: every result becomes data or a
 * typed error, the sense action is applied (wait and retry "becoming ready" and "long write in
 * progress" within a time budget, re-read media state after a unit attention, fail otherwise),
 * per-command timeouts are enforced, AbortSignal is honoured, and every attempt is traced.
 */
import { CancelledError, InternalError, throwIfAborted } from "@discforge/errors";
import { OsError, ScsiStatusError, TransportError, type ScsiResult, type ScsiTransport } from "@discforge/transport";
import {
  DEFAULT_TIMEOUT_MS,
  checkConditionError,
  classifySense,
  decodeSense,
  outcomeToImapi,
  type ScsiRequest,
  type SenseCategory,
  type SenseData,
} from "@discforge/mmc";
import { toHex } from "@discforge/bytes";
import { systemClock, type RunnerClock } from "./clock.js";
import { traceDetail, type TraceSink } from "./trace.js";

export interface RunOptions {
  /** Data-out bytes, for requests whose builder was not given them. */
  readonly dataOut?: Uint8Array;
  /** Overrides the request's timeout class. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Total time the runner may spend waiting and retrying; default from the runner. */
  readonly retryBudgetMs?: number;
  /** Return CHECK CONDITION sense instead of throwing (for `raw` and for probing). */
  readonly acceptCheckCondition?: boolean;
}

export interface RunResult {
  readonly data: Uint8Array;
  readonly residual: number;
  /** Sense the drive attached to a successful command (recovered error), or the sense of an accepted check condition. */
  readonly sense?: SenseData;
  readonly senseBytes?: Uint8Array;
  readonly attempts: number;
}

export interface RunnerOptions {
  readonly clock?: RunnerClock;
  readonly trace?: TraceSink;
  /** Default retry budget per command. */
  readonly retryBudgetMs?: number;
  /** Called when the drive says its media or settings changed (unit attention): re-read state. */
  readonly onStateChanged?: (category: SenseCategory) => void;
}

const MAX_REREADS = 4;
const BUSY_DELAY_MS = 250;

export class CommandRunner {
  private seq = 0;
  private readonly clock: RunnerClock;
  private readonly budgetMs: number;
  private readonly sinks = new Set<TraceSink>();

  constructor(
    readonly transport: ScsiTransport,
    private readonly options: RunnerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.budgetMs = options.retryBudgetMs ?? 90_000;
    if (options.trace) this.sinks.add(options.trace);
  }

  /** Adds a trace sink; returns a function that removes it. */
  addTraceSink(sink: TraceSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  async run(request: ScsiRequest, options: RunOptions = {}): Promise<RunResult> {
    const signal = options.signal;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS[request.timeoutClass];
    const budget = options.retryBudgetMs ?? this.budgetMs;
    const dataOut = options.dataOut ?? request.dataOut;
    const started = this.clock.now();
    let rereads = 0;
    const triesByCategory = new Map<string, number>();

    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal, request.name);
      const result = await this.transport.execute({
        cdb: request.cdb,
        direction: request.direction,
        ...(request.direction === "in" ? { dataInLength: request.dataInLength ?? 0 } : {}),
        ...(request.direction === "out" ? { dataOut: dataOut ?? new Uint8Array(0) } : {}),
        timeoutMs,
        ...(signal ? { signal } : {}),
      });
      this.record(request, result, attempt, dataOut);

      const elapsed = this.clock.now() - started;
      const wait = async (delayMs: number): Promise<boolean> => {
        if (elapsed + delayMs > budget) return false;
        if (delayMs > 0) await this.clock.sleep(delayMs, signal);
        return true;
      };

      switch (result.kind) {
        case "good":
          return { data: result.data, residual: result.residual, attempts: attempt };

        case "check-condition": {
          const error = checkConditionError(result.sense, request.cdb, request.name);
          if (!("action" in error)) throw error; // undecodable sense: invalid response from device
          const sense = decodeSense(result.sense);
          if (options.acceptCheckCondition) {
            return { data: result.data, residual: result.residual, sense, senseBytes: result.sense, attempts: attempt };
          }
          const cls = classifySense(sense);
          if (cls.action.kind === "continue") {
            return { data: result.data, residual: result.residual, sense, senseBytes: result.sense, attempts: attempt };
          }
          if (cls.action.kind === "reread-media-state" && rereads < MAX_REREADS) {
            rereads++;
            this.options.onStateChanged?.(cls.category);
            continue;
          }
          if (cls.action.kind === "retry") {
            const tries = (triesByCategory.get(cls.category) ?? 0) + 1;
            triesByCategory.set(cls.category, tries);
            if (tries <= (cls.action.maxAttempts ?? 1) && (await wait(cls.action.delayMs ?? 0))) continue;
          }
          throw error;
        }

        case "status": {
          if ((result.status === "busy" || result.status === "task-set-full") && (await wait(BUSY_DELAY_MS))) continue;
          throw new ScsiStatusError(this.transport.description, result.status, result.statusByte, request.name, {
            imapi: outcomeToImapi(result.status),
          });
        }

        case "transport-error":
          if (result.reason === "aborted") throw new CancelledError(`${request.name} cancelled`, { cause: signal?.reason });
          throw new TransportError(this.transport.description, { reason: result.reason, detail: `${request.name}: ${result.detail}` }, { imapi: outcomeToImapi(result.reason) });

        case "os-error":
          throw new OsError(this.transport.description, result, { imapi: outcomeToImapi(result.osKind) });

        default:
          throw new InternalError(`transport returned an unknown result kind: ${JSON.stringify(result satisfies never)}`);
      }
    }
  }

  private record(request: ScsiRequest, result: ScsiResult, attempt: number, dataOut: Uint8Array | undefined): void {
    if (this.sinks.size === 0) return;
    const { detail, senseHex } = traceDetail(result);
    const entry = {
      seq: ++this.seq,
      command: request.name,
      cdb: toHex(request.cdb, " "),
      direction: request.direction,
      length: request.direction === "in" ? (request.dataInLength ?? 0) : request.direction === "out" ? (dataOut?.length ?? 0) : 0,
      outcome: result.kind,
      detail,
      ...(senseHex ? { senseHex } : {}),
      durationMs: result.durationMs,
      attempt,
    };
    for (const sink of this.sinks) sink(entry);
  }
}
