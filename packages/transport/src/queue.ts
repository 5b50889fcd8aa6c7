/**
 * One-at-a-time execution with the contract's abort and close rules, shared by every transport
 * so they all queue, cancel and close the same way.
 */
import type { ScsiCommand, ScsiResult, TransportFailure } from "./types.js";

export function failure(reason: TransportFailure, detail: string, durationMs = 0): ScsiResult {
  return { kind: "transport-error", reason, detail, durationMs };
}

export class CommandQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs `send` after every earlier command; honours abort-before-send and close. */
  run(command: ScsiCommand, send: () => Promise<ScsiResult>): Promise<ScsiResult> {
    const turn = this.tail.then(async (): Promise<ScsiResult> => {
      if (this.closed) return failure("closed", "transport closed");
      if (command.signal?.aborted) return failure("aborted", "cancelled before it was sent");
      return send();
    });
    this.tail = turn.catch(() => undefined);
    const signal = command.signal;
    if (!signal) return turn;
    // A queued command whose signal fires resolves at once; the turn still runs and sees it aborted.
    return new Promise<ScsiResult>((resolve, reject) => {
      const onAbort = () => resolve(failure("aborted", "cancelled while queued"));
      signal.addEventListener("abort", onAbort, { once: true });
      turn.then(
        (r) => {
          signal.removeEventListener("abort", onAbort);
          resolve(r);
        },
        (e: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(e);
        },
      );
    });
  }

  close(): void {
    this.closed = true;
  }
}
