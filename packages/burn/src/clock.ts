/** Time as the burn engine sees it: tests inject the emulator's virtual clock to run timing cases exactly. */
import { systemClock } from "@discforge/drive";

export interface BurnClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: BurnClock = systemClock;

/** Lets other tasks (the source, timers) run; with a virtual clock nothing else advances time. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
