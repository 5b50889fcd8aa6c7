/**
 * The command table: one entry per command the emulated drive implements, keyed by operation
 * code and by the name the mmc package's decodeCdb() gives it, with its allocation length and LBA
 * span, its readiness rules, and its handler. Every CDB is first decoded by decodeCdb() (the mmc
 * opcode table and parsers, whose field errors become 24/00 with the field pointer); the decoded
 * command selects the entry here. Handlers return response bytes (the drive cuts them to the
 * allocation length) or throw a Refusal for CHECK CONDITION.
 */
import { msfToLba, readU16BE, readU24BE, readU32BE } from "@discforge/bytes";
import { BLANKING_TYPE, CLOSE_FUNCTION, CONFIGURATION_REQUEST_TYPE, PAGE_CONTROL, TOC_FORMAT, trackResourcesCodec, modeParameterList10Codec, modeParameterList6Codec, rawModePage, type DecodableOp, type DecodedCdb, type ReadCdSelection } from "@discforge/mmc";
import { MEDIA, WRITE_TYPE } from "./media.js";
import { SENSE, badCdbField, badParameter, senseBytes, refuse, type SenseDetail } from "./sense.js";
import type { CommandContext, EmulatedDrive } from "./drive.js";
import { SECTOR } from "./store.js";
import { CD_SESSION_GAP_FIRST, cdTrackKind, type DiscModel, type TrackState } from "./disc.js";
import { readCdLayout, writeReadCdSector } from "./cd/read-cd.js";
import { nextHostBlock, planSessionAtOnce, segmentAt, type SaoPlan, type SaoSegment } from "./cd/cue.js";
import { encodeStandardInquiry, encodeVpdPage } from "./responses/inquiry.js";
import { currentProfileOf, driveFeatures, encodeConfiguration } from "./responses/configuration.js";
import {
  MODE_PAGE,
  WP,
  encodeCapabilities,
  errorRecoveryMask,
  powerConditionMask,
  readWriteParameters,
  timeoutProtectMask,
  writeParametersMask,
  writeSpeedsFor,
  speedKbps,
  defaultErrorRecovery,
  defaultPowerCondition,
  defaultTimeoutProtect,
  defaultWriteParameters,
} from "./responses/mode-pages.js";
import { encodeDiscInformation } from "./responses/disc-info.js";
import { encodeTrackInformation, randomTrack } from "./responses/track-info.js";
import { encodeAtip, encodeToc } from "./responses/toc.js";
import { encodeBufferCapacity, encodeFormatCapacities, encodeReadCapacity } from "./responses/capacity.js";
import { encodeNominalPerformance, encodeWriteSpeeds } from "./responses/performance.js";
import { encodeEventStatus, encodeMechanismStatus } from "./responses/events.js";
import { encodeBdStructure, encodeDvdStructure } from "./responses/disc-structure.js";

type Handler = (d: EmulatedDrive, c: CommandContext) => Uint8Array | undefined | void | Promise<Uint8Array | undefined | void>;

export interface CommandSpec {
  readonly opcode: number;
  /** The command as the mmc package's decodeCdb() names it. */
  readonly op: DecodableOp;
  readonly name: string;
  readonly cdbLength: number;
  /** Allocation length field, for data-in commands. */
  readonly allocation?: (cdb: Uint8Array) => number;
  /** LBA and block count the command touches (READ/WRITE/VERIFY), for faults and traces. */
  readonly span?: (cdb: Uint8Array) => { lba: number; blocks: number };
  readonly needsMedium: boolean;
  readonly allowedWhileBusy: boolean;
  readonly ignoresUnitAttention: boolean;
  readonly writes: boolean;
  readonly handle: Handler;
}

export function commandSpan(spec: CommandSpec, cdb: Uint8Array): { lba: number; blocks: number } | undefined {
  return spec.span && cdb.length >= spec.cdbLength ? spec.span(cdb) : undefined;
}

/** The typed CDB fields decodeCdb() gave this command. */
type ParamsOf<K extends DecodableOp> = Extract<DecodedCdb, { op: K }>["params"];
function params<K extends DecodableOp>(c: CommandContext, op: K): ParamsOf<K> {
  const d = c.decoded;
  if (d.op !== op) throw new Error(`dispatch mismatch: ${d.op} handled as ${op}`);
  return d.params as unknown as ParamsOf<K>;
}

const u16 = (at: number) => (cdb: Uint8Array) => readU16BE(cdb, at);
const u8 = (at: number) => (cdb: Uint8Array) => cdb[at]!;
const span10 = (cdb: Uint8Array) => ({ lba: readU32BE(cdb, 2), blocks: readU16BE(cdb, 7) });
const span12 = (cdb: Uint8Array) => ({ lba: readU32BE(cdb, 2), blocks: readU32BE(cdb, 6) });
const spanCd = (cdb: Uint8Array) => ({ lba: readU32BE(cdb, 2), blocks: readU24BE(cdb, 6) });

const list: CommandSpec[] = [];
function command(
  opcode: number,
  op: DecodableOp,
  name: string,
  cdbLength: number,
  handle: Handler,
  opts: Partial<Omit<CommandSpec, "opcode" | "op" | "name" | "cdbLength" | "handle">> = {},
): void {
  list.push({ opcode, op, name, cdbLength, handle, needsMedium: false, allowedWhileBusy: false, ignoresUnitAttention: false, writes: false, ...opts });
}

// ---- SPC commands ----------------------------------------------------------------------------

command(0x00, "testUnitReady", "TEST UNIT READY", 6, (d) => {
  const busy = d.busyDetail();
  if (busy) refuse(busy.code, busy.progress === undefined ? {} : { progress: busy.progress });
  d.requireMedium();
}, { allowedWhileBusy: true });

command(0x03, "requestSense", "REQUEST SENSE", 6, (d) => {
  // Autosense already returned any CHECK CONDITION's sense; this reports the current condition.
  const ua = d.unitAttentions.shift();
  if (ua) return senseBytes({ code: ua });
  const busy = d.busyDetail();
  if (busy) return senseBytes(busy);
  try {
    d.requireMedium();
  } catch (e) {
    const detail = (e as { detail?: SenseDetail }).detail;
    if (detail) return senseBytes(detail);
    throw e;
  }
  return senseBytes({ code: SENSE.noSense });
}, { allocation: u8(4), allowedWhileBusy: true, ignoresUnitAttention: true });

command(0x12, "inquiry", "INQUIRY", 6, (d, c) => {
  const { evpd, pageCode } = params(c, "inquiry");
  if (!evpd) {
    if (pageCode !== 0) badCdbField(2);
    return encodeStandardInquiry(d.personality.identity);
  }
  return encodeVpdPage(pageCode, d.personality.identity) ?? badCdbField(2);
}, { allocation: u16(3), allowedWhileBusy: true, ignoresUnitAttention: true });

// ---- Mode parameters ---------------------------------------------------------------------------

function pageBytes(d: EmulatedDrive, page: number, pc: number): Uint8Array | undefined {
  if (page === MODE_PAGE.capabilities) {
    const caps = encodeCapabilities({
      personality: d.personality,
      media: d.trayOpen ? undefined : d.mediaId,
      locked: d.prevented || d.persistentPrevented,
      trayOpen: d.trayOpen,
      writeSpeedKbps: d.writeSpeedKbps,
      readSpeedKbps: d.readSpeedKbps,
    });
    if (pc === 1) {
      const mask = new Uint8Array(caps.length);
      mask[0] = caps[0]!;
      mask[1] = caps[1]!;
      return mask;
    }
    return caps;
  }
  const current = d.pages.get(page);
  if (!current) return undefined;
  if (pc === 0) return current;
  if (pc === 1) return maskOf(page) ?? current;
  const cd = d.mediaId ? MEDIA[d.mediaId].family === "cd" : true;
  return page === MODE_PAGE.writeParameters
    ? defaultWriteParameters(cd)
    : page === MODE_PAGE.errorRecovery
      ? defaultErrorRecovery()
      : page === MODE_PAGE.powerCondition
        ? defaultPowerCondition()
        : defaultTimeoutProtect(d.personality);
}

function maskOf(page: number): Uint8Array | undefined {
  switch (page) {
    case MODE_PAGE.writeParameters:
      return writeParametersMask();
    case MODE_PAGE.errorRecovery:
      return errorRecoveryMask();
    case MODE_PAGE.powerCondition:
      return powerConditionMask();
    case MODE_PAGE.timeoutProtect:
      return timeoutProtectMask();
    default:
      return undefined;
  }
}

function modeSense(d: EmulatedDrive, c: CommandContext, ten: boolean): Uint8Array {
  const p = ten ? params(c, "modeSense10") : params(c, "modeSense6");
  const pc = PAGE_CONTROL[p.pageControl];
  const page = p.pageCode;
  const subpage = p.subpageCode;
  if (pc === 3) refuse(SENSE.savingNotSupported, { field: { inCdb: true, byte: 2, bit: 7 } });
  if (subpage !== 0 && !(page === 0x3f && subpage === 0xff)) badCdbField(3);
  const codes = page === MODE_PAGE.all ? [0x01, 0x05, 0x1a, 0x1d, 0x2a] : [page];
  const parts: Uint8Array[] = [];
  for (const code of codes) {
    const p = pageBytes(d, code, pc);
    if (!p) badCdbField(2, 5);
    parts.push(p);
  }
  // The mode parameter header (SPC-4 7.5.5) through the mmc codec; WP mirrors the medium.
  const list = {
    mediumType: 0,
    writeProtected: d.disc?.state.writeProtected === true,
    deviceSpecificParameter: 0,
    longLba: false,
    blockDescriptors: [],
    pages: parts.map((bytes) => rawModePage(bytes)),
  };
  return ten ? modeParameterList10Codec.encode(list) : modeParameterList6Codec.encode(list);
}

command(0x5a, "modeSense10", "MODE SENSE(10)", 10, (d, c) => modeSense(d, c, true), { allocation: u16(7), allowedWhileBusy: true });
command(0x1a, "modeSense6", "MODE SENSE(6)", 6, (d, c) => modeSense(d, c, false), { allocation: u8(4), allowedWhileBusy: true });

function modeSelect(d: EmulatedDrive, cdb: Uint8Array, data: Uint8Array, ten: boolean): void {
  if ((cdb[1]! & 0x01) !== 0) badCdbField(1, 0); // SP: saving pages not supported
  const listLength = ten ? readU16BE(cdb, 7) : cdb[4]!;
  if (data.length !== listLength) refuse(SENSE.parameterListLengthError);
  const headerLength = ten ? 8 : 4;
  if (listLength === 0) return;
  if (listLength < headerLength) refuse(SENSE.parameterListLengthError);
  const blockDescriptors = ten ? readU16BE(data, 6) : data[3]!;
  if (blockDescriptors !== 0) badParameter(ten ? 6 : 3);
  // Check every page before changing anything: a refused MODE SELECT changes nothing.
  const updates: [number, Uint8Array][] = [];
  let at = headerLength;
  while (at < data.length) {
    if (at + 2 > data.length) refuse(SENSE.parameterListLengthError);
    const code = data[at]! & 0x3f;
    const len = data[at + 1]! + 2;
    const current = d.pages.get(code);
    const mask = maskOf(code);
    if (!current || !mask) badParameter(at, 5);
    if (len !== current.length) badParameter(at + 1);
    if (at + len > data.length) refuse(SENSE.parameterListLengthError);
    const next = data.slice(at, at + len);
    next[0] = current[0]!; // PS bit is reserved in MODE SELECT
    for (let i = 2; i < len; i++) {
      if (((next[i]! ^ current[i]!) & ~mask[i]!) !== 0) badParameter(at + i);
    }
    if (code === MODE_PAGE.writeParameters) checkWriteParameters(d, next, at);
    updates.push([code, next]);
    at += len;
  }
  for (const [code, bytes] of updates) d.pages.set(code, bytes);
  // Turning test write off ends a simulation.
  if (!d.writeParameters().testWrite) d.simulation = undefined;
}

/** Page 05h values the drive and the loaded medium must support (MMC-6 7.5.4). */
function checkWriteParameters(d: EmulatedDrive, p: Uint8Array, base: number): void {
  const wp = readWriteParameters(p);
  if (wp.writeType > WRITE_TYPE.layerJump) badParameter(base + WP.flagsByte, 3);
  if (wp.bufe && !d.personality.bufe) badParameter(base + WP.flagsByte, 6);
  const media = d.trayOpen ? undefined : d.mediaId;
  if (wp.testWrite) {
    if (!d.personality.testWrite || (media !== undefined && !MEDIA[media].testWrite)) badParameter(base + WP.flagsByte, 4);
  }
  if (media !== undefined) {
    const spec = MEDIA[media];
    if (spec.writeTypes.length > 1 && !spec.writeTypes.includes(wp.writeType)) badParameter(base + WP.flagsByte, 3);
  }
  if (wp.multiSession === 0b10) badParameter(base + WP.modeByte, 7);
  if (wp.dataBlockType !== 8 && wp.dataBlockType !== 10) badParameter(base + WP.dataBlockTypeByte, 3);
}

command(0x55, "modeSelect10", "MODE SELECT(10)", 10, (d, { cdb, dataOut }) => modeSelect(d, cdb, dataOut, true));
command(0x15, "modeSelect6", "MODE SELECT(6)", 6, (d, { cdb, dataOut }) => modeSelect(d, cdb, dataOut, false));

// ---- Mechanism ---------------------------------------------------------------------------------

command(0x1b, "startStopUnit", "START STOP UNIT", 6, (d, c) => {
  const { loej, start, powerCondition } = params(c, "startStopUnit");
  const power = c.cdb[4]! >> 4;
  if (powerCondition !== "startValid") {
    d.powerState = power === 1 ? 1 : power === 2 ? 2 : 3;
    return;
  }
  if (!loej) {
    if (start) d.requireMedium();
    return;
  }
  if (start) {
    if (!d.personality.canLoad) badCdbField(4, 1);
    d.closeTray();
    return;
  }
  if (d.prevented || d.persistentPrevented) refuse(SENSE.mediumRemovalPrevented);
  const busy = d.busyDetail();
  if (busy) throw busyRefusal(busy);
  d.openTray();
}, { allowedWhileBusy: true });

function busyRefusal(detail: SenseDetail): never {
  return refuse(detail.code, detail.progress === undefined ? {} : { progress: detail.progress });
}

command(0x1e, "preventAllowMediumRemoval", "PREVENT ALLOW MEDIUM REMOVAL", 6, (d, c) => {
  const { prevent, persistent } = params(c, "preventAllowMediumRemoval");
  if (persistent) d.persistentPrevented = prevent;
  else d.prevented = prevent;
  d.operationalEvent = true;
}, { allowedWhileBusy: true });

command(0xbd, "mechanismStatus", "MECHANISM STATUS", 12, (d) => encodeMechanismStatus(d.trayOpen, d.busyDetail() !== undefined), {
  allocation: u16(8),
  allowedWhileBusy: true,
  ignoresUnitAttention: true,
});

command(0x4a, "getEventStatusNotification", "GET EVENT STATUS NOTIFICATION", 10, (d, { cdb }) => {
  if ((cdb[1]! & 0x01) === 0) badCdbField(1, 0); // asynchronous notification not supported
  const busy = d.busyDetail();
  const { bytes, consumed } = encodeEventStatus(cdb[4]!, {
    mediaEvent: d.mediaEvents[0],
    operationalChange: d.operationalEvent,
    mediaPresent: d.disc !== undefined && !d.trayOpen,
    trayOpen: d.trayOpen,
    busy: busy !== undefined,
    busyRemainingMs: busy && d.busy ? d.busy.endMs - d.clock.now() : 0,
    persistentPrevented: d.persistentPrevented,
    powerStatus: d.powerState,
  });
  if (consumed === "media") d.mediaEvents.shift();
  if (consumed === "operational") d.operationalEvent = false;
  return bytes;
}, { allocation: u16(7), allowedWhileBusy: true, ignoresUnitAttention: true });

// ---- Configuration and capabilities -------------------------------------------------------

function readyView(d: EmulatedDrive) {
  try {
    d.requireMedium();
    return d.view;
  } catch {
    return undefined;
  }
}

command(0x46, "getConfiguration", "GET CONFIGURATION", 10, (d, c) => {
  const { requestType, startingFeature } = params(c, "getConfiguration");
  const disc = readyView(d);
  const profile = currentProfileOf(disc);
  return encodeConfiguration(driveFeatures({ personality: d.personality, disc, currentProfile: profile }), profile, CONFIGURATION_REQUEST_TYPE[requestType], startingFeature);
}, { allocation: u16(7), allowedWhileBusy: true, ignoresUnitAttention: true });

command(0xac, "getPerformance", "GET PERFORMANCE", 12, (d, { cdb }) => {
  const type = cdb[10]!;
  const max = readU16BE(cdb, 8);
  const media = d.mediaId;
  if (type === 0x03) {
    const disc = d.view;
    const end = disc ? Math.max(0, disc.state.capacity - 1) : 0;
    const read = media ? Math.round(d.readSpeedKbps) : 0;
    return encodeWriteSpeeds(writeSpeedsFor(d.personality, d.trayOpen ? undefined : media).map((w) => ({ endLba: end, readKbps: read, writeKbps: w })), max);
  }
  if (type === 0x00) {
    const disc = d.requireMedium().model;
    const write = (cdb[1]! & 0x04) !== 0;
    const end = Math.max(0, (write ? disc.state.capacity : disc.recordedExtent()) - 1);
    return encodeNominalPerformance(write, 0, end, write ? d.writeSpeedKbps : d.readSpeedKbps, max);
  }
  return badCdbField(10);
}, { allocation: () => Number.MAX_SAFE_INTEGER });

command(0xbb, "setCdSpeed", "SET CD SPEED", 12, (d, c) => {
  const { readSpeed, writeSpeed } = params(c, "setCdSpeed");
  selectSpeeds(d, readSpeed, writeSpeed);
});

function selectSpeeds(d: EmulatedDrive, readKbps: number, writeKbps: number): void {
  const media = d.mediaId;
  if (!media) return;
  const speeds = writeSpeedsFor(d.personality, media);
  if (speeds.length > 0) {
    // The fastest supported speed not above the request; the slowest when the request is below all.
    d.writeSpeedKbps = writeKbps === 0xffff ? speeds[0]! : (speeds.find((s) => s <= writeKbps) ?? speeds.at(-1)!);
  }
  const maxRead = speedKbps(media, d.personality.readSpeeds[MEDIA[media].family]);
  d.readSpeedKbps = readKbps === 0xffff ? maxRead : Math.min(maxRead, readKbps);
  d.updateBufferRate();
}

command(0xb6, "setStreaming", "SET STREAMING", 12, (d, { cdb, dataOut }) => {
  const type = cdb[8]!;
  const length = readU16BE(cdb, 9);
  if (type !== 0x00) badCdbField(8);
  if (dataOut.length !== length || length < 28) refuse(SENSE.parameterListLengthError);
  const readSize = readU32BE(dataOut, 12);
  const readTime = readU32BE(dataOut, 16);
  const writeSize = readU32BE(dataOut, 20);
  const writeTime = readU32BE(dataOut, 24);
  if (readU32BE(dataOut, 8) < readU32BE(dataOut, 4)) badParameter(8);
  if (readTime === 0 || writeTime === 0) badParameter(readTime === 0 ? 16 : 24);
  selectSpeeds(d, Math.floor((readSize * 1000) / readTime), Math.floor((writeSize * 1000) / writeTime));
});

// ---- Media information -----------------------------------------------------------------------

command(0x25, "readCapacity10", "READ CAPACITY", 10, (d) => {
  const disc = d.view!;
  return encodeReadCapacity(Math.max(0, disc.recordedExtent() - 1));
}, { allocation: () => 8, needsMedium: true });

command(0x23, "readFormatCapacities", "READ FORMAT CAPACITIES", 10, (d) => encodeFormatCapacities(readyView(d)), { allocation: u16(7) });

command(0x51, "readDiscInformation", "READ DISC INFORMATION", 10, (d, c) => {
  const { dataType } = params(c, "readDiscInformation");
  const disc = d.view!;
  if (dataType === "trackResources") {
    // Track resources (MMC-6 6.22.3.2): tracks the medium can hold and has assigned.
    const max = disc.spec.family === "cd" ? 99 : disc.spec.family === "bd" ? 7927 : 99;
    const session = disc.lastSession;
    const inSession = session && !session.closed ? disc.state.tracks.filter((t) => t.session === session.number).length : 0;
    return trackResourcesCodec.encode({ maximumTracksOnDisc: max, assignedTracksOnDisc: disc.state.tracks.length, maximumTracksInAppendableSession: session && !session.closed ? max : 0, assignedTracksInAppendableSession: inSession });
  }
  if (dataType !== "standard") badCdbField(1, 2); // POW resources: BD-R POW only
  return encodeDiscInformation(disc);
}, { allocation: u16(7), needsMedium: true });

command(0x52, "readTrackInformation", "READ TRACK INFORMATION", 10, (d, c) => {
  const disc = d.view!;
  const { addressType, address: n } = params(c, "readTrackInformation");
  if (disc.random) {
    if ((addressType === "track" && n !== 1 && n !== 0xff) || (addressType === "session" && n !== 1) || (addressType === "lba" && n >= disc.state.capacity)) badCdbField(5);
    return encodeTrackInformation(disc, randomTrack(disc));
  }
  const tracks = disc.state.tracks;
  let track;
  if (addressType === "lba") track = disc.trackAt(n) ?? (disc.invisibleTrack && n >= disc.invisibleTrack.start ? disc.invisibleTrack : undefined);
  else if (addressType === "track") track = n === 0xff ? (disc.invisibleTrack ?? tracks.at(-1)) : disc.findTrack(n);
  else track = tracks.find((t) => t.session === n);
  if (!track) badCdbField(5);
  return encodeTrackInformation(disc, track);
}, { allocation: u16(7), needsMedium: true });

command(0x43, "readTocPmaAtip", "READ TOC/PMA/ATIP", 10, (d, c) => {
  const disc = d.view!;
  const { format, msf, trackSessionNumber } = params(c, "readTocPmaAtip");
  const cd = disc.spec.family === "cd";
  if (msf && !cd) badCdbField(1, 1);
  if (format === "atip") {
    if (disc.state.media !== "cd-r" && disc.state.media !== "cd-rw") badCdbField(2);
    return encodeAtip(disc);
  }
  if (format === "cdText" || format === "pma") {
    if (!cd) badCdbField(2);
    return Uint8Array.of(0, 2, 0, 0); // no CD-Text / empty PMA
  }
  const toc = encodeToc(disc, TOC_FORMAT[format], msf, trackSessionNumber);
  if (!toc) refuse(SENSE.invalidFieldInCdb, { field: { inCdb: true, byte: 2 } });
  return toc;
}, { allocation: u16(7), needsMedium: true });

command(0xad, "readDiscStructure", "READ DISC STRUCTURE", 12, (d, c) => {
  const disc = d.view!;
  const { mediaType, layerNumber, formatCode } = params(c, "readDiscStructure");
  const family = disc.spec.family;
  if (mediaType === "dvd") {
    if (family !== "dvd") refuse(SENSE.cannotReadIncompatibleFormat);
    return encodeDvdStructure(disc, formatCode, layerNumber) ?? badCdbField(formatCode === 0 ? 6 : 7);
  }
  if (family !== "bd") refuse(SENSE.cannotReadIncompatibleFormat);
  return encodeBdStructure(disc, formatCode) ?? badCdbField(7);
}, { allocation: u16(8), needsMedium: true });

command(0x5c, "readBufferCapacity", "READ BUFFER CAPACITY", 10, (d, c) => {
  const result = d.buffer.update(d.clock.now());
  if (result.underrunAtMs !== undefined) d.pendingUnderrun = result;
  return encodeBufferCapacity(d.personality.bufferBytes, d.buffer.free, params(c, "readBufferCapacity").block);
}, { allocation: u16(7), allowedWhileBusy: true });

// ---- Reading -------------------------------------------------------------------------------

function readBlocks(d: EmulatedDrive, c: CommandContext, lba: number, blocks: number): Uint8Array {
  const disc = d.requireMedium();
  disc.model.checkReadable(lba, blocks);
  // CD-DA has no 2048-byte blocks: READ(10)/(12) of an audio track is an illegal mode (READ CD reads it).
  if (disc.model.state.tracks.some((t) => t.audio === true && lba < t.start + (t.size ?? 0) && lba + blocks > Math.min(t.start, t.pregapStart ?? t.start))) refuse(SENSE.invalidTrackMode);
  // Only what the host's buffer takes is transferred.
  return disc.store.read(lba, Math.min(blocks, Math.ceil(c.dataInLength / SECTOR)));
}

command(0x28, "read10", "READ(10)", 10, (d, c) => {
  const { lba, transferLength } = params(c, "read10");
  return readBlocks(d, c, lba, transferLength);
}, { needsMedium: true, span: span10, allocation: (cdb) => span10(cdb).blocks * SECTOR });

command(0xa8, "read12", "READ(12)", 12, (d, c) => {
  const { lba, transferLength } = params(c, "read12");
  return readBlocks(d, c, lba, transferLength);
}, { needsMedium: true, span: span12, allocation: (cdb) => span12(cdb).blocks * SECTOR });

/** READ CD / READ CD MSF: raw sectors with the host's selection (./cd/read-cd.ts). */
function readCd(d: EmulatedDrive, c: CommandContext, lba: number, blocks: number, sel: ReadCdSelection): Uint8Array {
  const disc = d.requireMedium();
  const model = d.view!;
  if (model.spec.family !== "cd") refuse(SENSE.cannotReadIncompatibleFormat);
  const trackOf = (at: number) => model.trackAt(at) ?? model.pregapTrackAt(at);
  const kindAt = (at: number) => cdTrackKind(trackOf(at));
  // The selection is checked even for a zero-length transfer, against the track at the address.
  readCdLayout(sel, kindAt(lba));
  model.checkReadable(lba, blocks);
  const sectors: { lba: number; bytes: number; track: TrackState }[] = [];
  let total = 0;
  for (let i = 0; i < blocks; i++) {
    const track = trackOf(lba + i)!;
    const bytes = readCdLayout(sel, cdTrackKind(track));
    // Only what the host's buffer takes is transferred.
    if (total + bytes > c.dataInLength && sectors.length > 0) break;
    sectors.push({ lba: lba + i, bytes, track });
    total += bytes;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const s of sectors) {
    const kind = cdTrackKind(s.track);
    const block = kind === "audio" ? disc.readAudio(s.lba) : disc.store.read(s.lba, 1);
    at = writeReadCdSector(out, at, sel, s.lba, { kind, trackNumber: s.track.number, trackStart: s.track.start, block });
  }
  return out;
}

command(0xbe, "readCd", "READ CD", 12, (d, c) => {
  const p = params(c, "readCd");
  return readCd(d, c, p.lba | 0, p.transferLength, p);
}, { needsMedium: true, span: spanCd, allocation: () => Number.MAX_SAFE_INTEGER });

command(0xb9, "readCdMsf", "READ CD MSF", 12, (d, c) => {
  const p = params(c, "readCdMsf");
  if (p.start.minute > 99) badCdbField(3);
  if (p.end.minute > 99) badCdbField(6);
  const start = msfToLba(p.start);
  return readCd(d, c, start, msfToLba(p.end) - start, p);
}, { needsMedium: true, allocation: () => Number.MAX_SAFE_INTEGER });

command(0x2f, "verify10", "VERIFY(10)", 10, (d, { cdb }) => {
  const { lba, blocks } = span10(cdb);
  d.requireMedium().model.checkReadable(lba, blocks);
}, { needsMedium: true, span: span10 });

// ---- Writing ---------------------------------------------------------------------------------

async function writeBlocks(d: EmulatedDrive, c: CommandContext, lba: number, blocks: number, _streaming: boolean): Promise<void> {
  const disc = d.requireMedium();
  const media = disc.state.media;
  if (!d.personality.writes.includes(media)) refuse(disc.model.rom ? SENSE.cannotWriteIncompatibleFormat : SENSE.incompatibleMediumInstalled);
  const wp = d.writeParameters();
  const saoCd = wp.writeType === WRITE_TYPE.sessionAtOnce && disc.model.spec.family === "cd" && disc.model.sequential;
  if (!saoCd && c.dataOut.length !== blocks * SECTOR) badCdbField(7);
  const test = wp.testWrite && disc.model.sequential;
  if (test && !d.simulation) d.simulation = disc.model.clone();
  const target = test ? d.simulation! : disc.model;
  // Let the medium take what it could since the last command; a dry buffer is an underrun.
  if (d.throttle) {
    const drained = d.pendingUnderrun ?? d.buffer.update(d.clock.now());
    d.pendingUnderrun = undefined;
    if (drained.underrunAtMs !== undefined) {
      if (wp.bufe && d.personality.bufe) target.state.links++;
      else {
        target.markDamaged(drained.underrunLba ?? lba);
        if (!test) disc.save();
        refuse(SENSE.lossOfStreaming, { information: lba });
      }
    }
  }
  if (wp.writeType === WRITE_TYPE.sessionAtOnce && target.sequential && target.spec.family === "dvd") {
    // DVD-R/RW Disc-at-Once writes into a reserved track only (MMC-6 4.6.5.2).
    const t = target.state.tracks.find((x) => !x.closed && x.nwa === lba);
    if (t && t.size === null) refuse(SENSE.commandSequenceError);
  }
  if (wp.writeType === WRITE_TYPE.sessionAtOnce && target.spec.family === "cd" && target.sequential) {
    await saoWrite(d, c, target, test, lba | 0, blocks);
    return;
  }
  const firstWrite = target.discStatus() === "blank";
  target.write(lba, blocks, wp.writeType);
  if (d.throttle && blocks > 0) {
    const wait = d.buffer.waitFor(blocks * SECTOR);
    if (wait > 0) {
      await d.clock.sleep(wait);
      d.buffer.update(d.clock.now());
    }
    d.buffer.add(lba, blocks);
  }
  if (!test && blocks > 0) {
    disc.store.write(lba, c.dataOut);
    if (firstWrite) disc.save();
  }
  d.bytesWritten += c.dataOut.length;
}

/**
 * A WRITE during a CD session-at-once burn: blocks go in cue-sheet order from the first host block
 * (LBA -150 when the first pregap comes from the host), each with the size of its data form.
 * Pregap blocks (index 0) hold no user data; Mode 1 blocks go to the data store, CD-DA blocks to
 * the audio store.
 */
async function saoWrite(d: EmulatedDrive, c: CommandContext, target: DiscModel, test: boolean, lba: number, blocks: number): Promise<void> {
  const disc = d.disc!;
  const sao = d.sao;
  if (!sao) refuse(SENSE.commandSequenceError);
  target.checkWritable();
  if (lba !== sao.next || (blocks > 0 && lba >= sao.plan.leadOut)) refuse(SENSE.invalidAddressForWrite, { information: lba >>> 0 });
  const runs: { seg: SaoSegment; from: number; to: number; offset: number }[] = [];
  let bytes = 0;
  for (let at = lba; at < lba + blocks; ) {
    const seg = segmentAt(sao.plan, at);
    if (!seg || seg.blockBytes === 0) refuse(SENSE.invalidAddressForWrite, { information: at >>> 0 });
    const to = Math.min(seg.end, lba + blocks);
    runs.push({ seg, from: at, to, offset: bytes });
    bytes += (to - at) * seg.blockBytes;
    at = to;
  }
  if (c.dataOut.length !== bytes) badCdbField(7);
  if (!sao.laidOut) {
    layOutSao(target, sao.plan);
    sao.laidOut = true;
  }
  if (d.throttle && blocks > 0) {
    const wait = d.buffer.waitFor(bytes);
    if (wait > 0) {
      await d.clock.sleep(wait);
      d.buffer.update(d.clock.now());
    }
    if (lba >= 0) d.buffer.add(lba, blocks);
  }
  for (const r of runs) {
    if (r.seg.index === 0 || r.from < 0) continue; // pregap: no user data
    const track = target.findTrack(r.seg.tno)!;
    track.nwa = Math.max(track.nwa, r.to);
    if (test) continue;
    const data = c.dataOut.subarray(r.offset, r.offset + (r.to - r.from) * r.seg.blockBytes);
    if (r.seg.dataForm === 0x10) disc.store.write(r.from, data);
    else if (r.seg.dataForm === 0x11) {
      // Raw Mode 1 sectors from the host: the user data is bytes 16-2063 of each.
      const user = new Uint8Array((r.to - r.from) * SECTOR);
      for (let i = 0; i < r.to - r.from; i++) user.set(data.subarray(i * 2352 + 16, i * 2352 + 16 + SECTOR), i * SECTOR);
      disc.store.write(r.from, user);
    } else disc.audio.write(r.from, data);
  }
  sao.next = nextHostBlock(sao.plan, lba + blocks);
  if (!test) disc.save();
  d.bytesWritten += c.dataOut.length;
}

/** The cue sheet's tracks replace the session's empty invisible track (sizes fixed by the plan). */
function layOutSao(target: DiscModel, plan: SaoPlan): void {
  const s = target.state;
  const open = target.invisibleTrack!;
  s.tracks = s.tracks.filter((t) => t !== open);
  for (const t of plan.tracks) {
    s.tracks.push({
      number: t.number,
      session: open.session,
      start: t.start,
      size: t.end - t.start,
      nwa: t.start,
      reserved: false,
      closed: false,
      damaged: false,
      ...(t.audio ? { audio: true } : {}),
      control: t.control,
      ...(t.pregapStart === undefined ? {} : { pregapStart: t.pregapStart }),
    });
  }
}

command(0x2a, "write10", "WRITE(10)", 10, (d, c) => {
  const p = params(c, "write10");
  return writeBlocks(d, c, p.lba, p.transferLength, false);
}, { needsMedium: true, span: span10, writes: true });
command(0xaa, "write12", "WRITE(12)", 12, (d, c) => {
  const p = params(c, "write12");
  return writeBlocks(d, c, p.lba, p.transferLength, p.streaming);
}, { needsMedium: true, span: span12, writes: true });
command(0x2e, "writeAndVerify10", "WRITE AND VERIFY(10)", 10, (d, c) => {
  const p = params(c, "writeAndVerify10");
  return writeBlocks(d, c, p.lba, p.transferLength, false);
}, { needsMedium: true, span: span10, writes: true });

command(0x35, "synchronizeCache10", "SYNCHRONIZE CACHE", 10, async (d, c) => {
  const disc = d.requireMedium();
  const immediate = params(c, "synchronizeCache10").immed;
  const wp = d.writeParameters();
  const target = d.view!;
  if (d.throttle) {
    const drained = d.pendingUnderrun ?? d.buffer.update(d.clock.now());
    d.pendingUnderrun = undefined;
    if (drained.underrunAtMs !== undefined) {
      if (wp.bufe && d.personality.bufe) target.state.links++;
      else target.markDamaged(drained.underrunLba ?? 0);
    }
  }
  const ms = d.throttle ? d.buffer.flushMs() : 0;
  d.buffer.flushed();
  // Session-at-once: the end of the data is the end of the session (CD SAO, DVD-R DAO).
  if (target.sequential && wp.writeType === WRITE_TYPE.sessionAtOnce) {
    const reserved = target.state.tracks.find((t) => !t.closed && t.size !== null);
    // CD: the session ends once every block up to the lead-out has been sent.
    const cdSession = target.spec.family === "cd" && d.sao !== undefined && d.sao.laidOut && d.sao.next >= d.sao.plan.leadOut;
    if ((reserved && reserved.nwa === reserved.start + reserved.size!) || cdSession) {
      target.closeSession(target.spec.family === "cd" ? wp.multiSession !== 0b11 : true);
      d.cueSheet = undefined;
      d.sao = undefined;
    }
  }
  if (!d.simulation) disc.save();
  await d.longOperation("sync", ms, immediate, c.timeoutMs);
}, { needsMedium: true });

command(0x53, "reserveTrack", "RESERVE TRACK", 10, (d, c) => {
  const disc = d.requireMedium();
  const p = params(c, "reserveTrack");
  if (p.form !== "size") badCdbField(1, 0); // ARSV (address reservation) not supported
  const target = d.view!;
  target.reserveTrack(p.reservationSize);
  if (!d.simulation) disc.save();
}, { needsMedium: true });

command(0x5b, "closeTrackSession", "CLOSE TRACK/SESSION", 10, async (d, c) => {
  const disc = d.requireMedium();
  const { immed: immediate, closeFunction, trackNumber } = params(c, "closeTrackSession");
  const fn = CLOSE_FUNCTION[closeFunction];
  const timeoutMs = c.timeoutMs;
  const target = d.view!;
  const id = target.state.media;
  const wp = d.writeParameters();
  d.buffer.flushed();
  let sectors = 0;
  if (!target.sequential) {
    if ((id === "dvd+rw" || id === "bd-re") && fn === 0) {
      // Quick stop of background formatting: what is formatted stays usable.
      if (target.state.format === "running") target.state.format = "incomplete";
      d.bgFormatEndMs = undefined;
    } else if (id === "dvd+rw" && (fn === 2 || fn === 3)) {
      // 010b: compatible stop (lead-out written, formatting can resume later);
      // 011b: finalize, the rest of the disc formatted (MMC-6 CLOSE TRACK SESSION, DVD+RW).
      if (target.state.format === "running" || target.state.format === "incomplete") target.state.format = fn === 3 ? "formatted" : "incomplete";
      d.bgFormatEndMs = undefined;
      sectors = fn === 3 ? Math.max(0, target.state.capacity - target.state.randomEnd) : 0x1000;
    } else if (fn !== 1 && fn !== 2) badCdbField(2);
  } else {
    const plusR = id === "dvd+r" || id === "dvd+r-dl";
    const gap = target.spec.family === "cd" ? CD_SESSION_GAP_FIRST : target.spec.family === "bd" ? 0x800 : 0x3000;
    switch (fn) {
      case 1:
        target.closeTrack(trackNumber);
        sectors = target.spec.family === "cd" ? 2 : target.spec.eccBlock;
        break;
      case 2:
        // CD and DVD-R/RW: the multi-session field decides whether the disc stays appendable.
        target.closeSession(target.spec.family === "cd" || id === "dvd-r" || id === "dvd-rw" ? wp.multiSession !== 0b11 : false);
        sectors = gap;
        break;
      case 4:
        if (id !== "dvd+r-dl") badCdbField(2);
        target.closeSession(false);
        sectors = gap;
        break;
      case 5:
      case 6:
        if (!(plusR || (id === "bd-r" && fn === 6))) badCdbField(2);
        target.closeSession(true);
        sectors = gap + (plusR ? Math.max(0, 0x40000 - target.recordedExtent()) : 0);
        break;
      default:
        badCdbField(2);
    }
  }
  if (!d.simulation) {
    disc.trimToRecorded();
    disc.save();
  } else if (target.state.finalized) {
    // A simulated burn ends here: the medium is as it was.
    d.simulation = undefined;
  }
  await d.longOperation("close", d.mediaTimeMs(sectors), immediate, timeoutMs);
}, { needsMedium: true });

command(0xa1, "blank", "BLANK", 12, async (d, c) => {
  const disc = d.requireMedium();
  if (!d.personality.writes.includes(disc.state.media)) refuse(SENSE.cannotFormatIncompatible);
  const p = params(c, "blank");
  const immediate = p.immed;
  const type = BLANKING_TYPE[p.blankingType];
  const timeoutMs = c.timeoutMs;
  const before = disc.model.recordedExtent();
  disc.model.blank(type, p.startAddress);
  d.simulation = undefined;
  if (type === 0 || type === 1) {
    disc.store.truncate(0);
    disc.audio.clear();
  }
  else disc.store.truncate(disc.model.recordedExtent());
  disc.save();
  const sectors = type === 0 ? disc.model.spec.capacity : type === 1 ? 4500 + 6750 : Math.max(0, before - disc.model.recordedExtent()) + 6900;
  await d.longOperation("blank", d.mediaTimeMs(sectors), immediate, timeoutMs);
}, { needsMedium: true });

command(0x04, "formatUnit", "FORMAT UNIT", 6, async (d, { cdb, dataOut, timeoutMs }) => {
  const disc = d.requireMedium();
  if (!d.personality.writes.includes(disc.state.media)) refuse(SENSE.cannotFormatIncompatible);
  if ((cdb[1]! & 0x10) === 0) badCdbField(1, 4); // FmtData: a parameter list is required
  if ((cdb[1]! & 0x07) !== 1) badCdbField(1, 2); // format code 001b
  if (dataOut.length < 12) refuse(SENSE.parameterListLengthError);
  const immediate = (dataOut[1]! & 0x02) !== 0;
  if (readU16BE(dataOut, 2) !== 8) badParameter(2);
  const blocks = readU32BE(dataOut, 4);
  const formatType = dataOut[8]! >> 2;
  const media = disc.state.media;
  const wasFormatted = disc.state.format !== "unformatted";
  disc.model.format(formatType, blocks);
  d.simulation = undefined;
  let sectors: number;
  if (media === "dvd+rw") {
    // Background format: the command returns after the lead-in; writes may start at once.
    d.bgFormatEndMs = d.clock.now() + (d.throttle ? d.mediaTimeMs(disc.state.capacity) : 0);
    if (!d.throttle) disc.state.format = "formatted";
    sectors = 0x1000;
    if (!wasFormatted) disc.store.truncate(0);
  } else {
    disc.store.truncate(0);
    const quick = formatType === 0x15 || formatType === 0x31 || (formatType === 0x30 && (dataOut[8]! & 0x03) === 0x03);
    sectors = quick ? 0x10000 : disc.state.capacity;
  }
  disc.save();
  d.operationalEvent = true;
  await d.longOperation("format", d.mediaTimeMs(sectors), immediate, timeoutMs);
}, { needsMedium: true });

command(0x54, "sendOpcInformation", "SEND OPC INFORMATION", 10, (d) => {
  const disc = d.requireMedium();
  if (!d.personality.writes.includes(disc.state.media)) refuse(SENSE.incompatibleMediumInstalled);
}, { needsMedium: true });

command(0x5d, "sendCueSheet", "SEND CUE SHEET", 10, (d, c) => {
  const dataOut = c.dataOut;
  const disc = d.requireMedium();
  if (disc.model.spec.family !== "cd" || !disc.model.sequential) refuse(SENSE.commandSequenceError);
  const length = params(c, "sendCueSheet").cueSheetSize;
  if (dataOut.length !== length || length % 8 !== 0 || length === 0) refuse(SENSE.parameterListLengthError);
  if (d.writeParameters().writeType !== WRITE_TYPE.sessionAtOnce) refuse(SENSE.commandSequenceError);
  const target = d.view!;
  target.checkWritable();
  // A cue sheet describes a whole session: only an empty open session takes one.
  const open = target.invisibleTrack;
  if (!open || open.nwa !== open.start || target.sessionStatus() !== "empty") refuse(SENSE.commandSequenceError);
  const plan = planSessionAtOnce(dataOut, open.number, open.start, target.state.capacity);
  d.cueSheet = dataOut.slice();
  d.sao = { plan, next: nextHostBlock(plan, plan.segments[0]!.start), laidOut: false };
}, { needsMedium: true });

export const COMMANDS: ReadonlyMap<number, CommandSpec> = new Map(list.map((c) => [c.opcode, c]));
