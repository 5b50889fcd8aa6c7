/**
 * Recorder: one optical drive over any ScsiTransport — IMAPI's IDiscRecorder2 (identity, profiles,
 * features, mode pages, eject/close tray, exclusive access, media change notification) plus the
 * media queries of IDiscFormat2Data and what dvd+rw-mediainfo / cdrecord -prcap report.
 * Every command goes through one CommandRunner (typed errors, retries, timeouts, trace).
 */
import { MalformedDataError, type DiscforgeError } from "@discforge/errors";
import type { ScsiTransport } from "@discforge/transport";
import {
  BG_FORMAT_STATUS,
  CAPABILITIES_PAGE_CODE,
  CAPACITY_DESCRIPTOR_TYPE,
  DISC_STATUS,
  SESSION_STATE,
  ScsiCheckConditionError,
  START_STOP_ACTIONS,
  bdDiscInformationCodec,
  buildGetConfiguration,
  buildGetEventStatusNotification,
  buildGetPerformance,
  buildInquiry,
  buildModeSense10,
  buildPreventAllowMediumRemoval,
  buildRead10,
  buildReadCapacity10,
  buildReadDiscInformation,
  buildReadDiscStructure,
  buildReadFormatCapacities,
  buildReadTrackInformation,
  buildStartStopUnit,
  buildTestUnitReady,
  capabilitiesPageCodec,
  configurationCodec,
  discInformationCodec,
  dvdAdipInformationCodec,
  dvdPreRecordedInformationCodec,
  eventStatusCodec,
  findFeature,
  formatCapacitiesCodec,
  identifyMedia,
  kbpsToX,
  mediaIdentifier,
  modePageBytes,
  modeParameterList10Codec,
  profileInfo,
  profileName,
  readCapacityCodec,
  standardInquiryCodec,
  trackInformationCodec,
  unitSerialNumberCodec,
  writeSpeedPerformanceCodec,
  writeProtectionStatusCodec,
  WRITE_PROTECTION_STATUS_FORMAT,
  isMmcDevice,
  LOADING_MECHANISM_NAMES,
  type CapabilitiesPage,
  type ConfigurationResponse,
  type DiscInformation,
  type FeatureDescriptor,
  type MediaIdentifier,
  type ModeParameterList,
  type RawModePage,
  type ScsiRequest,
  type SpeedMedia,
  type StandardInquiry,
  type TrackInformation,
} from "@discforge/mmc";
import { CommandRunner, type RunOptions, type RunnerOptions } from "./runner.js";
import type { ExclusiveAccessControl, AccessOwner } from "./exclusive.js";
import { InProcessExclusiveAccess } from "./exclusive.js";
import type { DiscStatusName, MediaPresence, MediaReport, SessionReport, SessionStateName, TrackReport, WriteSpeed } from "./media.js";
import { McnWatcher, type MediaChangeListener } from "./mcn.js";

export interface RecorderIdentity {
  readonly id: string;
  readonly path: string;
  readonly vendorId: string;
  readonly productId: string;
  readonly productRevision: string;
  readonly serialNumber?: string;
  readonly peripheralDeviceType: number;
  readonly isMmc: boolean;
  readonly removable: boolean;
  readonly versionDescriptors: readonly number[];
  readonly volumePaths: readonly string[];
  readonly legacyDeviceNumber?: number;
}

export interface ProfileReport {
  readonly code: number;
  readonly name: string;
  readonly current: boolean;
}

export interface WriteModesByMedia {
  readonly profile: number;
  readonly name: string;
  readonly writeModes: readonly string[];
}

export interface DriveCapabilities {
  readonly readableProfiles: readonly ProfileReport[];
  readonly writableProfiles: readonly WriteModesByMedia[];
  readonly testWrite: boolean;
  readonly bufe: boolean;
  readonly bufferSizeKiB?: number;
  readonly canLoadMedia: boolean;
  readonly canEject: boolean;
  readonly canLock: boolean;
  readonly loadingMechanism: string;
  readonly maxReadSpeedKbps?: number;
  readonly maxWriteSpeedKbps?: number;
  readonly writeSpeedsKbps: readonly number[];
}

export interface RecorderOptions {
  readonly id?: string;
  readonly volumePaths?: readonly string[];
  readonly legacyDeviceNumber?: number;
  readonly exclusive?: ExclusiveAccessControl;
  readonly runner?: RunnerOptions;
  /** How often media change notification polls the drive. */
  readonly mcnPollMs?: number;
}

const CONFIG_ALLOCATION = 0xfff8; // large, 8-byte aligned: some drives mishandle 65535
const ALL_PAGES = 0x3f;
const HEURISTIC_BLANK_BYTES = 2 * 1024 * 1024;

function isCheck(e: unknown, asc?: number): e is ScsiCheckConditionError {
  return e instanceof ScsiCheckConditionError && (asc === undefined || e.asc === asc);
}

export class Recorder {
  readonly runner: CommandRunner;
  private inquiryCache: StandardInquiry | undefined;
  private mediaCache: MediaReport | undefined;
  private readonly access: ExclusiveAccessControl;
  private readonly mcn: McnWatcher;

  constructor(
    readonly transport: ScsiTransport,
    private readonly options: RecorderOptions = {},
  ) {
    this.runner = new CommandRunner(transport, {
      ...options.runner,
      onStateChanged: (category) => {
        this.mediaCache = undefined;
        options.runner?.onStateChanged?.(category);
      },
    });
    this.access = options.exclusive ?? new InProcessExclusiveAccess(transport.description);
    this.mcn = new McnWatcher(this, options.mcnPollMs ?? 1000);
  }

  get path(): string {
    return this.transport.description;
  }

  /** Sends a request through the runner (typed errors, retries, trace). */
  run(request: ScsiRequest, options?: RunOptions) {
    return this.runner.run(request, options);
  }

  private async decode<T>(request: ScsiRequest, codec: { decode(b: Uint8Array): T }, options?: RunOptions): Promise<T> {
    const { data } = await this.run(request, options);
    try {
      return codec.decode(data);
    } catch (e) {
      if (e instanceof MalformedDataError) {
        throw new MalformedDataError(e.structure, e.offset, `${e.detail} (from ${request.name} on ${this.path})`, {
          cause: e,
          imapi: { name: "E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE", hresult: 0xc0aa02ff },
        });
      }
      throw e;
    }
  }

  // ---- identity -------------------------------------------------------------------------

  async inquiry(options?: RunOptions): Promise<StandardInquiry> {
    this.inquiryCache ??= await this.decode(buildInquiry({ allocationLength: 96 }), standardInquiryCodec, options);
    return this.inquiryCache;
  }

  async identity(options?: RunOptions): Promise<RecorderIdentity> {
    const inq = await this.inquiry(options);
    const serialNumber = await this.serialNumber(options);
    return {
      id: this.options.id ?? this.path,
      path: this.path,
      vendorId: inq.vendor,
      productId: inq.product,
      productRevision: inq.revision,
      ...(serialNumber ? { serialNumber } : {}),
      peripheralDeviceType: inq.peripheralDeviceType,
      isMmc: isMmcDevice(inq),
      removable: inq.removable,
      versionDescriptors: inq.versionDescriptors,
      volumePaths: this.options.volumePaths ?? [],
      ...(this.options.legacyDeviceNumber !== undefined ? { legacyDeviceNumber: this.options.legacyDeviceNumber } : {}),
    };
  }

  /** Drive serial number: feature 0108h when the drive has it, else VPD page 80h. */
  async serialNumber(options?: RunOptions): Promise<string | undefined> {
    try {
      const cfg = await this.configuration({ requestType: "one", startingFeature: 0x0108 }, options);
      const f = findFeature(cfg, "driveSerialNumber");
      if (f && f.serialNumber.trim() !== "") return f.serialNumber.trim();
    } catch (e) {
      if (!isCheck(e)) throw e;
    }
    try {
      const page = await this.decode(buildInquiry({ evpd: true, pageCode: 0x80 }), unitSerialNumberCodec, options);
      return page.serialNumber.trim() || undefined;
    } catch (e) {
      if (isCheck(e)) return undefined;
      throw e;
    }
  }

  // ---- configuration --------------------------------------------------------------------

  async configuration(params: { requestType?: "all" | "current" | "one"; startingFeature?: number } = {}, options?: RunOptions): Promise<ConfigurationResponse> {
    return this.decode(buildGetConfiguration({ requestType: params.requestType ?? "all", startingFeature: params.startingFeature ?? 0, allocationLength: CONFIG_ALLOCATION }), configurationCodec, options);
  }

  async profiles(options?: RunOptions): Promise<{ readonly current: number; readonly supported: readonly ProfileReport[] }> {
    const cfg = await this.configuration({ requestType: "one", startingFeature: 0 }, options);
    const list = findFeature(cfg, "profileList");
    const supported = (list?.profiles ?? []).map((p) => ({ code: p.profile, name: profileName(p.profile), current: p.current || p.profile === cfg.currentProfile }));
    return { current: cfg.currentProfile, supported };
  }

  async features(options: RunOptions & { readonly currentOnly?: boolean } = {}): Promise<readonly FeatureDescriptor[]> {
    const cfg = await this.configuration({ requestType: options.currentOnly ? "current" : "all" }, options);
    return cfg.features;
  }

  async modeSense(pageCode: number, params: { pageControl?: "current" | "changeable" | "default" | "saved" } = {}, options?: RunOptions): Promise<ModeParameterList> {
    return this.decode(buildModeSense10({ pageCode, pageControl: params.pageControl ?? "current", dbd: true, allocationLength: 0xfff8 }), modeParameterList10Codec, options);
  }

  /** The mode pages the drive returns for "all pages" (3Fh). */
  async modePages(options?: RunOptions): Promise<readonly RawModePage[]> {
    return (await this.modeSense(ALL_PAGES, {}, options)).pages;
  }

  async supportedModePages(options?: RunOptions): Promise<readonly number[]> {
    return [...new Set((await this.modePages(options)).map((p) => p.pageCode))].sort((a, b) => a - b);
  }

  async capabilitiesPage(options?: RunOptions): Promise<CapabilitiesPage | undefined> {
    try {
      const list = await this.modeSense(CAPABILITIES_PAGE_CODE, {}, options);
      const page = list.pages.find((p) => p.pageCode === CAPABILITIES_PAGE_CODE);
      return page ? capabilitiesPageCodec.decode(modePageBytes(page)) : undefined;
    } catch (e) {
      if (isCheck(e)) return undefined;
      throw e;
    }
  }

  async capabilities(options?: RunOptions): Promise<DriveCapabilities> {
    const cfg = await this.configuration({}, options);
    const page = await this.capabilitiesPage(options);
    return summariseCapabilities(cfg, page);
  }

  // ---- media ----------------------------------------------------------------------------

  /** Is a medium there and ready? Answers without throwing for the usual "no" cases. */
  async presence(options?: RunOptions): Promise<MediaPresence> {
    try {
      await this.run(buildTestUnitReady(), { ...options, retryBudgetMs: options?.retryBudgetMs ?? 30_000 });
      return "present";
    } catch (e) {
      if (!isCheck(e)) throw e;
      if (e.asc === 0x3a) return e.ascq === 0x02 ? "tray-open" : "no-media";
      if (e.asc === 0x30 || e.asc === 0x57) return "unreadable";
      if (e.sense.senseKey === 0x02) return "not-ready";
      throw e;
    }
  }

  /** Everything about the loaded medium. Cached until a unit attention or a media change. */
  async media(options: RunOptions & { readonly refresh?: boolean } = {}): Promise<MediaReport> {
    if (this.mediaCache && !options.refresh) return this.mediaCache;
    const presence = await this.presence(options);
    if (presence !== "present") {
      const none = emptyMedia(presence);
      this.mediaCache = none;
      return none;
    }
    const cfg = await this.configuration({ requestType: "current", startingFeature: 0 }, options);
    const profile = cfg.currentProfile;
    const family = identifyMedia(profile).family;
    const info = profileInfo(profile);
    const kind = info?.kind ?? "none";
    const recording = info?.recording ?? "none";
    const disc = await this.discInformation(options);
    const sessions = disc ? await this.sessions(disc, options) : [];
    const tracks = sessions.flatMap((s) => s.tracks);
    const writeProtected = await this.writeProtected(family, options);
    const formatted = kind === "rewritable" ? await this.formatState(options) : undefined;
    const lastTrack = tracks.at(-1);
    const nwa = lastTrack?.nextWritableAddress;
    const status = discStatusName(disc?.discStatus);
    const recorded = await this.recordedCapacity(options);
    let capacityBlocks: number;
    let freeBlocks: number;
    if (recording === "random" || recording === "restricted-overwrite") {
      capacityBlocks = formatted?.blocks ?? recorded ?? 0;
      freeBlocks = capacityBlocks; // overwritable: the whole medium can be rewritten
    } else if (lastTrack && (lastTrack.state === "blank" || lastTrack.state === "invisible" || lastTrack.state === "incomplete")) {
      freeBlocks = lastTrack.freeBlocks;
      capacityBlocks = (nwa ?? lastTrack.start) + freeBlocks;
    } else {
      freeBlocks = 0;
      capacityBlocks = recorded ?? tracks.reduce((n, t) => Math.max(n, t.start + t.size), 0);
    }
    const speedMedia = speedMediaOf(family);
    const writeSpeeds = kind === "rom" ? [] : await this.writeSpeeds(speedMedia, options);
    const mediaId = await this.mediaId(family, profile, options);
    const writableState = status === "blank" || status === "appendable" || recording === "random" || recording === "restricted-overwrite";
    const report: MediaReport = {
      presence,
      profile,
      profileName: profileName(profile),
      family,
      kind,
      recording,
      status,
      ...(disc ? { lastSessionState: sessionStateName(disc.stateOfLastSession) } : {}),
      erasable: disc?.erasable ?? false,
      writeProtected,
      writable: kind !== "rom" && kind !== "none" && !writeProtected && writableState,
      testWriteSupported: info?.testWrite ?? false,
      sessions,
      capacityBlocks,
      freeBlocks,
      ...(nwa !== undefined ? { nextWritableAddress: nwa } : {}),
      ...(sessions.length > 0 ? { lastSessionStart: sessions.at(-1)!.start } : {}),
      ...(formatted ? { formatted: formatted.state } : {}),
      ...(disc ? { backgroundFormat: bgFormatName(disc.bgFormatStatus) } : {}),
      writeSpeeds,
      ...(mediaId ? { mediaId } : {}),
      ...(disc?.didV ? { discIdentification: disc.discIdentification } : {}),
    };
    this.mediaCache = report;
    return report;
  }

  async discInformation(options?: RunOptions): Promise<DiscInformation | undefined> {
    try {
      return await this.decode(buildReadDiscInformation({ allocationLength: 2048 }), discInformationCodec, options);
    } catch (e) {
      if (isCheck(e) && e.sense.senseKey === 0x05) return undefined; // ROM drives without the command
      throw e;
    }
  }

  async trackInformation(track: number, options?: RunOptions): Promise<TrackInformation> {
    return this.decode(buildReadTrackInformation({ addressType: "track", address: track, allocationLength: 48 }), trackInformationCodec, options);
  }

  private async sessions(disc: DiscInformation, options?: RunOptions): Promise<SessionReport[]> {
    const bySession = new Map<number, TrackReport[]>();
    for (let n = disc.firstTrackNumber; n <= disc.lastTrackInLastSession; n++) {
      let t: TrackInformation;
      try {
        t = await this.trackInformation(n, options);
      } catch (e) {
        // ROM drives without READ TRACK INFORMATION (e.g. QEMU's scsi-cd): no track list; the
        // capacity then comes from READ CAPACITY.
        if (isCheck(e, 0x20) && e.sense.senseKey === 0x05) return [];
        throw e;
      }
      const list = bySession.get(t.sessionNumber) ?? [];
      list.push(trackReport(t));
      bySession.set(t.sessionNumber, list);
    }
    return [...bySession.entries()]
      .sort(([a], [b]) => a - b)
      .map(([number, tracks]) => ({ number, start: tracks[0]!.start, tracks }));
  }

  /**
   * Write protection as MMC reports it: READ DISC STRUCTURE C0h (any of MSWI, CWP, PWP, SWPP);
   * drives that lack it (many CD-only drives) fall back to the MODE SENSE WP bit some of them set.
   */
  async writeProtected(family: string, options?: RunOptions): Promise<boolean> {
    try {
      const s = await this.decode(buildReadDiscStructure({ mediaType: family === "BD" ? "bd" : "dvd", formatCode: WRITE_PROTECTION_STATUS_FORMAT, allocationLength: 8 }), writeProtectionStatusCodec, options);
      if (s.mswi || s.cwp || s.pwp || s.swpp) return true;
    } catch (e) {
      if (!isCheck(e) && !(e instanceof MalformedDataError)) throw e;
    }
    try {
      return (await this.modeSense(CAPABILITIES_PAGE_CODE, {}, options)).writeProtected;
    } catch (e) {
      if (isCheck(e)) return false;
      throw e;
    }
  }

  private async formatState(options?: RunOptions): Promise<{ state: "formatted" | "unformatted" | "unknown"; blocks: number } | undefined> {
    try {
      const fc = await this.decode(buildReadFormatCapacities({ allocationLength: 0xfffc }), formatCapacitiesCodec, options);
      const t = fc.current.descriptorType;
      return {
        state: t === CAPACITY_DESCRIPTOR_TYPE.formatted ? "formatted" : t === CAPACITY_DESCRIPTOR_TYPE.unformatted ? "unformatted" : "unknown",
        blocks: t === CAPACITY_DESCRIPTOR_TYPE.unformatted ? (fc.formattable[0]?.numberOfBlocks ?? fc.current.numberOfBlocks) : fc.current.numberOfBlocks,
      };
    } catch (e) {
      if (isCheck(e)) return undefined;
      throw e;
    }
  }

  private async recordedCapacity(options?: RunOptions): Promise<number | undefined> {
    try {
      const cap = await this.decode(buildReadCapacity10(), readCapacityCodec, options);
      return cap.lastLogicalBlockAddress + 1;
    } catch (e) {
      if (isCheck(e)) return undefined;
      throw e;
    }
  }

  /** Write speeds offered for this medium (GET PERFORMANCE type 03h). */
  async writeSpeeds(media: SpeedMedia, options?: RunOptions): Promise<WriteSpeed[]> {
    try {
      const perf = await this.decode(buildGetPerformance({ type: "writeSpeed", maxDescriptors: 64 }), writeSpeedPerformanceCodec, options);
      const seen = new Set<number>();
      return perf.descriptors
        .filter((d) => d.writeSpeed > 0 && !seen.has(d.writeSpeed) && seen.add(d.writeSpeed))
        .map((d) => ({ kbps: d.writeSpeed, x: kbpsToX(d.writeSpeed, media), rotation: d.wrc === 1 ? "cav" : "clv", endLba: d.endLba }) as const);
    } catch (e) {
      if (isCheck(e)) return [];
      throw e;
    }
  }

  private async mediaId(family: string, profile: number, options?: RunOptions): Promise<MediaIdentifier | undefined> {
    try {
      if (family === "DVD" && (profile === 0x1a || profile === 0x1b || profile === 0x2a || profile === 0x2b)) {
        const s = await this.decode(buildReadDiscStructure({ mediaType: "dvd", formatCode: 0x11, allocationLength: 0x0804 }), dvdAdipInformationCodec, options);
        return mediaIdentifier({ kind: "dvd+adip", structure: s });
      }
      if (family === "DVD" && profile >= 0x11 && profile <= 0x17 && profile !== 0x12) {
        const s = await this.decode(buildReadDiscStructure({ mediaType: "dvd", formatCode: 0x0e, allocationLength: 0x0804 }), dvdPreRecordedInformationCodec, options);
        return mediaIdentifier({ kind: "dvd-pre-recorded", structure: s });
      }
      if (family === "BD" && profile !== 0x40) {
        const s = await this.decode(buildReadDiscStructure({ mediaType: "bd", formatCode: 0x00, allocationLength: 0x1004 }), bdDiscInformationCodec, options);
        return mediaIdentifier({ kind: "bd-disc-information", structure: s });
      }
    } catch (e) {
      if (isCheck(e) || e instanceof MalformedDataError) return undefined; // an identity is a nicety, not a requirement
      throw e;
    }
    return undefined;
  }

  /**
   * IMAPI's "heuristically blank": on rewritable media, the first and last 2 MB of the user area
   * read back as zeros (or cannot be read because nothing was ever recorded).
   */
  async heuristicallyBlank(options?: RunOptions): Promise<boolean> {
    const media = await this.media(options);
    if (media.status === "blank") return true;
    if (media.kind !== "rewritable") return false;
    const blocks = HEURISTIC_BLANK_BYTES / 2048;
    const total = media.capacityBlocks;
    if (total <= 0) return true;
    for (const start of [0, Math.max(0, total - blocks)]) {
      for (let lba = start; lba < Math.min(total, start + blocks); lba += 32) {
        const count = Math.min(32, total - lba);
        try {
          const { data } = await this.run(buildRead10({ lba, transferLength: count }), options);
          if (data.some((b) => b !== 0)) return false;
        } catch (e) {
          if (isCheck(e) && (e.sense.senseKey === 0x08 || e.asc === 0x21 || e.asc === 0x64 || e.sense.senseKey === 0x03)) continue; // blank/unrecorded
          throw e;
        }
      }
    }
    return true;
  }

  // ---- tray and mechanism -----------------------------------------------------------------

  async eject(options?: RunOptions): Promise<void> {
    await this.run(buildStartStopUnit(START_STOP_ACTIONS.eject), options);
    this.mediaCache = undefined;
  }
  /** IMAPI's CloseTray. */
  async load(options?: RunOptions): Promise<void> {
    await this.run(buildStartStopUnit(START_STOP_ACTIONS.load), options);
    this.mediaCache = undefined;
  }
  async lock(options?: RunOptions & { readonly persistent?: boolean }): Promise<void> {
    await this.run(buildPreventAllowMediumRemoval({ prevent: true, persistent: options?.persistent ?? false }), options);
  }
  async unlock(options?: RunOptions & { readonly persistent?: boolean }): Promise<void> {
    await this.run(buildPreventAllowMediumRemoval({ prevent: false, persistent: options?.persistent ?? false }), options);
  }

  /** One poll of the media event class (GET EVENT STATUS NOTIFICATION, polled). */
  async pollMediaEvent(options?: RunOptions) {
    const r = await this.decode(buildGetEventStatusNotification({ polled: true, classes: { media: true }, allocationLength: 8 }), eventStatusCodec, options);
    return r.event?.class === "media" ? r.event : undefined;
  }

  /** IMAPI's EnableMcn: media arrival/removal events until disableMcn (or the returned function). */
  enableMcn(listener: MediaChangeListener): () => void {
    return this.mcn.add(listener, () => (this.mediaCache = undefined));
  }
  disableMcn(): void {
    this.mcn.stop();
  }

  // ---- exclusive access -------------------------------------------------------------------

  acquireExclusiveAccess(clientName: string, options: { readonly force?: boolean } = {}): Promise<void> {
    return this.access.acquire(clientName, options);
  }
  releaseExclusiveAccess(): Promise<void> {
    return this.access.release();
  }
  exclusiveAccessOwner(): Promise<AccessOwner | undefined> {
    return this.access.owner();
  }

  async close(): Promise<void> {
    this.mcn.stop();
    await this.access.release();
    await this.transport.close();
  }
}

// ---- summaries ----------------------------------------------------------------------------

function emptyMedia(presence: MediaPresence): MediaReport {
  return {
    presence,
    profile: 0,
    profileName: profileName(0),
    family: "none",
    kind: "none",
    recording: "none",
    status: "none",
    erasable: false,
    writeProtected: false,
    writable: false,
    testWriteSupported: false,
    sessions: [],
    capacityBlocks: 0,
    freeBlocks: 0,
    writeSpeeds: [],
  };
}

function discStatusName(v: number | undefined): DiscStatusName | "none" {
  switch (v) {
    case DISC_STATUS.empty:
      return "blank";
    case DISC_STATUS.incomplete:
      return "appendable";
    case DISC_STATUS.complete:
      return "complete";
    case undefined:
      return "none";
    default:
      return "other";
  }
}

function sessionStateName(v: number): SessionStateName {
  return v === SESSION_STATE.empty ? "empty" : v === SESSION_STATE.incomplete ? "incomplete" : v === SESSION_STATE.complete ? "complete" : "damaged";
}

function bgFormatName(v: number): "none" | "suspended" | "in-progress" | "completed" {
  return v === BG_FORMAT_STATUS.suspended ? "suspended" : v === BG_FORMAT_STATUS.inProgress ? "in-progress" : v === BG_FORMAT_STATUS.completed ? "completed" : "none";
}

function trackReport(t: TrackInformation): TrackReport {
  // MMC-6 6.27.3 table of track states from the RT/Blank/Packet/FP bits.
  const state: TrackReport["state"] = t.damage
    ? "damaged"
    : t.blank && !t.rt
      ? t.trackStartAddress === t.nextWritableAddress && t.nwaV
        ? t.trackSize > 0 && t.freeBlocks < t.trackSize
          ? "incomplete"
          : "invisible"
        : "blank"
      : t.rt && t.blank
        ? "reserved"
        : t.nwaV && !t.blank
          ? "incomplete"
          : "complete";
  const mode = t.trackMode & 0x04 ? "data" : t.trackMode <= 3 ? "audio" : "unknown";
  return {
    number: t.trackNumber,
    session: t.sessionNumber,
    start: t.trackStartAddress,
    size: t.trackSize,
    mode,
    dataMode: t.dataMode,
    state,
    ...(t.nwaV ? { nextWritableAddress: t.nextWritableAddress } : {}),
    freeBlocks: t.freeBlocks,
    ...(t.lraV && t.lastRecordedAddress !== undefined ? { lastRecordedAddress: t.lastRecordedAddress } : {}),
    packet: t.packetIncremental,
  };
}

function speedMediaOf(family: string): SpeedMedia {
  return family === "BD" ? "bd" : family === "DVD" || family === "HD DVD" ? "dvd" : "cd";
}

export function summariseCapabilities(cfg: ConfigurationResponse, page: CapabilitiesPage | undefined): DriveCapabilities {
  const list = findFeature(cfg, "profileList")?.profiles ?? [];
  const tao = findFeature(cfg, "cdTrackAtOnce");
  const mastering = findFeature(cfg, "cdMastering");
  const dashR = findFeature(cfg, "dvdMinusRWrite");
  const incremental = findFeature(cfg, "incrementalStreamingWritable");
  const plusRw = findFeature(cfg, "dvdPlusRw");
  const plusR = findFeature(cfg, "dvdPlusR");
  const plusRDl = findFeature(cfg, "dvdPlusRDualLayer");
  const bdWrite = findFeature(cfg, "bdWrite");
  const randomWritable = findFeature(cfg, "randomWritable");
  const restricted = findFeature(cfg, "restrictedOverwrite" as never) as FeatureDescriptor | undefined;
  const removable = findFeature(cfg, "removableMedium");

  const modesFor = (profile: number): string[] => {
    const m: string[] = [];
    switch (profile) {
      case 0x09:
      case 0x0a:
        if (tao) m.push("TAO");
        if (mastering?.sao) m.push("SAO");
        if (mastering?.raw) m.push("RAW");
        if (incremental && profile === 0x0a) m.push("packet");
        break;
      case 0x11:
      case 0x14:
      case 0x15:
      case 0x16:
        if (dashR) m.push("DAO");
        if (incremental) m.push("incremental");
        if (profile === 0x16) m.push("layer-jump");
        break;
      case 0x13:
        if (restricted || cfg.features.some((f) => f.code === 0x0026)) m.push("restricted-overwrite");
        break;
      case 0x1a:
      case 0x2a:
        if (plusRw?.write) m.push("random");
        break;
      case 0x1b:
        if (plusR?.write) m.push("sequential");
        break;
      case 0x2b:
        if (plusRDl?.write) m.push("sequential");
        break;
      case 0x12:
        if (randomWritable) m.push("random");
        break;
      case 0x41:
      case 0x42:
        if (bdWrite && bdWrite.bdRWriteSupport.some((b) => b !== 0)) m.push(profile === 0x41 ? "sequential (SRM)" : "random (RRM)");
        break;
      case 0x43:
        if (bdWrite && bdWrite.bdReWriteSupport.some((b) => b !== 0)) m.push("random");
        break;
    }
    return m;
  };

  const readableProfiles = list.map((p) => ({ code: p.profile, name: profileName(p.profile), current: p.current }));
  const writableProfiles = list
    .map((p) => ({ profile: p.profile, name: profileName(p.profile), writeModes: modesFor(p.profile) }))
    .filter((p) => p.writeModes.length > 0);
  const loadingType = removable?.loadingMechanismType ?? page?.loadingMechanismType ?? 1;
  const speeds = (page?.writeSpeedDescriptors ?? []).map((d) => d.writeSpeed).filter((s) => s > 0);
  return {
    readableProfiles,
    writableProfiles,
    testWrite: Boolean(tao?.testWrite || mastering?.testWrite || dashR?.testWrite || page?.testWrite),
    bufe: Boolean(tao?.buf || mastering?.buf || dashR?.buf || incremental?.buf || page?.buf),
    ...(page ? { bufferSizeKiB: page.bufferSize } : {}),
    canLoadMedia: removable ? removable.load : loadingType !== 0,
    canEject: removable?.eject ?? page?.eject ?? false,
    canLock: removable?.lock ?? page?.lock ?? false,
    loadingMechanism: LOADING_MECHANISM_NAMES[loadingType & 7] ?? `reserved (${loadingType & 7})`,
    ...(page && page.maximumReadSpeed > 0 ? { maxReadSpeedKbps: page.maximumReadSpeed } : {}),
    ...(speeds.length > 0 ? { maxWriteSpeedKbps: Math.max(...speeds) } : page && page.maximumWriteSpeed > 0 ? { maxWriteSpeedKbps: page.maximumWriteSpeed } : {}),
    writeSpeedsKbps: [...new Set(speeds)].sort((a, b) => b - a),
  };
}

export type { DiscforgeError };
