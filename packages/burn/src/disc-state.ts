/**
 * A truthful description of the disc in a drive, read back from the drive (never assumed), and a
 * fingerprint of a disc's identity for IMAPI's "wrong disc" check.
 */
import type { MediaReport, Recorder } from "@discforge/drive";

export interface DiscDescription {
  readonly known: true;
  readonly presence: MediaReport["presence"];
  readonly media: string;
  readonly status: MediaReport["status"];
  readonly lastSessionState?: string;
  readonly sessions: number;
  readonly tracks: readonly { readonly number: number; readonly session: number; readonly start: number; readonly size: number; readonly state: string }[];
  readonly recordedBlocks: number;
  readonly freeBlocks: number;
  readonly nextWritableAddress?: number;
  readonly formatted?: string;
  readonly writeProtected: boolean;
  /** One line for people. */
  readonly summary: string;
}

export function describeMedia(m: MediaReport): DiscDescription {
  const tracks = m.sessions.flatMap((s) => s.tracks).map((t) => ({ number: t.number, session: t.session, start: t.start, size: t.size, state: t.state }));
  const recordedTracks = tracks.filter((t) => t.state !== "blank" && t.state !== "invisible" && !(t.state === "incomplete" && t.size === 0));
  const recordedBlocks =
    m.recording === "random" || m.recording === "restricted-overwrite"
      ? m.capacityBlocks
      : m.sessions.flatMap((s) => s.tracks).reduce((n, t) => Math.max(n, t.lastRecordedAddress !== undefined ? t.lastRecordedAddress + 1 : t.state === "complete" ? t.start + t.size : t.nextWritableAddress ?? 0), 0);
  let summary: string;
  if (m.presence !== "present") summary = m.presence === "no-media" ? "no disc in the drive" : m.presence === "tray-open" ? "tray open, no disc loaded" : `disc not usable (${m.presence})`;
  else {
    const sessionsText = m.sessions.length === 1 ? "1 session" : `${m.sessions.length} sessions`;
    const damaged = tracks.some((t) => t.state === "damaged") ? ", a damaged track" : "";
    const state =
      m.recording === "random" || m.recording === "restricted-overwrite"
        ? `overwritable${m.formatted ? `, ${m.formatted}` : ""}`
        : m.status === "blank"
          ? "blank"
          : m.status === "appendable"
            ? `appendable (${sessionsText}, last session ${m.lastSessionState ?? "?"}${damaged}, next writable address ${m.nextWritableAddress ?? "none"}, ${m.freeBlocks} sectors free)`
            : m.status === "complete"
              ? `closed (${sessionsText}${damaged}, ${recordedTracks.length} track(s))`
              : m.status;
    summary = `${m.profileName}: ${state}${m.writeProtected ? ", write protected" : ""}`;
  }
  return {
    known: true,
    presence: m.presence,
    media: m.profileName,
    status: m.status,
    ...(m.lastSessionState ? { lastSessionState: m.lastSessionState } : {}),
    sessions: m.sessions.length,
    tracks,
    recordedBlocks,
    freeBlocks: m.freeBlocks,
    ...(m.nextWritableAddress !== undefined ? { nextWritableAddress: m.nextWritableAddress } : {}),
    ...(m.formatted ? { formatted: m.formatted } : {}),
    writeProtected: m.writeProtected,
    summary,
  };
}

/** Reads the disc state from the drive; never throws (says why it could not when it could not). */
export async function describeDisc(recorder: Recorder): Promise<DiscDescription | { readonly known: false; readonly reason: string }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return describeMedia(await recorder.media({ refresh: true, retryBudgetMs: 5000 }));
    } catch (e) {
      if (attempt === 2) return { known: false, reason: (e as Error).message };
    }
  }
  return { known: false, reason: "unreachable" };
}

/** What identifies one disc: its type, media id, layout and where writing would go next. */
export function discFingerprint(m: MediaReport): string {
  const id = m.mediaId ? JSON.stringify(m.mediaId) : "";
  const layout = m.sessions.map((s) => `${s.number}:${s.tracks.map((t) => `${t.number}@${t.start}+${t.size}/${t.state}`).join(",")}`).join(";");
  return [m.profile, m.status, m.capacityBlocks, m.nextWritableAddress ?? "-", m.discIdentification ?? "-", id, layout, m.formatted ?? "-"].join("|");
}
