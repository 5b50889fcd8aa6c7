/** How DiscMaster finds and opens drives of one kind (an OS pass-through, or the emulator). */
import type { ScsiTransport } from "@discforge/transport";
import type { ExclusiveAccessControl } from "../exclusive.js";

export interface DriveDescriptor {
  /** Stable unique id, e.g. "linux:2:0:0:0" or "win32:CdRom0". */
  readonly id: string;
  /** The OS path commands go through. */
  readonly path: string;
  readonly provider: string;
  readonly vendor: string;
  readonly product: string;
  readonly revision: string;
  readonly volumePaths: readonly string[];
  readonly legacyDeviceNumber?: number;
  /** Other names of the same drive (e.g. /dev/sg1 for /dev/sr0). */
  readonly aliases: readonly string[];
}

export interface EnumerationResult {
  readonly drives: readonly DriveDescriptor[];
  /** Plain sentences explaining an empty or partial list. */
  readonly notes: readonly string[];
}

export interface OpenedDrive {
  readonly transport: ScsiTransport;
  readonly exclusive?: ExclusiveAccessControl;
  readonly descriptor?: DriveDescriptor;
}

export interface DriveProvider {
  readonly name: string;
  /** False on platforms this provider does not serve. */
  available(): boolean;
  enumerate(): Promise<EnumerationResult>;
  /** True when `name` is a path or id this provider opens. */
  claims(name: string): boolean;
  open(name: string, options: { readonly clientName?: string; readonly media?: string }): Promise<OpenedDrive>;
}
