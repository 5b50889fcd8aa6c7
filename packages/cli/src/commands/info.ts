/**
 * `discforge info`: one report combining what `xorriso -list_profiles`, `dvd+rw-mediainfo` and
 * `cdrecord -prcap` show: identity, profiles, capabilities, media status, sessions and tracks,
 * capacity, speeds.
 */
import { kbpsToX, type SpeedMedia } from "@discforge/mmc";
import type { DriveCapabilities, MediaReport, ProfileReport, RecorderIdentity } from "@discforge/drive";
import type { Command } from "../command.js";
import { INFO_SPEC } from "../specs.js";
import { withRecorder } from "../drive-context.js";
import { EXIT } from "../exit.js";
import { blocksToSize, hex, section, toJson, yesNo } from "../format.js";

export interface InfoReport {
  readonly identity: RecorderIdentity;
  readonly profiles: { readonly current: number; readonly supported: readonly ProfileReport[] };
  readonly capabilities: DriveCapabilities;
  readonly media: MediaReport;
}

function speedMedia(media: MediaReport): SpeedMedia {
  return media.family === "BD" ? "bd" : media.family === "CD" ? "cd" : "dvd";
}

export function formatInfo(r: InfoReport): string {
  const { identity: id, capabilities: cap, media: m } = r;
  const out: string[] = [];
  out.push(
    section("Drive", [
      ["path", id.path],
      ["id", id.id !== id.path ? id.id : undefined],
      ["vendor", id.vendorId],
      ["product", id.productId],
      ["revision", id.productRevision],
      ["serial", id.serialNumber],
      ["device type", `${hex(id.peripheralDeviceType)}h${id.isMmc ? " (MMC)" : " (not an optical drive)"}`],
      ["volumes", id.volumePaths.length ? id.volumePaths.join(", ") : "(none)"],
      ["legacy number", id.legacyDeviceNumber],
    ]),
  );
  out.push("Profiles (* = current)");
  for (const p of r.profiles.supported) out.push(`  ${p.current ? "*" : " "} ${hex(p.code, 4)}h  ${p.name}`);
  out.push(
    section("Capabilities", [
      ["test write", yesNo(cap.testWrite)],
      ["BUFE", yesNo(cap.bufe)],
      ["buffer", cap.bufferSizeKiB !== undefined ? `${cap.bufferSizeKiB} KiB` : "unknown"],
      ["loading", `${cap.loadingMechanism}; load ${yesNo(cap.canLoadMedia)}, eject ${yesNo(cap.canEject)}, lock ${yesNo(cap.canLock)}`],
      ["max read speed", cap.maxReadSpeedKbps !== undefined ? `${cap.maxReadSpeedKbps} kB/s` : undefined],
      ["max write speed", cap.maxWriteSpeedKbps !== undefined ? `${cap.maxWriteSpeedKbps} kB/s` : undefined],
    ]),
  );
  out.push("  writes:");
  for (const w of cap.writableProfiles) out.push(`    ${w.name}: ${w.writeModes.join(", ")}`);
  if (m.presence !== "present") {
    const why = { "no-media": "no disc (tray closed)", "tray-open": "tray open", "not-ready": "not ready", unreadable: "disc unreadable or upside down", present: "" }[m.presence];
    out.push(section("Media", [["status", why]]));
    return out.join("\n") + "\n";
  }
  const sm = speedMedia(m);
  out.push(
    section("Media", [
      ["type", `${m.profileName} (profile ${hex(m.profile, 4)}h), ${m.kind}, ${m.recording}`],
      ["media id", m.mediaId?.text],
      ["status", m.status],
      ["last session", m.lastSessionState],
      ["erasable", m.erasable],
      ["write protected", m.writeProtected],
      ["writable now", m.writable],
      ["test write", m.testWriteSupported],
      ["formatted", m.formatted],
      ["background format", m.backgroundFormat !== "none" ? m.backgroundFormat : undefined],
      ["capacity", `${m.capacityBlocks} blocks (${blocksToSize(m.capacityBlocks)})`],
      ["free", `${m.freeBlocks} blocks (${blocksToSize(m.freeBlocks)})`],
      ["next writable", m.nextWritableAddress],
      ["last session start", m.lastSessionStart],
      ["write speeds", m.writeSpeeds.length ? m.writeSpeeds.map((s) => `${kbpsToX(s.kbps, sm).toFixed(1)}x (${s.kbps} kB/s)`).join(", ") : "(none reported)"],
    ]),
  );
  for (const s of m.sessions) {
    out.push(`  session ${s.number}: start ${s.start}`);
    for (const t of s.tracks) {
      const nwa = t.nextWritableAddress !== undefined ? `, next writable ${t.nextWritableAddress}, free ${t.freeBlocks}` : "";
      out.push(`    track ${t.number}: start ${t.start}, size ${t.size}, ${t.mode} (mode ${t.dataMode}), ${t.state}${nwa}`);
    }
  }
  return out.join("\n") + "\n";
}

export const infoCommand: Command = {
  ...INFO_SPEC,
  run: (ctx) =>
    withRecorder(ctx, async (rec) => {
      const report: InfoReport = {
        identity: await rec.identity(),
        profiles: await rec.profiles(),
        capabilities: await rec.capabilities(),
        media: await rec.media(),
      };
      ctx.io.stdout.write(ctx.json ? toJson({ ok: true, ...report }) + "\n" : formatInfo(report));
      return EXIT.ok;
    }),
};
