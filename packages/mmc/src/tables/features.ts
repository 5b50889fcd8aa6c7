/**
 * GET CONFIGURATION feature codes.
 *
 * Source: T10 MMC-6 (INCITS 468-2010) 5.3 "Feature Definitions" and its feature code list; codes
 * that MMC-6 marks legacy (kept so older drives decode with a name) say so. Codes FF00h-FFFFh
 * are vendor specific; every other unlisted code is reserved.
 */

export const FEATURE = {
  profileList: 0x0000,
  core: 0x0001,
  morphing: 0x0002,
  removableMedium: 0x0003,
  writeProtect: 0x0004,
  randomReadable: 0x0010,
  multiRead: 0x001d,
  cdRead: 0x001e,
  dvdRead: 0x001f,
  randomWritable: 0x0020,
  incrementalStreamingWritable: 0x0021,
  sectorErasable: 0x0022,
  formattable: 0x0023,
  hardwareDefectManagement: 0x0024,
  writeOnce: 0x0025,
  restrictedOverwrite: 0x0026,
  cdRwCavWrite: 0x0027,
  mrw: 0x0028,
  enhancedDefectReporting: 0x0029,
  dvdPlusRw: 0x002a,
  dvdPlusR: 0x002b,
  rigidRestrictedOverwrite: 0x002c,
  cdTrackAtOnce: 0x002d,
  cdMastering: 0x002e,
  dvdMinusRWrite: 0x002f,
  ddcdRead: 0x0030,
  ddcdRWrite: 0x0031,
  ddcdRwWrite: 0x0032,
  layerJumpRecording: 0x0033,
  layerJumpRigidRestrictedOverwrite: 0x0034,
  stopLongOperation: 0x0035,
  cdRwMediaWriteSupport: 0x0037,
  bdRPow: 0x0038,
  dvdPlusRwDualLayer: 0x003a,
  dvdPlusRDualLayer: 0x003b,
  bdRead: 0x0040,
  bdWrite: 0x0041,
  timelySafeRecording: 0x0042,
  hdDvdRead: 0x0050,
  hdDvdWrite: 0x0051,
  hdDvdRwFragmentRecording: 0x0052,
  hybridDisc: 0x0080,
  powerManagement: 0x0100,
  smart: 0x0101,
  embeddedChanger: 0x0102,
  cdAudioExternalPlay: 0x0103,
  microcodeUpgrade: 0x0104,
  timeout: 0x0105,
  dvdCss: 0x0106,
  realTimeStreaming: 0x0107,
  driveSerialNumber: 0x0108,
  mediaSerialNumber: 0x0109,
  discControlBlocks: 0x010a,
  dvdCprm: 0x010b,
  firmwareInformation: 0x010c,
  aacs: 0x010d,
  dvdCssManagedRecording: 0x010e,
  vcps: 0x0110,
  securDisc: 0x0113,
  ossc: 0x0142,
} as const;

export type FeatureKey = keyof typeof FEATURE;
export type KnownFeatureCode = (typeof FEATURE)[FeatureKey];

/** First vendor-specific feature code. */
export const FEATURE_VENDOR_SPECIFIC_FIRST = 0xff00;

export interface FeatureInfo {
  readonly code: number;
  readonly key: FeatureKey;
  readonly name: string;
  /** What the feature tells the host, in a few words. */
  readonly summary: string;
  /** Listed by earlier MMC revisions and kept as legacy (or dropped) by MMC-6. */
  readonly legacy?: true;
}

const row = (key: FeatureKey, name: string, summary: string, legacy?: true): FeatureInfo =>
  legacy ? { code: FEATURE[key], key, name, summary, legacy } : { code: FEATURE[key], key, name, summary };

export const FEATURE_TABLE: readonly FeatureInfo[] = [
  row("profileList", "Profile List", "all profiles the drive supports"),
  row("core", "Core", "basic functionality and physical interface"),
  row("morphing", "Morphing", "reports operational changes"),
  row("removableMedium", "Removable Medium", "medium may be removed"),
  row("writeProtect", "Write Protect", "software write protection"),
  row("randomReadable", "Random Readable", "reads logical blocks at random addresses"),
  row("multiRead", "Multi-Read", "reads CD per the OSTA Multi-Read specification"),
  row("cdRead", "CD Read", "reads CD-specific structures"),
  row("dvdRead", "DVD Read", "reads DVD-specific structures"),
  row("randomWritable", "Random Writable", "writes logical blocks at random addresses"),
  row("incrementalStreamingWritable", "Incremental Streaming Writable", "writes sequentially (packet/incremental)"),
  row("sectorErasable", "Sector Erasable", "media needing erase before write", true),
  row("formattable", "Formattable", "formats media into a usable state"),
  row("hardwareDefectManagement", "Hardware Defect Management", "defect-free address space"),
  row("writeOnce", "Write Once", "writes once to random addresses"),
  row("restrictedOverwrite", "Restricted Overwrite", "overwrites only at blocking boundaries"),
  row("cdRwCavWrite", "CD-RW CAV Write", "high-speed CD-RW writing"),
  row("mrw", "MRW", "Mount Rainier formatted media"),
  row("enhancedDefectReporting", "Enhanced Defect Reporting", "controls RECOVERED ERROR reporting"),
  row("dvdPlusRw", "DVD+RW", "reads and optionally writes DVD+RW"),
  row("dvdPlusR", "DVD+R", "reads and optionally writes DVD+R"),
  row("rigidRestrictedOverwrite", "Rigid Restricted Overwrite", "restricted overwrite with rigid blocking"),
  row("cdTrackAtOnce", "CD Track at Once", "writes CD in Track at Once mode"),
  row("cdMastering", "CD Mastering", "writes CD in Session at Once or raw mode"),
  row("dvdMinusRWrite", "DVD-R/-RW Write", "writes DVD-R and DVD-RW in Disc at Once or incremental mode"),
  row("ddcdRead", "Double Density CD Read", "reads DDCD", true),
  row("ddcdRWrite", "Double Density CD-R Write", "writes DDCD-R", true),
  row("ddcdRwWrite", "Double Density CD-RW Write", "writes DDCD-RW", true),
  row("layerJumpRecording", "Layer Jump Recording", "layer jump recording on DVD-R DL"),
  row("layerJumpRigidRestrictedOverwrite", "LJ Rigid Restricted Overwrite", "layer jump on rigid restricted overwrite DL media"),
  row("stopLongOperation", "Stop Long Operation", "stops a long immediate operation"),
  row("cdRwMediaWriteSupport", "CD-RW Media Write Support", "CD-RW media subtypes the drive can write"),
  row("bdRPow", "BD-R Pseudo-Overwrite (POW)", "logical overwrite on BD-R SRM+POW"),
  row("dvdPlusRwDualLayer", "DVD+RW Dual Layer", "reads and optionally writes DVD+RW DL"),
  row("dvdPlusRDualLayer", "DVD+R Dual Layer", "reads and optionally writes DVD+R DL"),
  row("bdRead", "BD Read", "reads BD media"),
  row("bdWrite", "BD Write", "writes BD media"),
  row("timelySafeRecording", "Timely Safe Recording (TSR)", "pauses and resumes recording safely"),
  row("hdDvdRead", "HD DVD Read", "reads HD DVD media"),
  row("hdDvdWrite", "HD DVD Write", "writes HD DVD media"),
  row("hdDvdRwFragmentRecording", "HD DVD-RW Fragment Recording", "fragment recording on HD DVD-RW"),
  row("hybridDisc", "Hybrid Disc", "reads hybrid discs"),
  row("powerManagement", "Power Management", "host and drive directed power management"),
  row("smart", "S.M.A.R.T.", "self-monitoring, analysis and reporting"),
  row("embeddedChanger", "Embedded Changer", "single-mechanism multi-disc changer"),
  row("cdAudioExternalPlay", "CD Audio External Play", "plays CD audio to an analogue output", true),
  row("microcodeUpgrade", "Microcode Upgrade", "accepts new firmware"),
  row("timeout", "Timeout", "responds within a set time"),
  row("dvdCss", "DVD CSS", "DVD Content Scrambling System"),
  row("realTimeStreaming", "Real Time Streaming", "host-requested read/write performance"),
  row("driveSerialNumber", "Drive Serial Number", "reports the drive's serial number"),
  row("mediaSerialNumber", "Media Serial Number", "reports a medium serial number"),
  row("discControlBlocks", "Disc Control Blocks", "reads and writes DCBs"),
  row("dvdCprm", "DVD CPRM", "Content Protection for Recordable Media"),
  row("firmwareInformation", "Firmware Information", "firmware creation date"),
  row("aacs", "AACS", "Advanced Access Content System"),
  row("dvdCssManagedRecording", "DVD CSS Managed Recording", "CSS managed recording"),
  row("vcps", "VCPS", "Video Content Protection System"),
  row("securDisc", "SecurDisc", "SecurDisc content protection"),
  row("ossc", "OSSC", "TCG Optical Security Subsystem Class"),
];

const byCode = new Map<number, FeatureInfo>(FEATURE_TABLE.map((f) => [f.code, f]));

export function featureInfo(code: number): FeatureInfo | undefined {
  return byCode.get(code);
}

/** A display name for any feature code, including reserved and vendor-specific ones. */
export function featureName(code: number): string {
  const info = byCode.get(code);
  if (info) return info.name;
  const hex = code.toString(16).toUpperCase().padStart(4, "0");
  return code >= FEATURE_VENDOR_SPECIFIC_FIRST ? `Vendor-specific feature ${hex}h` : `Reserved feature ${hex}h`;
}

/** Core feature PHYSICAL INTERFACE STANDARD values (MMC-6 5.3.2). */
export const PHYSICAL_INTERFACE_STANDARD = {
  unspecified: 0x0000,
  scsi: 0x0001,
  atapi: 0x0002,
  ieee1394_1995: 0x0003,
  ieee1394a: 0x0004,
  fibreChannel: 0x0005,
  ieee1394b: 0x0006,
  serialAtapi: 0x0007,
  usb: 0x0008,
  vendorUnique: 0xffff,
} as const;

export const PHYSICAL_INTERFACE_STANDARD_NAMES: Readonly<Record<number, string>> = {
  0x0000: "unspecified",
  0x0001: "SCSI family",
  0x0002: "ATAPI",
  0x0003: "IEEE 1394-1995",
  0x0004: "IEEE 1394A",
  0x0005: "Fibre Channel",
  0x0006: "IEEE 1394B",
  0x0007: "Serial ATAPI",
  0x0008: "USB",
  0xffff: "vendor unique",
};

/**
 * LOADING MECHANISM TYPE (3 bits): the Removable Medium feature (MMC-6 5.3.4) and mode page 2Ah
 * byte 6 (MMC-3 5.5.10) use the same codes.
 */
export const LOADING_MECHANISM = {
  caddySlot: 0,
  tray: 1,
  popUp: 2,
  changerIndividualDiscs: 4,
  changerMagazine: 5,
} as const;
/** The same object as LOADING_MECHANISM. */
export const REMOVABLE_MEDIUM_LOADING_MECHANISM = LOADING_MECHANISM;

export const LOADING_MECHANISM_NAMES: Readonly<Record<number, string>> = {
  0: "caddy/slot",
  1: "tray",
  2: "pop-up",
  4: "embedded changer with individually changeable discs",
  5: "embedded changer using a magazine",
};
/** The same object as LOADING_MECHANISM_NAMES. */
export const REMOVABLE_MEDIUM_LOADING_MECHANISM_NAMES = LOADING_MECHANISM_NAMES;
