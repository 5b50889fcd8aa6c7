/**
 * GET CONFIGURATION feature descriptors (MMC-6 5.2.2 feature descriptor format, 5.3 feature
 * definitions).
 *
 * Every descriptor is a 4-byte header (FEATURE CODE, VERSION in bits 5-2, PERSISTENT, CURRENT,
 * ADDITIONAL LENGTH) and a body. Fixed-layout features are described as data (byte and bit of
 * each field, as the spec's tables give them) and one generic routine decodes and encodes them,
 * which keeps this one structure (the feature descriptor) in one file instead of fifty
 * near-identical codecs; only variable-length bodies (profile list, link sizes, serial number,
 * DCB list) have their own code.
 * Older versions of several features are shorter (Core v0 has no INQ2/DBE byte, DVD Read v0 has
 * no body): fields a shorter body lacks decode as 0/false. Bytes past the layout a newer version
 * may add are kept in `extra`. A body too short even for the oldest layout, or inconsistent
 * (a link-size count past the end), is kept raw with the reason, so nothing is lost.
 */
import { ByteWriter } from "@discforge/bytes";
import { InternalError, InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { FEATURE } from "../tables/features.js";
import { bit, bits, flag, latin1Trimmed, uint, type Codec } from "./codec-util.js";

/** Header bits every descriptor carries. */
export interface FeatureHeaderFields {
  readonly code: number;
  /** 4 bits. */
  readonly version: number;
  /** The feature is always current (cannot change with the medium). */
  readonly persistent: boolean;
  /** The feature is active with the medium now loaded. */
  readonly current: boolean;
}

interface Known<K extends string> extends FeatureHeaderFields {
  readonly kind: K;
  /** Body bytes past the layout this codec knows (a newer version of the feature); absent when none. */
  readonly extra?: Uint8Array;
}

/** An unknown, reserved or vendor-specific feature, or a known one whose body is unusable. */
export interface RawFeature extends FeatureHeaderFields {
  readonly kind: "raw";
  /** The body: the bytes after the 4-byte header. */
  readonly data: Uint8Array;
  /** Why a known feature was not decoded; absent for unknown features. */
  readonly problem?: string;
}

export interface ProfileDescriptor {
  readonly profile: number;
  /** CurrentP: this profile is active with the medium now loaded. */
  readonly current: boolean;
}

export interface ProfileListFeature extends Known<"profileList"> {
  readonly profiles: readonly ProfileDescriptor[];
}
export interface CoreFeature extends Known<"core"> {
  /** 1 SCSI, 2 ATAPI, 3 IEEE 1394-1995, 4 IEEE 1394A, 5 Fibre Channel, 6 IEEE 1394B, 7 Serial ATAPI, 8 USB. */
  readonly physicalInterfaceStandard: number;
  readonly inq2: boolean;
  /** Device Busy Event class supported. */
  readonly dbe: boolean;
}
export interface MorphingFeature extends Known<"morphing"> {
  readonly ocEvent: boolean;
  readonly async: boolean;
}
export interface RemovableMediumFeature extends Known<"removableMedium"> {
  /** 0 caddy/slot, 1 tray, 2 pop-up, 4 changer with individual discs, 5 changer with a magazine. */
  readonly loadingMechanismType: number;
  readonly load: boolean;
  readonly eject: boolean;
  readonly preventJumper: boolean;
  /** Device Busy events while loading/unloading. */
  readonly dbml: boolean;
  readonly lock: boolean;
}
export interface WriteProtectFeature extends Known<"writeProtect"> {
  readonly dwp: boolean;
  readonly wdcb: boolean;
  readonly spwp: boolean;
  readonly sswpp: boolean;
}
export interface RandomReadableFeature extends Known<"randomReadable"> {
  readonly logicalBlockSize: number;
  readonly blocking: number;
  /** Page Present: the Read/Write Error Recovery mode page is supported. */
  readonly pp: boolean;
}
export type MultiReadFeature = Known<"multiRead">;
export interface CdReadFeature extends Known<"cdRead"> {
  readonly dap: boolean;
  readonly c2Flags: boolean;
  readonly cdText: boolean;
}
export interface DvdReadFeature extends Known<"dvdRead"> {
  readonly multi110: boolean;
  readonly dualLayerDvdRw: boolean;
  readonly dualLayerDvdR: boolean;
}
export interface RandomWritableFeature extends Known<"randomWritable"> {
  readonly lastLba: number;
  readonly logicalBlockSize: number;
  readonly blocking: number;
  readonly pp: boolean;
}
export interface IncrementalStreamingWritableFeature extends Known<"incrementalStreamingWritable"> {
  /** Bit n set: data block type n of the Write Parameters page is supported. */
  readonly dataBlockTypesSupported: number;
  readonly trio: boolean;
  readonly arsv: boolean;
  readonly buf: boolean;
  readonly linkSizes: readonly number[];
}
export interface FormattableFeature extends Known<"formattable"> {
  readonly frf: boolean;
  readonly reNoSa: boolean;
  readonly expand: boolean;
  readonly qCert: boolean;
  readonly cert: boolean;
  readonly rrm: boolean;
}
export interface HardwareDefectManagementFeature extends Known<"hardwareDefectManagement"> {
  readonly ssa: boolean;
}
export interface WriteOnceFeature extends Known<"writeOnce"> {
  readonly logicalBlockSize: number;
  readonly blocking: number;
  readonly pp: boolean;
}
export type RestrictedOverwriteFeature = Known<"restrictedOverwrite">;
export type CdRwCavWriteFeature = Known<"cdRwCavWrite">;
export interface MrwFeature extends Known<"mrw"> {
  readonly dvdPlusWrite: boolean;
  readonly dvdPlusRead: boolean;
  readonly cdWrite: boolean;
}
export interface EnhancedDefectReportingFeature extends Known<"enhancedDefectReporting"> {
  readonly drtDm: boolean;
  readonly dbiCacheZones: number;
  readonly numberOfEntries: number;
}
export interface DvdPlusRwFeature extends Known<"dvdPlusRw"> {
  readonly write: boolean;
  readonly quickStart: boolean;
  readonly closeOnly: boolean;
}
export interface DvdPlusRFeature extends Known<"dvdPlusR"> {
  readonly write: boolean;
}
export interface RigidRestrictedOverwriteFeature extends Known<"rigidRestrictedOverwrite"> {
  readonly dsdg: boolean;
  readonly dsdr: boolean;
  readonly intermediate: boolean;
  readonly blank: boolean;
}
export interface CdTrackAtOnceFeature extends Known<"cdTrackAtOnce"> {
  readonly buf: boolean;
  readonly rwRaw: boolean;
  readonly rwPack: boolean;
  readonly testWrite: boolean;
  readonly cdRw: boolean;
  readonly rwSubcode: boolean;
  /** Bit n set: data type n of the Write Parameters page is supported. */
  readonly dataTypeSupported: number;
}
export interface CdMasteringFeature extends Known<"cdMastering"> {
  readonly buf: boolean;
  readonly sao: boolean;
  readonly rawMs: boolean;
  readonly raw: boolean;
  readonly testWrite: boolean;
  readonly cdRw: boolean;
  readonly rw: boolean;
  readonly maximumCueSheetLength: number;
}
export interface DvdMinusRWriteFeature extends Known<"dvdMinusRWrite"> {
  readonly buf: boolean;
  readonly rdl: boolean;
  readonly testWrite: boolean;
  readonly dvdRwSl: boolean;
}
export interface LayerJumpRecordingFeature extends Known<"layerJumpRecording"> {
  readonly linkSizes: readonly number[];
}
export interface CdRwMediaWriteSupportFeature extends Known<"cdRwMediaWriteSupport"> {
  /** Bit n set: CD-RW media subtype n can be written. */
  readonly subtypesSupported: number;
}
export type BdRPowFeature = Known<"bdRPow">;
export interface DvdPlusRwDualLayerFeature extends Known<"dvdPlusRwDualLayer"> {
  readonly write: boolean;
  readonly quickStart: boolean;
  readonly closeOnly: boolean;
}
export interface DvdPlusRDualLayerFeature extends Known<"dvdPlusRDualLayer"> {
  readonly write: boolean;
}
/** Class bitmaps: element n is the 16-bit version bitmap of class n. */
export type BdClassBitmaps = readonly [number, number, number, number];
export interface BdReadFeature extends Known<"bdRead"> {
  readonly bca: boolean;
  readonly bdReReadSupport: BdClassBitmaps;
  readonly bdRReadSupport: BdClassBitmaps;
  readonly bdRomReadSupport: BdClassBitmaps;
}
export interface BdWriteFeature extends Known<"bdWrite"> {
  /** Supports Verify Not Required. */
  readonly svnr: boolean;
  readonly bdReWriteSupport: BdClassBitmaps;
  readonly bdRWriteSupport: BdClassBitmaps;
}
export type SectorErasableFeature = Known<"sectorErasable">;
export type StopLongOperationFeature = Known<"stopLongOperation">;
export type TimelySafeRecordingFeature = Known<"timelySafeRecording">;
export interface HdDvdReadFeature extends Known<"hdDvdRead"> {
  readonly hdDvdR: boolean;
  readonly hdDvdRam: boolean;
}
export interface HdDvdWriteFeature extends Known<"hdDvdWrite"> {
  readonly hdDvdR: boolean;
  readonly hdDvdRam: boolean;
}
export interface HybridDiscFeature extends Known<"hybridDisc"> {
  /** Reset Immunity: the drive keeps the hybrid layer it selected across a reset. */
  readonly ri: boolean;
}
export interface CdAudioExternalPlayFeature extends Known<"cdAudioExternalPlay"> {
  readonly scan: boolean;
  /** Separate channel mute. */
  readonly scm: boolean;
  /** Separate volume levels. */
  readonly sv: boolean;
  readonly numberOfVolumeLevels: number;
}
export interface DiscControlBlocksFeature extends Known<"discControlBlocks"> {
  /** Content descriptors of the DCBs the drive can read (and write), 4 bytes each. */
  readonly supportedDcbEntries: readonly number[];
}
export interface DvdCssManagedRecordingFeature extends Known<"dvdCssManagedRecording"> {
  readonly maxScrambleExtentEntries: number;
}
export type VcpsFeature = Known<"vcps">;
export type SecurDiscFeature = Known<"securDisc">;
export type PowerManagementFeature = Known<"powerManagement">;
export interface SmartFeature extends Known<"smart"> {
  readonly pp: boolean;
}
export interface EmbeddedChangerFeature extends Known<"embeddedChanger">{
  readonly scc: boolean;
  readonly sdp: boolean;
  readonly highestSlotNumber: number;
}
export interface MicrocodeUpgradeFeature extends Known<"microcodeUpgrade"> {
  readonly m5: boolean;
}
export interface TimeoutFeature extends Known<"timeout"> {
  readonly group3: boolean;
  readonly unitLength: number;
}
export interface DvdCssFeature extends Known<"dvdCss"> {
  readonly cssVersion: number;
}
export interface RealTimeStreamingFeature extends Known<"realTimeStreaming"> {
  readonly rbcb: boolean;
  readonly scs: boolean;
  readonly mp2a: boolean;
  readonly wspd: boolean;
  readonly sw: boolean;
}
export interface DriveSerialNumberFeature extends Known<"driveSerialNumber"> {
  /** Trailing spaces and NULs removed. */
  readonly serialNumber: string;
}
export type MediaSerialNumberFeature = Known<"mediaSerialNumber">;
export interface DvdCprmFeature extends Known<"dvdCprm"> {
  readonly cprmVersion: number;
}
/** Each field is the two ASCII characters the drive reports, e.g. century "20", year "08". */
export interface FirmwareInformationFeature extends Known<"firmwareInformation"> {
  readonly century: string;
  readonly year: string;
  readonly month: string;
  readonly day: string;
  readonly hour: string;
  readonly minute: string;
  readonly second: string;
}
export interface AacsFeature extends Known<"aacs"> {
  readonly bng: boolean;
  readonly blockCountForBindingNonce: number;
  readonly numberOfAgids: number;
  readonly aacsVersion: number;
}

export type KnownFeature =
  | ProfileListFeature
  | CoreFeature
  | MorphingFeature
  | RemovableMediumFeature
  | WriteProtectFeature
  | RandomReadableFeature
  | MultiReadFeature
  | CdReadFeature
  | DvdReadFeature
  | RandomWritableFeature
  | IncrementalStreamingWritableFeature
  | FormattableFeature
  | HardwareDefectManagementFeature
  | WriteOnceFeature
  | RestrictedOverwriteFeature
  | CdRwCavWriteFeature
  | MrwFeature
  | EnhancedDefectReportingFeature
  | DvdPlusRwFeature
  | DvdPlusRFeature
  | RigidRestrictedOverwriteFeature
  | CdTrackAtOnceFeature
  | CdMasteringFeature
  | DvdMinusRWriteFeature
  | LayerJumpRecordingFeature
  | CdRwMediaWriteSupportFeature
  | BdRPowFeature
  | DvdPlusRwDualLayerFeature
  | DvdPlusRDualLayerFeature
  | BdReadFeature
  | BdWriteFeature
  | SectorErasableFeature
  | StopLongOperationFeature
  | TimelySafeRecordingFeature
  | HdDvdReadFeature
  | HdDvdWriteFeature
  | HybridDiscFeature
  | CdAudioExternalPlayFeature
  | DiscControlBlocksFeature
  | DvdCssManagedRecordingFeature
  | VcpsFeature
  | SecurDiscFeature
  | PowerManagementFeature
  | SmartFeature
  | EmbeddedChangerFeature
  | MicrocodeUpgradeFeature
  | TimeoutFeature
  | DvdCssFeature
  | RealTimeStreamingFeature
  | DriveSerialNumberFeature
  | MediaSerialNumberFeature
  | DvdCprmFeature
  | FirmwareInformationFeature
  | AacsFeature;

export type FeatureDescriptor = KnownFeature | RawFeature;
export type FeatureKind = KnownFeature["kind"];
export type FeatureOfKind<K extends FeatureKind> = Extract<KnownFeature, { kind: K }>;

// ---------------------------------------------------------------------------------------------
// Layouts. Offsets are from the start of the descriptor, as in the MMC-6 tables (byte 4 is the
// first body byte).

type FieldSpec =
  | { readonly name: string; readonly type: "bit"; readonly byte: number; readonly bit: number }
  | { readonly name: string; readonly type: "bits"; readonly byte: number; readonly high: number; readonly low: number }
  | { readonly name: string; readonly type: "uint"; readonly byte: number; readonly size: 1 | 2 | 3 | 4 }
  | { readonly name: string; readonly type: "u16x4"; readonly byte: number }
  | { readonly name: string; readonly type: "ascii"; readonly byte: number; readonly size: number };

interface FixedLayout {
  readonly kind: FeatureKind;
  readonly code: number;
  /** ADDITIONAL LENGTH of the current (MMC-6) version, written by the encoder. */
  readonly length: number;
  /** Shortest ADDITIONAL LENGTH any version uses; shorter bodies are kept raw. */
  readonly minLength: number;
  readonly fields: readonly FieldSpec[];
}

const b = (name: string, byte: number, n: number): FieldSpec => ({ name, type: "bit", byte, bit: n });
const u = (name: string, byte: number, size: 1 | 2 | 3 | 4): FieldSpec => ({ name, type: "uint", byte, size });
const fx = (kind: FeatureKind, length: number, minLength: number, fields: readonly FieldSpec[]): FixedLayout => ({
  kind,
  code: FEATURE[kind],
  length,
  minLength,
  fields,
});

const FIXED_LAYOUTS: readonly FixedLayout[] = [
  fx("core", 8, 4, [u("physicalInterfaceStandard", 4, 4), b("inq2", 8, 1), b("dbe", 8, 0)]),
  fx("morphing", 4, 4, [b("ocEvent", 4, 1), b("async", 4, 0)]),
  fx("removableMedium", 4, 4, [
    { name: "loadingMechanismType", type: "bits", byte: 4, high: 7, low: 5 },
    b("load", 4, 4),
    b("eject", 4, 3),
    b("preventJumper", 4, 2),
    b("dbml", 4, 1),
    b("lock", 4, 0),
  ]),
  fx("writeProtect", 4, 4, [b("dwp", 4, 3), b("wdcb", 4, 2), b("spwp", 4, 1), b("sswpp", 4, 0)]),
  fx("randomReadable", 8, 8, [u("logicalBlockSize", 4, 4), u("blocking", 8, 2), b("pp", 10, 0)]),
  fx("multiRead", 0, 0, []),
  fx("cdRead", 4, 0, [b("dap", 4, 7), b("c2Flags", 4, 1), b("cdText", 4, 0)]),
  fx("dvdRead", 4, 0, [b("multi110", 4, 0), b("dualLayerDvdRw", 6, 1), b("dualLayerDvdR", 6, 0)]),
  fx("randomWritable", 12, 12, [u("lastLba", 4, 4), u("logicalBlockSize", 8, 4), u("blocking", 12, 2), b("pp", 14, 0)]),
  fx("formattable", 8, 0, [b("frf", 4, 7), b("reNoSa", 4, 3), b("expand", 4, 2), b("qCert", 4, 1), b("cert", 4, 0), b("rrm", 8, 0)]),
  fx("hardwareDefectManagement", 4, 0, [b("ssa", 4, 7)]),
  fx("writeOnce", 8, 8, [u("logicalBlockSize", 4, 4), u("blocking", 8, 2), b("pp", 10, 0)]),
  fx("restrictedOverwrite", 0, 0, []),
  fx("cdRwCavWrite", 4, 0, []),
  fx("mrw", 4, 4, [b("dvdPlusWrite", 4, 2), b("dvdPlusRead", 4, 1), b("cdWrite", 4, 0)]),
  fx("enhancedDefectReporting", 4, 4, [b("drtDm", 4, 0), u("dbiCacheZones", 5, 1), u("numberOfEntries", 6, 2)]),
  fx("dvdPlusRw", 4, 4, [b("write", 4, 0), b("quickStart", 5, 1), b("closeOnly", 5, 0)]),
  fx("dvdPlusR", 4, 4, [b("write", 4, 0)]),
  fx("rigidRestrictedOverwrite", 4, 4, [b("dsdg", 4, 3), b("dsdr", 4, 2), b("intermediate", 4, 1), b("blank", 4, 0)]),
  fx("cdTrackAtOnce", 4, 4, [
    b("buf", 4, 6),
    b("rwRaw", 4, 4),
    b("rwPack", 4, 3),
    b("testWrite", 4, 2),
    b("cdRw", 4, 1),
    b("rwSubcode", 4, 0),
    u("dataTypeSupported", 6, 2),
  ]),
  fx("cdMastering", 4, 4, [
    b("buf", 4, 6),
    b("sao", 4, 5),
    b("rawMs", 4, 4),
    b("raw", 4, 3),
    b("testWrite", 4, 2),
    b("cdRw", 4, 1),
    b("rw", 4, 0),
    u("maximumCueSheetLength", 5, 3),
  ]),
  fx("dvdMinusRWrite", 4, 4, [b("buf", 4, 6), b("rdl", 4, 3), b("testWrite", 4, 2), b("dvdRwSl", 4, 1)]),
  fx("cdRwMediaWriteSupport", 4, 4, [u("subtypesSupported", 5, 1)]),
  fx("bdRPow", 4, 0, []),
  fx("dvdPlusRwDualLayer", 4, 4, [b("write", 4, 0), b("quickStart", 5, 1), b("closeOnly", 5, 0)]),
  fx("dvdPlusRDualLayer", 4, 4, [b("write", 4, 0)]),
  fx("bdRead", 28, 28, [
    b("bca", 4, 0),
    { name: "bdReReadSupport", type: "u16x4", byte: 8 },
    { name: "bdRReadSupport", type: "u16x4", byte: 16 },
    { name: "bdRomReadSupport", type: "u16x4", byte: 24 },
  ]),
  fx("bdWrite", 20, 20, [
    b("svnr", 4, 0),
    { name: "bdReWriteSupport", type: "u16x4", byte: 8 },
    { name: "bdRWriteSupport", type: "u16x4", byte: 16 },
  ]),
  fx("sectorErasable", 0, 0, []),
  fx("stopLongOperation", 0, 0, []),
  fx("timelySafeRecording", 0, 0, []),
  fx("hdDvdRead", 4, 4, [b("hdDvdR", 4, 0), b("hdDvdRam", 6, 0)]),
  fx("hdDvdWrite", 4, 4, [b("hdDvdR", 4, 0), b("hdDvdRam", 6, 0)]),
  fx("hybridDisc", 4, 4, [b("ri", 4, 0)]),
  fx("cdAudioExternalPlay", 4, 4, [b("scan", 4, 2), b("scm", 4, 1), b("sv", 4, 0), u("numberOfVolumeLevels", 6, 2)]),
  fx("dvdCssManagedRecording", 4, 4, [u("maxScrambleExtentEntries", 4, 1)]),
  fx("vcps", 4, 0, []),
  fx("securDisc", 4, 0, []),
  fx("powerManagement", 0, 0, []),
  fx("smart", 4, 4, [b("pp", 4, 0)]),
  fx("embeddedChanger", 4, 4, [b("scc", 4, 4), b("sdp", 4, 2), { name: "highestSlotNumber", type: "bits", byte: 7, high: 4, low: 0 }]),
  fx("microcodeUpgrade", 4, 0, [b("m5", 4, 0)]),
  fx("timeout", 4, 0, [b("group3", 4, 0), u("unitLength", 6, 2)]),
  fx("dvdCss", 4, 4, [u("cssVersion", 7, 1)]),
  fx("realTimeStreaming", 4, 0, [b("rbcb", 4, 4), b("scs", 4, 3), b("mp2a", 4, 2), b("wspd", 4, 1), b("sw", 4, 0)]),
  fx("mediaSerialNumber", 0, 0, []),
  fx("dvdCprm", 4, 4, [u("cprmVersion", 7, 1)]),
  fx("firmwareInformation", 16, 16, [
    { name: "century", type: "ascii", byte: 4, size: 2 },
    { name: "year", type: "ascii", byte: 6, size: 2 },
    { name: "month", type: "ascii", byte: 8, size: 2 },
    { name: "day", type: "ascii", byte: 10, size: 2 },
    { name: "hour", type: "ascii", byte: 12, size: 2 },
    { name: "minute", type: "ascii", byte: 14, size: 2 },
    { name: "second", type: "ascii", byte: 16, size: 2 },
  ]),
  fx("aacs", 4, 4, [
    b("bng", 4, 0),
    u("blockCountForBindingNonce", 5, 1),
    { name: "numberOfAgids", type: "bits", byte: 6, high: 3, low: 0 },
    u("aacsVersion", 7, 1),
  ]),
];

const fixedByCode = new Map<number, FixedLayout>(FIXED_LAYOUTS.map((l) => [l.code, l]));
const fixedByKind = new Map<FeatureKind, FixedLayout>(FIXED_LAYOUTS.map((l) => [l.kind, l]));

const STRUCTURE = "feature descriptor";

class BodyProblem extends Error {}

function headerOf(d: Uint8Array): FeatureHeaderFields {
  return { code: (d[0]! << 8) | d[1]!, version: bits(d[2]!, 5, 2), persistent: bit(d[2]!, 1), current: bit(d[2]!, 0) };
}

function readField(d: Uint8Array, f: FieldSpec): unknown {
  // `d` is the whole descriptor; fields past its end read as zero (older, shorter versions).
  const at = (i: number): number => (i < d.length ? d[i]! : 0);
  switch (f.type) {
    case "bit":
      return bit(at(f.byte), f.bit);
    case "bits":
      return bits(at(f.byte), f.high, f.low);
    case "uint": {
      let v = 0;
      for (let i = 0; i < f.size; i++) v = v * 256 + at(f.byte + i);
      return v;
    }
    case "u16x4":
      return [0, 1, 2, 3].map((i) => (at(f.byte + 2 * i) << 8) | at(f.byte + 2 * i + 1));
    case "ascii": {
      let s = "";
      for (let i = 0; i < f.size; i++) s += String.fromCharCode(at(f.byte + i));
      return s;
    }
  }
}

function writeField(out: Uint8Array, f: FieldSpec, value: unknown): void {
  switch (f.type) {
    case "bit":
      out[f.byte]! |= flag(value === true, f.bit);
      return;
    case "bits":
      out[f.byte]! |= uint(f.name, value as number, f.high - f.low + 1) << f.low;
      return;
    case "uint": {
      let v = uint(f.name, value as number, f.size * 8);
      for (let i = f.size - 1; i >= 0; i--) {
        out[f.byte + i] = v % 256;
        v = Math.floor(v / 256);
      }
      return;
    }
    case "u16x4": {
      const arr = value as readonly number[];
      if (!Array.isArray(arr) || arr.length !== 4) throw new InvalidArgumentError(f.name, "must hold 4 class bitmaps");
      arr.forEach((x, i) => {
        uint(f.name, x, 16);
        out[f.byte + 2 * i] = x >>> 8;
        out[f.byte + 2 * i + 1] = x & 0xff;
      });
      return;
    }
    case "ascii": {
      const s = value as string;
      if (typeof s !== "string" || s.length !== f.size || !isSingleByte(s)) {
        throw new InvalidArgumentError(f.name, `must be ${f.size} single-byte characters`);
      }
      for (let i = 0; i < f.size; i++) out[f.byte + i] = s.charCodeAt(i);
      return;
    }
  }
}

/** Link-size lists (Incremental Streaming Writable, Layer Jump Recording): count byte at 7, sizes from 8. */
function readLinkSizes(d: Uint8Array): number[] {
  const count = d[7]!;
  if (8 + count > d.length) throw new BodyProblem(`${count} link sizes declared, ${d.length - 8} byte(s) present`);
  return Array.from(d.subarray(8, 8 + count));
}

function decodeBody(h: FeatureHeaderFields, d: Uint8Array): KnownFeature {
  const length = d.length - 4;
  switch (h.code) {
    case FEATURE.profileList: {
      if (length % 4 !== 0) throw new BodyProblem(`additional length ${length} is not a multiple of 4`);
      const profiles: ProfileDescriptor[] = [];
      for (let i = 4; i < d.length; i += 4) profiles.push({ profile: (d[i]! << 8) | d[i + 1]!, current: bit(d[i + 2]!, 0) });
      return { kind: "profileList", ...h, profiles };
    }
    case FEATURE.incrementalStreamingWritable: {
      if (length < 4) throw new BodyProblem(`additional length ${length}, needs 4`);
      const linkSizes = readLinkSizes(d);
      return withExtra(
        {
          kind: "incrementalStreamingWritable",
          ...h,
          dataBlockTypesSupported: (d[4]! << 8) | d[5]!,
          trio: bit(d[6]!, 2),
          arsv: bit(d[6]!, 1),
          buf: bit(d[6]!, 0),
          linkSizes,
        },
        d,
        padded4(8 + linkSizes.length),
      );
    }
    case FEATURE.layerJumpRecording: {
      if (length < 4) throw new BodyProblem(`additional length ${length}, needs 4`);
      const linkSizes = readLinkSizes(d);
      return withExtra({ kind: "layerJumpRecording", ...h, linkSizes }, d, padded4(8 + linkSizes.length));
    }
    case FEATURE.driveSerialNumber:
      return { kind: "driveSerialNumber", ...h, serialNumber: latin1Trimmed(d.subarray(4)) };
    case FEATURE.discControlBlocks: {
      if (length % 4 !== 0) throw new BodyProblem(`additional length ${length} is not a multiple of 4`);
      const supportedDcbEntries: number[] = [];
      for (let i = 4; i < d.length; i += 4) supportedDcbEntries.push(((d[i]! << 24) >>> 0) + (d[i + 1]! << 16) + (d[i + 2]! << 8) + d[i + 3]!);
      return { kind: "discControlBlocks", ...h, supportedDcbEntries };
    }
  }
  const layout = fixedByCode.get(h.code);
  if (layout === undefined) throw new InternalError(`feature ${h.code.toString(16)}h is listed as decoded but has no layout`);
  if (length < layout.minLength) throw new BodyProblem(`additional length ${length}, needs at least ${layout.minLength}`);
  const value: Record<string, unknown> = { kind: layout.kind, ...h };
  for (const f of layout.fields) value[f.name] = readField(d, f);
  return withExtra(value as unknown as KnownFeature, d, 4 + layout.length);
}

const padded4 = (n: number): number => (n + 3) & ~3;

const isSingleByte = (s: string): boolean => [...s].every((c) => c.charCodeAt(0) <= 0xff && c.length === 1);

function withExtra<T extends KnownFeature>(value: T, d: Uint8Array, knownEnd: number): T {
  return d.length > knownEnd ? { ...value, extra: d.slice(knownEnd) } : value;
}

/**
 * Decodes one complete descriptor (header and exactly ADDITIONAL LENGTH body bytes).
 * Throws MalformedDataError only when the header itself is short or inconsistent.
 */
export function decodeFeatureDescriptor(descriptor: Uint8Array, baseOffset = 0): FeatureDescriptor {
  if (descriptor.length < 4) throw new MalformedDataError(STRUCTURE, baseOffset, `needs a 4-byte header, got ${descriptor.length}`);
  if (descriptor.length !== 4 + descriptor[3]!) {
    throw new MalformedDataError(STRUCTURE, baseOffset + 3, `additional length ${descriptor[3]} but ${descriptor.length - 4} body byte(s)`);
  }
  const h = headerOf(descriptor);
  const known = h.code in KNOWN_CODES;
  if (!known) return { kind: "raw", ...h, data: descriptor.slice(4) };
  try {
    return decodeBody(h, descriptor);
  } catch (e) {
    if (!(e instanceof BodyProblem)) throw e;
    return { kind: "raw", ...h, data: descriptor.slice(4), problem: e.message };
  }
}

const KNOWN_CODES: Record<number, true> = Object.fromEntries(
  [...FIXED_LAYOUTS.map((l) => l.code), FEATURE.profileList, FEATURE.incrementalStreamingWritable, FEATURE.layerJumpRecording, FEATURE.driveSerialNumber, FEATURE.discControlBlocks].map(
    (c) => [c, true] as const,
  ),
);

/** Feature codes this module decodes into named fields (all others stay raw). */
export const DECODED_FEATURE_CODES: readonly number[] = Object.keys(KNOWN_CODES)
  .map(Number)
  .sort((x, y) => x - y);

function encodeBody(f: KnownFeature): Uint8Array {
  switch (f.kind) {
    case "profileList": {
      const out = new Uint8Array(f.profiles.length * 4);
      f.profiles.forEach((p, i) => {
        uint("profile", p.profile, 16);
        out[i * 4] = p.profile >>> 8;
        out[i * 4 + 1] = p.profile & 0xff;
        out[i * 4 + 2] = flag(p.current, 0);
      });
      return out;
    }
    case "incrementalStreamingWritable":
    case "layerJumpRecording": {
      if (f.linkSizes.length > 0xff) throw new InvalidArgumentError("linkSizes", "at most 255 link sizes");
      const out = new Uint8Array(padded4(8 + f.linkSizes.length) - 4);
      if (f.kind === "incrementalStreamingWritable") {
        uint("dataBlockTypesSupported", f.dataBlockTypesSupported, 16);
        out[0] = f.dataBlockTypesSupported >>> 8;
        out[1] = f.dataBlockTypesSupported & 0xff;
        out[2] = flag(f.trio, 2) | flag(f.arsv, 1) | flag(f.buf, 0);
      }
      out[3] = f.linkSizes.length;
      f.linkSizes.forEach((s, i) => (out[4 + i] = uint("linkSize", s, 8)));
      return out;
    }
    case "discControlBlocks": {
      const out = new Uint8Array(f.supportedDcbEntries.length * 4);
      const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      f.supportedDcbEntries.forEach((e, i) => view.setUint32(i * 4, uint("supportedDcbEntry", e, 32)));
      return out;
    }
    case "driveSerialNumber": {
      const s = f.serialNumber;
      if (!isSingleByte(s)) throw new InvalidArgumentError("serialNumber", "must be single-byte characters");
      const out = new Uint8Array(padded4(s.length)).fill(0x20);
      for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
      return out;
    }
  }
  const layout = fixedByKind.get(f.kind);
  if (layout === undefined) throw new InvalidArgumentError("feature", `no codec for kind ${String((f as { kind: unknown }).kind)}`);
  const out = new Uint8Array(4 + layout.length);
  const record = f as unknown as Record<string, unknown>;
  for (const field of layout.fields) writeField(out, field, record[field.name]);
  return out.subarray(4);
}

/** Encodes one descriptor: header plus body (a known feature in its MMC-6 layout, then `extra`). */
export function encodeFeatureDescriptor(f: FeatureDescriptor): Uint8Array {
  let body: Uint8Array;
  if (f.kind === "raw") {
    body = f.data;
  } else {
    if (f.code !== FEATURE[f.kind]) {
      throw new InvalidArgumentError("code", `feature kind ${f.kind} has code ${FEATURE[f.kind].toString(16)}h, not ${f.code.toString(16)}h`);
    }
    const known = encodeBody(f);
    const extra = f.extra ?? new Uint8Array(0);
    body = new Uint8Array(known.length + extra.length);
    body.set(known);
    body.set(extra, known.length);
  }
  if (body.length > 0xff) throw new InvalidArgumentError("feature", `body of ${body.length} bytes exceeds 255`);
  const w = new ByteWriter(4 + body.length);
  w.u16be(uint("code", f.code, 16));
  w.u8((uint("version", f.version, 4) << 2) | flag(f.persistent, 1) | flag(f.current, 0));
  w.u8(body.length).raw(body);
  return w.bytes;
}

export const featureDescriptorCodec: Codec<FeatureDescriptor> = {
  structure: STRUCTURE,
  decode: (bytes) => decodeFeatureDescriptor(bytes),
  encode: encodeFeatureDescriptor,
};
