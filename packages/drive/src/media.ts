/** What a Recorder reports about the loaded medium: IMAPI's media queries plus dvd+rw-mediainfo's detail. */
import type { MediaFamily, MediaKind, RecordingMethod, MediaIdentifier } from "@discforge/mmc";

export type MediaPresence = "present" | "no-media" | "tray-open" | "not-ready" | "unreadable";

export type DiscStatusName = "blank" | "appendable" | "complete" | "other";
export type SessionStateName = "empty" | "incomplete" | "damaged" | "complete";

export interface TrackReport {
  readonly number: number;
  readonly session: number;
  readonly start: number;
  /** Track size in blocks (for an invisible track: the space reserved or left). */
  readonly size: number;
  readonly mode: "data" | "audio" | "unknown";
  readonly dataMode: number;
  readonly state: "blank" | "invisible" | "incomplete" | "reserved" | "complete" | "damaged";
  readonly nextWritableAddress?: number;
  readonly freeBlocks: number;
  readonly lastRecordedAddress?: number;
  readonly packet: boolean;
}

export interface SessionReport {
  readonly number: number;
  readonly start: number;
  readonly tracks: readonly TrackReport[];
}

export interface WriteSpeed {
  /** kB/s (1000 bytes per second, as MMC counts). */
  readonly kbps: number;
  /** The same as a multiple of the medium's 1x. */
  readonly x: number;
  readonly rotation: "clv" | "cav";
  readonly endLba: number;
}

export interface MediaReport {
  readonly presence: MediaPresence;
  /** Current profile (0 when none). */
  readonly profile: number;
  readonly profileName: string;
  readonly family: MediaFamily;
  readonly kind: MediaKind;
  readonly recording: RecordingMethod;
  readonly status: DiscStatusName | "none";
  readonly lastSessionState?: SessionStateName;
  readonly erasable: boolean;
  readonly writeProtected: boolean;
  /** True when the medium can be written now (blank, appendable or overwritable, not protected). */
  readonly writable: boolean;
  readonly testWriteSupported: boolean;
  readonly sessions: readonly SessionReport[];
  /** Total user-data blocks the medium holds (recorded + free). */
  readonly capacityBlocks: number;
  readonly freeBlocks: number;
  readonly nextWritableAddress?: number;
  readonly lastSessionStart?: number;
  readonly formatted?: "formatted" | "unformatted" | "unknown";
  readonly backgroundFormat?: "none" | "suspended" | "in-progress" | "completed";
  readonly writeSpeeds: readonly WriteSpeed[];
  readonly mediaId?: MediaIdentifier;
  readonly discIdentification?: number;
}
