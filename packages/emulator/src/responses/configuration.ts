/**
 * GET CONFIGURATION response (MMC-6 6.6.2): the feature descriptors (MMC-6 5.3) the drive has,
 * built from its personality and the loaded medium and encoded by the mmc package's codecs.
 * "Current" bits follow the medium: a DVD+R in the drive makes DVD+R current and CD Track at Once
 * not.
 */
import { FEATURE, LOADING_MECHANISM, configurationCodec, type BdClassBitmaps, type FeatureDescriptor } from "@discforge/mmc";
import { MEDIA, PROFILE, profileOf, type MediaId } from "../media.js";
import type { Personality } from "../personality.js";
import type { DiscModel } from "../disc.js";

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

/** Data block types 8 (mode 1) and 10 (mode 2 form 1): what WRITE accepts (2048-byte blocks). */
const DATA_BLOCK_TYPES = (1 << 8) | (1 << 10);
/** BD class 0 bitmaps: BD-RE versions 1 and 2, BD-R and BD-ROM version 1. */
const BD_RE_VERSIONS: BdClassBitmaps = [0x0006, 0, 0, 0];
const BD_VERSION_1: BdClassBitmaps = [0x0002, 0, 0, 0];

export interface ConfigurationContext {
  readonly personality: Personality;
  /** Loaded and ready medium, if any. */
  readonly disc: DiscModel | undefined;
  readonly currentProfile: number;
}

/** Every feature the drive has, in feature-code order, with current bits for the loaded medium. */
export function driveFeatures(ctx: ConfigurationContext): FeatureDescriptor[] {
  const p = ctx.personality;
  const disc = ctx.disc;
  const media = disc?.state.media;
  const family = media ? MEDIA[media].family : undefined;
  const writable = (m: MediaId) => p.writes.includes(m);
  const has = (...ms: MediaId[]) => ms.some((m) => p.reads.includes(m) || p.writes.includes(m));
  const loaded = (...ms: MediaId[]) => media !== undefined && ms.includes(media);
  const blocking = family === "bd" ? 32 : family === "dvd" ? 16 : 1;
  const seqCurrent = disc !== undefined && disc.sequential && writable(disc.state.media);
  const randomCurrent = disc !== undefined && disc.random && !disc.state.writeProtected && writable(disc.state.media) && disc.state.format !== "unformatted";
  const head = (code: number, version: number, persistent: boolean, current: boolean) => ({ code, version, persistent, current });
  const f: FeatureDescriptor[] = [];

  const profiles = PROFILE_ORDER.filter(([profile, m]) => p.reads.includes(m) && (profile !== PROFILE.dvdRwRestrictedOverwrite || writable("dvd-rw")));
  f.push({ kind: "profileList", ...head(FEATURE.profileList, 0, true, true), profiles: profiles.map(([profile]) => ({ profile, current: profile === ctx.currentProfile })) });
  f.push({ kind: "core", ...head(FEATURE.core, 2, true, true), physicalInterfaceStandard: 2, inq2: true, dbe: true }); // ATAPI
  f.push({ kind: "morphing", ...head(FEATURE.morphing, 1, true, true), ocEvent: true, async: false });
  f.push({
    kind: "removableMedium",
    ...head(FEATURE.removableMedium, 2, true, true),
    loadingMechanismType: LOADING_MECHANISM.tray,
    load: p.canLoad,
    eject: true,
    preventJumper: false,
    dbml: false,
    lock: true,
  });
  f.push({ kind: "randomReadable", ...head(FEATURE.randomReadable, 0, false, disc !== undefined && disc.recordedExtent() > 0), logicalBlockSize: 2048, blocking, pp: false });
  f.push({ kind: "multiRead", ...head(FEATURE.multiRead, 0, false, family === "cd") });
  if (has("cd-rom")) f.push({ kind: "cdRead", ...head(FEATURE.cdRead, 2, false, family === "cd"), dap: false, c2Flags: false, cdText: false });
  if (has("dvd-rom")) f.push({ kind: "dvdRead", ...head(FEATURE.dvdRead, 2, false, family === "dvd"), multi110: true, dualLayerDvdRw: false, dualLayerDvdR: true });
  if (writable("dvd+rw") || writable("dvd-ram") || writable("bd-re") || writable("dvd-rw")) {
    f.push({
      kind: "randomWritable",
      ...head(FEATURE.randomWritable, 0, false, randomCurrent),
      lastLba: randomCurrent ? disc.state.capacity - 1 : 0,
      logicalBlockSize: 2048,
      blocking,
      pp: false,
    });
  }
  if (writable("cd-r") || writable("dvd-r") || writable("bd-r")) {
    f.push({
      kind: "incrementalStreamingWritable",
      ...head(FEATURE.incrementalStreamingWritable, 1, false, seqCurrent),
      dataBlockTypesSupported: DATA_BLOCK_TYPES,
      trio: false,
      arsv: false,
      buf: p.bufe,
      linkSizes: [7],
    });
  }
  if (writable("dvd+rw") || writable("dvd-rw") || writable("bd-re") || writable("dvd-ram")) {
    f.push({
      kind: "formattable",
      ...head(FEATURE.formattable, 1, false, loaded("dvd+rw", "dvd-rw", "bd-re", "dvd-ram") && writable(media!)),
      frf: false,
      reNoSa: writable("bd-re"),
      expand: false,
      qCert: writable("bd-re"),
      cert: writable("bd-re"),
      rrm: false,
    });
  }
  if (writable("dvd-ram") || writable("bd-re")) f.push({ kind: "hardwareDefectManagement", ...head(FEATURE.hardwareDefectManagement, 1, false, loaded("dvd-ram", "bd-re")), ssa: true });
  if (writable("dvd-ram")) f.push({ kind: "writeOnce", ...head(FEATURE.writeOnce, 0, false, false), logicalBlockSize: 2048, blocking: 16, pp: false });
  if (writable("dvd-rw")) f.push({ kind: "restrictedOverwrite", ...head(FEATURE.restrictedOverwrite, 0, false, disc !== undefined && disc.state.restrictedOverwrite) });
  if (writable("dvd+rw")) f.push({ kind: "dvdPlusRw", ...head(FEATURE.dvdPlusRw, 0, false, loaded("dvd+rw")), write: true, quickStart: false, closeOnly: false });
  if (writable("dvd+r")) f.push({ kind: "dvdPlusR", ...head(FEATURE.dvdPlusR, 0, false, loaded("dvd+r")), write: true });
  if (writable("dvd-rw")) {
    f.push({ kind: "rigidRestrictedOverwrite", ...head(FEATURE.rigidRestrictedOverwrite, 1, false, disc !== undefined && disc.state.restrictedOverwrite), dsdg: true, dsdr: true, intermediate: true, blank: true });
  }
  if (writable("cd-r")) {
    const cdWrite = loaded("cd-r", "cd-rw") && seqCurrent;
    f.push({
      kind: "cdTrackAtOnce",
      ...head(FEATURE.cdTrackAtOnce, 2, false, cdWrite),
      buf: p.bufe,
      rwRaw: false,
      rwPack: false,
      testWrite: p.testWrite,
      cdRw: writable("cd-rw"),
      rwSubcode: false,
      dataTypeSupported: DATA_BLOCK_TYPES,
    });
    f.push({
      kind: "cdMastering",
      ...head(FEATURE.cdMastering, 1, false, cdWrite),
      buf: p.bufe,
      sao: true,
      rawMs: false,
      raw: false,
      testWrite: p.testWrite,
      cdRw: writable("cd-rw"),
      rw: false,
      maximumCueSheetLength: 0x0fff,
    });
  }
  if (writable("dvd-r")) {
    f.push({ kind: "dvdMinusRWrite", ...head(FEATURE.dvdMinusRWrite, 2, false, loaded("dvd-r", "dvd-rw") && seqCurrent), buf: p.bufe, rdl: false, testWrite: p.testWrite, dvdRwSl: writable("dvd-rw") });
  }
  if (writable("dvd+r-dl")) f.push({ kind: "dvdPlusRDualLayer", ...head(FEATURE.dvdPlusRDualLayer, 1, false, loaded("dvd+r-dl")), write: true });
  if (has("bd-rom")) {
    f.push({ kind: "bdRead", ...head(FEATURE.bdRead, 1, false, family === "bd"), bca: false, bdReReadSupport: BD_RE_VERSIONS, bdRReadSupport: BD_VERSION_1, bdRomReadSupport: BD_VERSION_1 });
  }
  if (writable("bd-r") || writable("bd-re")) {
    f.push({ kind: "bdWrite", ...head(FEATURE.bdWrite, 2, false, loaded("bd-r", "bd-re") && writable(media!)), svnr: true, bdReWriteSupport: BD_RE_VERSIONS, bdRWriteSupport: BD_VERSION_1 });
  }
  f.push({ kind: "powerManagement", ...head(FEATURE.powerManagement, 0, true, true) });
  f.push({ kind: "timeout", ...head(FEATURE.timeout, 1, true, true), group3: true, unitLength: 512 });
  f.push({ kind: "realTimeStreaming", ...head(FEATURE.realTimeStreaming, 5, false, disc !== undefined), rbcb: true, scs: true, mp2a: true, wspd: true, sw: true });
  f.push({ kind: "driveSerialNumber", ...head(FEATURE.driveSerialNumber, 0, true, true), serialNumber: p.identity.serial });
  return f.sort((a, b) => a.code - b.code);
}

/** The response for a request type (0 all, 1 current, 2 one) from feature `start`. */
export function encodeConfiguration(features: readonly FeatureDescriptor[], currentProfile: number, requestType: number, start: number): Uint8Array {
  const chosen = features.filter((x) => {
    if (requestType === 2) return x.code === start;
    if (x.code < start) return false;
    return requestType === 0 || x.current;
  });
  return configurationCodec.encode({ currentProfile, features: chosen });
}

export function currentProfileOf(disc: DiscModel | undefined): number {
  return disc ? profileOf(disc.state.media, disc.state.restrictedOverwrite) : 0;
}
