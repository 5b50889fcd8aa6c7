/**
 * GET CONFIGURATION profiles, with facts the drive and burn layers decide on.
 *
 * Source: T10 MMC-6 (INCITS 468-2010) 5.3.1 Profile List and its profile table; the DDCD
 * profiles come from MMC-3 and are legacy. Test-write (simulation) support follows the MMC
 * write features: the Test Write bit exists in CD Track at Once (002Dh), CD Mastering (002Eh),
 * DVD-R/-RW Write (002Fh) and the legacy DDCD-R Write (0031h) only, so DVD+R/+RW, DVD-RAM, BD and HD DVD media cannot
 * simulate. Restricted-overwrite DVD-RW is written like random media and cannot simulate either.
 *
 * Codes and names of 0017h (DVD-RW dual layer) and 0018h (write-once DVD-Download disc recording,
 * for CSS-managed recording) agree across drive tools; their recording method and test-write rows
 * are our reading, not confirmed from a public source: DVD-RW DL as restricted overwrite without
 * simulation, DVD-Download as sequential write-once without simulation.
 */

export const PROFILE = {
  none: 0x0000,
  nonRemovableDisk: 0x0001,
  removableDisk: 0x0002,
  magnetoOpticalErasable: 0x0003,
  opticalWriteOnce: 0x0004,
  asMagnetoOptical: 0x0005,
  cdRom: 0x0008,
  cdR: 0x0009,
  cdRw: 0x000a,
  dvdRom: 0x0010,
  dvdMinusRSequential: 0x0011,
  dvdRam: 0x0012,
  dvdMinusRwRestrictedOverwrite: 0x0013,
  dvdMinusRwSequential: 0x0014,
  dvdMinusRDualLayerSequential: 0x0015,
  dvdMinusRDualLayerJump: 0x0016,
  dvdMinusRwDualLayer: 0x0017,
  dvdDownload: 0x0018,
  dvdPlusRw: 0x001a,
  dvdPlusR: 0x001b,
  ddcdRom: 0x0020,
  ddcdR: 0x0021,
  ddcdRw: 0x0022,
  dvdPlusRwDualLayer: 0x002a,
  dvdPlusRDualLayer: 0x002b,
  bdRom: 0x0040,
  bdRSequential: 0x0041,
  bdRRandom: 0x0042,
  bdRe: 0x0043,
  hdDvdRom: 0x0050,
  hdDvdR: 0x0051,
  hdDvdRam: 0x0052,
  hdDvdRw: 0x0053,
  hdDvdRDualLayer: 0x0058,
  hdDvdRwDualLayer: 0x005a,
  nonConforming: 0xffff,
} as const;

export type ProfileKey = keyof typeof PROFILE;

export const MEDIA_FAMILY = {
  none: "none",
  disk: "disk",
  magnetoOptical: "magneto-optical",
  cd: "CD",
  ddcd: "DDCD",
  dvd: "DVD",
  bd: "BD",
  hdDvd: "HD DVD",
} as const;
export type MediaFamily = (typeof MEDIA_FAMILY)[keyof typeof MEDIA_FAMILY];

/** What the medium allows at all. */
export const MEDIA_KIND = { none: "none", rom: "rom", writeOnce: "write-once", rewritable: "rewritable" } as const;
export type MediaKind = (typeof MEDIA_KIND)[keyof typeof MEDIA_KIND];

/** How the medium is written under this profile. */
export const RECORDING_METHOD = {
  none: "none",
  readOnly: "read-only",
  sequential: "sequential",
  random: "random",
  restrictedOverwrite: "restricted-overwrite",
} as const;
export type RecordingMethod = (typeof RECORDING_METHOD)[keyof typeof RECORDING_METHOD];

export interface ProfileInfo {
  readonly code: number;
  readonly key: ProfileKey;
  readonly name: string;
  readonly family: MediaFamily;
  readonly kind: MediaKind;
  readonly recording: RecordingMethod;
  /** A simulated (test) write is defined for this medium. */
  readonly testWrite: boolean;
  readonly dualLayer: boolean;
  readonly legacy?: true;
}

const F = MEDIA_FAMILY;
const K = MEDIA_KIND;
const R = RECORDING_METHOD;

function p(
  key: ProfileKey,
  name: string,
  family: MediaFamily,
  kind: MediaKind,
  recording: RecordingMethod,
  testWrite = false,
  dualLayer = false,
  legacy = false,
): ProfileInfo {
  const info = { code: PROFILE[key], key, name, family, kind, recording, testWrite, dualLayer };
  return legacy ? { ...info, legacy: true } : info;
}

export const PROFILE_TABLE: readonly ProfileInfo[] = [
  p("none", "No current profile", F.none, K.none, R.none),
  p("nonRemovableDisk", "Non-removable disk", F.disk, K.rewritable, R.random),
  p("removableDisk", "Removable disk", F.disk, K.rewritable, R.random),
  p("magnetoOpticalErasable", "Magneto-optical erasable", F.magnetoOptical, K.rewritable, R.random),
  p("opticalWriteOnce", "Optical write once", F.magnetoOptical, K.writeOnce, R.random),
  p("asMagnetoOptical", "AS-MO", F.magnetoOptical, K.rewritable, R.random),
  p("cdRom", "CD-ROM", F.cd, K.rom, R.readOnly),
  p("cdR", "CD-R", F.cd, K.writeOnce, R.sequential, true),
  p("cdRw", "CD-RW", F.cd, K.rewritable, R.sequential, true),
  p("dvdRom", "DVD-ROM", F.dvd, K.rom, R.readOnly),
  p("dvdMinusRSequential", "DVD-R sequential recording", F.dvd, K.writeOnce, R.sequential, true),
  p("dvdRam", "DVD-RAM", F.dvd, K.rewritable, R.random),
  p("dvdMinusRwRestrictedOverwrite", "DVD-RW restricted overwrite", F.dvd, K.rewritable, R.restrictedOverwrite),
  p("dvdMinusRwSequential", "DVD-RW sequential recording", F.dvd, K.rewritable, R.sequential, true),
  p("dvdMinusRDualLayerSequential", "DVD-R DL sequential recording", F.dvd, K.writeOnce, R.sequential, true, true),
  p("dvdMinusRDualLayerJump", "DVD-R DL layer jump recording", F.dvd, K.writeOnce, R.sequential, true, true),
  p("dvdMinusRwDualLayer", "DVD-RW DL", F.dvd, K.rewritable, R.restrictedOverwrite, false, true),
  p("dvdDownload", "DVD-Download disc recording", F.dvd, K.writeOnce, R.sequential),
  p("dvdPlusRw", "DVD+RW", F.dvd, K.rewritable, R.random),
  p("dvdPlusR", "DVD+R", F.dvd, K.writeOnce, R.sequential),
  p("ddcdRom", "DDCD-ROM", F.ddcd, K.rom, R.readOnly, false, false, true),
  p("ddcdR", "DDCD-R", F.ddcd, K.writeOnce, R.sequential, true, false, true),
  p("ddcdRw", "DDCD-RW", F.ddcd, K.rewritable, R.sequential, false, false, true),
  p("dvdPlusRwDualLayer", "DVD+RW DL", F.dvd, K.rewritable, R.random, false, true),
  p("dvdPlusRDualLayer", "DVD+R DL", F.dvd, K.writeOnce, R.sequential, false, true),
  p("bdRom", "BD-ROM", F.bd, K.rom, R.readOnly),
  p("bdRSequential", "BD-R sequential recording (SRM)", F.bd, K.writeOnce, R.sequential),
  p("bdRRandom", "BD-R random recording (RRM)", F.bd, K.writeOnce, R.random),
  p("bdRe", "BD-RE", F.bd, K.rewritable, R.random),
  p("hdDvdRom", "HD DVD-ROM", F.hdDvd, K.rom, R.readOnly),
  p("hdDvdR", "HD DVD-R", F.hdDvd, K.writeOnce, R.sequential),
  p("hdDvdRam", "HD DVD-RAM", F.hdDvd, K.rewritable, R.random),
  p("hdDvdRw", "HD DVD-RW", F.hdDvd, K.rewritable, R.random),
  p("hdDvdRDualLayer", "HD DVD-R DL", F.hdDvd, K.writeOnce, R.sequential, false, true),
  p("hdDvdRwDualLayer", "HD DVD-RW DL", F.hdDvd, K.rewritable, R.random, false, true),
  p("nonConforming", "Non-conforming (no standard profile)", F.none, K.none, R.none),
];

const byCode = new Map<number, ProfileInfo>(PROFILE_TABLE.map((x) => [x.code, x]));

export function profileInfo(code: number): ProfileInfo | undefined {
  return byCode.get(code);
}

/** A display name for any profile number, including reserved ones. */
export function profileName(code: number): string {
  return byCode.get(code)?.name ?? `Reserved profile ${code.toString(16).toUpperCase().padStart(4, "0")}h`;
}
