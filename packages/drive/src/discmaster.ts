/**
 * DiscMaster (IMAPI's IDiscMaster2): enumerates the optical drives of every available provider
 * with stable ids, reports drives added and removed, and opens a drive by path, id or
 * `emu:<virtual-disc-file>` as a Recorder. Only real drives are listed; emulated drives exist only
 * when named.
 */
import { DiscforgeError, ERROR_CODES, InvalidArgumentError, imapiCode } from "@discforge/errors";
import { isMmcDevice, PERIPHERAL_DEVICE_TYPE_NAMES } from "@discforge/mmc";
import { Recorder, type RecorderOptions } from "./recorder.js";
import type { DriveDescriptor, DriveProvider, EnumerationResult } from "./providers/types.js";

export type DeviceEvent = { readonly kind: "added" | "removed"; readonly drive: DriveDescriptor };
export type DeviceListener = (event: DeviceEvent) => void;

export class NoSuchDriveError extends InvalidArgumentError {
  constructor(name: string, known: readonly string[]) {
    super("drive", `no drive named "${name}"${known.length ? `; drives here: ${known.join(", ")}` : "; this machine shows no optical drive"}. Use a path such as /dev/sr0, an id from 'discforge drives', or emu:<file> for the emulated drive.`);
  }
}

/** The device answered INQUIRY with a type other than 05h (CD/DVD/BD): discforge will not drive it. */
export class NotAnOpticalDriveError extends DiscforgeError {
  override readonly name = "NotAnOpticalDriveError";
  readonly code = ERROR_CODES.unsupported;
  constructor(
    readonly device: string,
    readonly peripheralDeviceType: number,
  ) {
    const kind = PERIPHERAL_DEVICE_TYPE_NAMES[peripheralDeviceType] ?? `type ${peripheralDeviceType.toString(16).padStart(2, "0")}h`;
    super(`${device} is not an optical drive: it reports itself as ${kind} (peripheral device type ${peripheralDeviceType.toString(16).toUpperCase().padStart(2, "0")}h, an optical drive is 05h). discforge only drives CD/DVD/BD devices.`, {
      imapi: imapiCode("E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED"),
    });
  }
}

export interface OpenOptions extends RecorderOptions {
  /** Open a device of any type (for low-level diagnostics); writes are still refused by the transport. */
  readonly allowNonOptical?: boolean;
  /** For emu: drives, the medium of a new blank virtual disc. */
  readonly media?: string;
  readonly clientName?: string;
}

export class DiscMaster {
  private known = new Map<string, DriveDescriptor>();
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<DeviceListener>();

  constructor(readonly providers: readonly DriveProvider[]) {}

  async enumerate(): Promise<EnumerationResult> {
    const drives: DriveDescriptor[] = [];
    const notes: string[] = [];
    for (const p of this.providers) {
      if (!p.available()) continue;
      try {
        const r = await p.enumerate();
        drives.push(...r.drives);
        notes.push(...r.notes);
      } catch (e) {
        notes.push(`${p.name}: enumeration failed: ${(e as Error).message}`);
      }
    }
    if (!this.providers.some((p) => p.available())) notes.push(`No drive access on this platform (${process.platform}); only emulated drives (emu:<file>) can be used.`);
    return { drives, notes };
  }

  /** Opens a drive by OS path, id from enumerate(), or emu:<file>. */
  async open(name: string, options: OpenOptions = {}): Promise<Recorder> {
    const provider = this.providers.find((p) => p.claims(name) && (p.available() || name.startsWith("emu:")));
    if (!provider) {
      const { drives } = await this.enumerate();
      const byId = drives.find((d) => d.id === name || d.path === name || d.aliases.includes(name));
      if (!byId) throw new NoSuchDriveError(name, drives.map((d) => `${d.id} (${d.path})`));
      return this.open(byId.path, options);
    }
    const opened = await provider.open(name, { ...(options.clientName ? { clientName: options.clientName } : {}), ...(options.media ? { media: options.media } : {}) });
    const d = opened.descriptor;
    const recorder = new Recorder(opened.transport, {
      ...options,
      id: options.id ?? d?.id ?? name,
      ...(d ? { volumePaths: d.volumePaths } : {}),
      ...(d?.legacyDeviceNumber !== undefined ? { legacyDeviceNumber: d.legacyDeviceNumber } : {}),
      ...(opened.exclusive ? { exclusive: opened.exclusive } : {}),
    });
    if (!options.allowNonOptical) {
      try {
        const inquiry = await recorder.inquiry();
        if (!isMmcDevice(inquiry)) throw new NotAnOpticalDriveError(recorder.path, inquiry.peripheralDeviceType);
      } catch (e) {
        await recorder.close();
        throw e;
      }
    }
    return recorder;
  }

  /** Device added / removed notifications; returns a function that stops listening. */
  watch(listener: DeviceListener, intervalMs = 2000): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      void this.enumerate().then((r) => (this.known = new Map(r.drives.map((d) => [d.id, d]))));
      this.timer = setInterval(() => void this.rescan(), intervalMs);
      this.timer.unref?.();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** Compares a fresh enumeration with the last one and emits the differences. */
  async rescan(): Promise<readonly DeviceEvent[]> {
    const now = new Map((await this.enumerate()).drives.map((d) => [d.id, d]));
    const events: DeviceEvent[] = [];
    for (const [id, d] of now) if (!this.known.has(id)) events.push({ kind: "added", drive: d });
    for (const [id, d] of this.known) if (!now.has(id)) events.push({ kind: "removed", drive: d });
    this.known = now;
    for (const e of events) for (const l of this.listeners) l(e);
    return events;
  }
}
