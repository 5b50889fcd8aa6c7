/**
 * Media change notification (IMAPI's EnableMcn / DisableMcn): polls GET EVENT STATUS
 * NOTIFICATION's media class and reports arrivals and removals. Polling stops when the last
 * listener is removed.
 */
import type { Recorder } from "./recorder.js";

export interface MediaChangeEvent {
  readonly kind: "media-arrived" | "media-removed" | "eject-request" | "media-changed";
  readonly mediaPresent: boolean;
  readonly trayOpen: boolean;
}
export type MediaChangeListener = (event: MediaChangeEvent) => void;

const KIND_BY_EVENT: Record<number, MediaChangeEvent["kind"] | undefined> = {
  1: "eject-request",
  2: "media-arrived",
  3: "media-removed",
  4: "media-changed",
};

export class McnWatcher {
  private readonly listeners = new Set<MediaChangeListener>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly recorder: Recorder,
    private readonly intervalMs: number,
  ) {}

  add(listener: MediaChangeListener, onChange: () => void): () => void {
    const wrapped: MediaChangeListener = (e) => {
      onChange();
      listener(e);
    };
    this.listeners.add(wrapped);
    this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref?.();
    return () => {
      this.listeners.delete(wrapped);
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  /** One poll; exported for tests that drive time themselves. */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const ev = await this.recorder.pollMediaEvent();
      if (!ev) return;
      const kind = KIND_BY_EVENT[ev.eventCode];
      if (!kind) return;
      const event: MediaChangeEvent = { kind, mediaPresent: ev.mediaPresent, trayOpen: ev.doorOpen };
      for (const l of this.listeners) l(event);
    } catch {
      // A drive that stops answering GESN (removed, busy) ends nothing here; the next poll tries again.
    } finally {
      this.polling = false;
    }
  }
}
