/**
 * GET CONFIGURATION response (MMC-6 6.6.2): feature header + feature descriptors (MMC-6 5.3).
 * The drive builds the list from its personality and the loaded medium; "current" bits follow
 * the medium, so a DVD+R in the drive makes DVD+R Write current and CD Track at Once not.
 */
import { writeU16BE, writeU32BE, writePadded } from "@discforge/bytes";
import { configurationCodec } from "@discforge/mmc";
import { MEDIA, PROFILE, profileOf, type MediaId } from "../media.js";
import type { Personality } from "../personality.js";
import type { DiscModel } from "../disc.js";

export interface Feature {
  readonly code: number;
  readonly version: number;
  readonly persistent: boolean;
  readonly current: boolean;
  readonly data: Uint8Array;
}

export const FEATURE = {
  profileList: 0x0000,
  core: 0x0001,
  morphing: 0x0002,
  removableMedium: 0x0003,
  randomReadable: 0x0010,
  multiRead: 0x001d,
  cdRead: 0x001e,
  dvdRead: 0x001f,
  randomWritable: 0x0020,
  incrementalStreamingWritable: 0x0021,
  formattable: 0x0023,
  hardwareDefectManagement: 0x0024,
  writeOnce: 0x0025,
  restrictedOverwrite: 0x0026,
  dvdPlusRw: 0x002a,
  dvdPlusR: 0x002b,
  rigidRestrictedOverwrite: 0x002c,
  cdTrackAtOnce: 0x002d,
  cdMastering: 0x002e,
  dvdRRwWrite: 0x002f,
  dvdPlusRDualLayer: 0x003b,
  bdRead: 0x0040,
  bdWrite: 0x0041,
  powerManagement: 0x0100,
  timeout: 0x0105,
  realTimeStreaming: 0x0107,
  driveSerialNumber: 0x0108,
} as const;

/** Profiles in descending order as drives list them (MMC-6 5.3.1). */
const PROFILE_ORDER: readonly [number, MediaId][] = [
  [PROFILE.bdRe, "bd-re"],
  [PROFILE.bdRSequential, "bd-r"],
  [PROFILE.bdRom, "bd-rom"],
  [PROFILE.dvdPlusRDualLayer, "dvd+r-dl"],
  [PROFILE.dvdPlusR, "dvd+r"],
  [PROFILE.dvdPlusRw, "dvd+rw"],
  [PROFILE.dvdRwSequential, "dvd-rw"],
  [PROFILE.dvdRwRestrictedOverwrite, "dvd-rw"],
  [PROFILE.dvdRam, "dvd-ram"],
  [PROFILE.dvdRSequential, "dvd-r"],
  [PROFILE.dvdRom, "dvd-rom"],
  [PROFILE.cdRw, "cd-rw"],
  [PROFILE.cdR, "cd-r"],
  [PROFILE.cdRom, "cd-rom"],
];

const bytes = (n: number) => new Uint8Array(n);

export interface ConfigurationContext {
  readonly personality: Personality;
  /** Loaded and ready medium, if any. */
  readonly disc: DiscModel | undefined;
  readonly currentProfile: number;
}

/** Every feature the drive has, in feature-code order, with current bits for the loaded medium. */
export function driveFeatures(ctx: ConfigurationContext): Feature[] {
  const p = ctx.personality;
  const disc = ctx.disc;
  const media = disc?.state.media;
  const family = media ? MEDIA[media].family : undefined;
  const writable = (m: MediaId) => p.writes.includes(m);
  const has = (...ms: MediaId[]) => ms.some((m) => p.reads.includes(m) || p.writes.includes(m));
  const loaded = (...ms: MediaId[]) => media !== undefined && ms.includes(media);
  const f: Feature[] = [];
  const add = (code: number, version: number, persistent: boolean, current: boolean, data: Uint8Array) => f.push({ code, version, persistent, current, data });

  const profiles = PROFILE_ORDER.filter(([profile, m]) => p.reads.includes(m) && (profile !== PROFILE.dvdRwRestrictedOverwrite || writable("dvd-rw")));
  const list = bytes(profiles.length * 4);
  profiles.forEach(([profile], i) => {
    writeU16BE(list, i * 4, profile);
    list[i * 4 + 2] = profile === ctx.currentProfile ? 0x01 : 0x00; // CurrentP
  });
  add(FEATURE.profileList, 0, true, true, list);

  const core = bytes(8);
  writeU32BE(core, 0, 0x00000002); // physical interface standard: ATAPI
  core[4] = 0x03; // INQ2, DBE
  add(FEATURE.core, 2, true, true, core);
  add(FEATURE.morphing, 1, true, true, Uint8Array.of(0x02, 0, 0, 0)); // OCEvent
  add(FEATURE.removableMedium, 2, true, true, Uint8Array.of((0b001 << 5) | 0x08 | 0x01, 0, 0, 0)); // tray, Eject, Lock

  const block = family === "bd" ? 32 : family === "dvd" ? 16 : 1;
  const rr = bytes(8);
  writeU32BE(rr, 0, 2048);
  writeU16BE(rr, 4, block);
  add(FEATURE.randomReadable, 0, false, disc !== undefined && disc.recordedExtent() > 0, rr);
  add(FEATURE.multiRead, 0, false, family === "cd", bytes(0));
  if (has("cd-rom")) add(FEATURE.cdRead, 2, false, family === "cd", Uint8Array.of(0x00, 0, 0, 0));
  if (has("dvd-rom")) add(FEATURE.dvdRead, 2, false, family === "dvd", Uint8Array.of(0x01, 0, 0x01, 0)); // MULTI110, DualR

  const anyRandom = writable("dvd+rw") || writable("dvd-ram") || writable("bd-re") || writable("dvd-rw");
  const randomCurrent = disc !== undefined && disc.random && !disc.state.writeProtected && writable(disc.state.media) && disc.state.format !== "unformatted";
  if (anyRandom) {
    const rw = bytes(12);
    writeU32BE(rw, 0, randomCurrent ? disc.state.capacity - 1 : 0);
    writeU32BE(rw, 4, 2048);
    writeU16BE(rw, 8, block);
    add(FEATURE.randomWritable, 0, false, randomCurrent, rw);
  }
  const seqCurrent = disc !== undefined && disc.sequential && writable(disc.state.media);
  if (writable("cd-r") || writable("dvd-r") || writable("bd-r")) {
    // Data block types: mode 1 and mode 2 form 1 (bits 8, 10); BUF; link sizes 7 (CD/DVD-R)
    const isw = bytes(8);
    writeU16BE(isw, 0, (1 << 8) | (1 << 10));
    isw[2] = p.bufe ? 0x01 : 0x00;
    isw[3] = 1; // number of link sizes
    isw[4] = 7;
    add(FEATURE.incrementalStreamingWritable, 1, false, seqCurrent && (family === "cd" || loaded("dvd-r", "dvd-rw", "dvd+r", "dvd+r-dl", "bd-r")), isw);
  }
  if (writable("dvd+rw") || writable("dvd-rw") || writable("bd-re") || writable("dvd-ram")) {
    const fm = bytes(8);
    fm[0] = 0x00;
    add(FEATURE.formattable, 1, false, loaded("dvd+rw", "dvd-rw", "bd-re", "dvd-ram") && writable(media!), fm);
  }
  if (writable("dvd-ram") || writable("bd-re")) add(FEATURE.hardwareDefectManagement, 1, false, loaded("dvd-ram", "bd-re"), Uint8Array.of(0x80, 0, 0, 0));
  if (writable("dvd-ram")) {
    const wo = bytes(8);
    writeU32BE(wo, 0, 2048);
    writeU16BE(wo, 4, 16);
    add(FEATURE.writeOnce, 0, false, false, wo);
  }
  if (writable("dvd-rw")) add(FEATURE.restrictedOverwrite, 0, false, disc !== undefined && disc.state.restrictedOverwrite, bytes(0));
  if (writable("dvd+rw")) add(FEATURE.dvdPlusRw, 0, false, loaded("dvd+rw"), Uint8Array.of(0x01, 0x00, 0, 0)); // Write
  if (writable("dvd+r")) add(FEATURE.dvdPlusR, 0, false, loaded("dvd+r"), Uint8Array.of(0x01, 0, 0, 0));
  if (writable("dvd-rw")) add(FEATURE.rigidRestrictedOverwrite, 1, false, disc !== undefined && disc.state.restrictedOverwrite, Uint8Array.of(0x0f, 0, 0, 0));
  const cdWrite = loaded("cd-r", "cd-rw") && seqCurrent;
  if (writable("cd-r")) {
    const tao = Uint8Array.of((p.bufe ? 0x40 : 0) | (p.testWrite ? 0x04 : 0) | (writable("cd-rw") ? 0x02 : 0), 0, 0, 0);
    writeU16BE(tao, 2, (1 << 8) | (1 << 10));
    add(FEATURE.cdTrackAtOnce, 2, false, cdWrite, tao);
    const sao = Uint8Array.of((p.bufe ? 0x40 : 0) | 0x20 | (p.testWrite ? 0x04 : 0) | (writable("cd-rw") ? 0x02 : 0), 0, 0x0f, 0xff); // max cue sheet 4095
    add(FEATURE.cdMastering, 1, false, cdWrite, sao);
  }
  if (writable("dvd-r")) {
    add(FEATURE.dvdRRwWrite, 2, false, loaded("dvd-r", "dvd-rw") && seqCurrent, Uint8Array.of((p.bufe ? 0x40 : 0) | (p.testWrite ? 0x04 : 0) | (writable("dvd-rw") ? 0x02 : 0), 0, 0, 0));
  }
  if (writable("dvd+r-dl")) add(FEATURE.dvdPlusRDualLayer, 1, false, loaded("dvd+r-dl"), Uint8Array.of(0x01, 0, 0, 0));
  if (has("bd-rom")) {
    const bdr = bytes(28);
    // Class 0 bitmaps: BD-RE versions 1-2, BD-R 1, BD-ROM 1
    writeU16BE(bdr, 4, 0x0006);
    writeU16BE(bdr, 12, 0x0002);
    writeU16BE(bdr, 20, 0x0002);
    add(FEATURE.bdRead, 1, false, family === "bd", bdr);
  }
  if (writable("bd-r") || writable("bd-re")) {
    const bdw = bytes(20);
    bdw[0] = 0x01; // SVNR
    writeU16BE(bdw, 4, 0x0006);
    writeU16BE(bdw, 12, 0x0002);
    add(FEATURE.bdWrite, 2, false, loaded("bd-r", "bd-re") && writable(media!), bdw);
  }
  add(FEATURE.powerManagement, 0, true, true, bytes(0));
  const to = bytes(4);
  to[0] = 0x01; // Group3
  writeU16BE(to, 2, 512);
  add(FEATURE.timeout, 1, true, true, to);
  add(FEATURE.realTimeStreaming, 5, false, disc !== undefined, Uint8Array.of(0x1f, 0, 0, 0)); // RBCB SCS MP2A WSPD SW
  const serial = bytes(Math.ceil(p.identity.serial.length / 4) * 4);
  writePadded(serial, 0, serial.length, p.identity.serial);
  add(FEATURE.driveSerialNumber, 0, true, true, serial);
  return f.sort((a, b) => a.code - b.code);
}

/**
 * The response for a request type (0 all, 1 current, 2 one) from `start`, framed by the mmc
 * package's GET CONFIGURATION codec (the feature bodies above are passed as raw descriptors).
 */
export function encodeConfiguration(features: readonly Feature[], currentProfile: number, requestType: number, start: number): Uint8Array {
  const chosen = features.filter((x) => {
    if (requestType === 2) return x.code === start;
    if (x.code < start) return false;
    return requestType === 0 || x.current;
  });
  return configurationCodec.encode({
    currentProfile,
    features: chosen.map((x) => ({ kind: "raw" as const, code: x.code, version: x.version, persistent: x.persistent, current: x.current, data: x.data })),
  });
}

export function currentProfileOf(disc: DiscModel | undefined): number {
  return disc ? profileOf(disc.state.media, disc.state.restrictedOverwrite) : 0;
}
