/**
 * A virtual disc: the media state (DiscModel) plus its user data (DataStore). File-backed discs
 * keep user data at LBA × 2048 in `<path>` (sparse) and the state in `<path>.state.json`;
 * reopening restores the exact state. A file with no sidecar is a finished ROM disc image.
 */
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { DiscModel, blankDiscState, checkMediaIdentity, romDiscState, type DiscState, type MediaIdentity } from "./disc.js";
import { MEDIA, MEDIA_IDS, isBlankMediaId, isMediaId, type BlankMediaId, type MediaId } from "./media.js";
import { AudioStore, FileStore, MemoryStore, SECTOR, type DataStore } from "./store.js";

export const SIDECAR_FORMAT = "discforge-virtual-disc";
export const SIDECAR_VERSION = 1;

export function sidecarPath(path: string): string {
  return `${path}.state.json`;
}

export class VirtualDisc {
  /** CD-DA blocks of audio tracks (session-at-once audio); `<path>.cdda` for file-backed discs. */
  readonly audio: AudioStore;

  constructor(
    public model: DiscModel,
    readonly store: DataStore,
    /** Data file path, for file-backed discs. */
    readonly path?: string,
  ) {
    this.audio = new AudioStore(path === undefined ? undefined : `${path}.cdda`);
  }

  /** The 2352 bytes of an audio block. */
  readAudio(lba: number): Uint8Array {
    return this.audio.read(lba);
  }

  get state(): DiscState {
    return this.model.state;
  }

  /** A blank disc kept in memory; `mediaIdentity` replaces the medium's default maker identity. */
  static blank(media: MediaId, options: BlankDiscOptions = {}): VirtualDisc {
    if (MEDIA[media].recording === "rom") throw new InvalidArgumentError("media", `${media} cannot be blank; use VirtualDisc.rom`);
    return new VirtualDisc(new DiscModel(blankWithIdentity(media, options.mediaIdentity)), new MemoryStore());
  }

  /** A finished ROM disc in memory holding `data` (a multiple of 2048 bytes). */
  static rom(media: MediaId, data: Uint8Array): VirtualDisc {
    if (data.length % SECTOR !== 0) throw new InvalidArgumentError("data", "must be whole 2048-byte sectors");
    const store = new MemoryStore();
    if (data.length > 0) store.write(0, data);
    return new VirtualDisc(new DiscModel(romDiscState(media, data.length / SECTOR)), store);
  }

  /** Writes the sidecar (atomically: temp file + rename). No-op for in-memory discs. */
  save(): void {
    if (!this.path) return;
    const body = JSON.stringify({ format: SIDECAR_FORMAT, version: SIDECAR_VERSION, state: this.model.state }, null, 1);
    const tmp = `${sidecarPath(this.path)}.tmp`;
    writeFileSync(tmp, body);
    renameSync(tmp, sidecarPath(this.path));
  }

  /** Makes the data file end where the recorded data ends (so a finished disc is an exact image). */
  trimToRecorded(): void {
    if (this.model.sequential) this.store.truncate(this.model.recordedExtent());
  }

  close(): void {
    this.save();
    this.store.close();
  }
}

export interface BlankDiscOptions {
  /** Manufacturer identification of the new medium (ADIP / pre-recorded info / BD DI / ATIP). */
  readonly mediaIdentity?: MediaIdentity;
}

export interface OpenDiscOptions extends BlankDiscOptions {
  /** Medium of a new blank disc when the file does not exist; checked against an existing one. */
  readonly media?: BlankMediaId | MediaId;
}

function blankWithIdentity(media: MediaId, identity: MediaIdentity | undefined): DiscState {
  const state = blankDiscState(media);
  if (identity === undefined) return state;
  checkMediaIdentity(media, identity);
  return { ...state, mediaIdentity: identity };
}

/** Opens (or creates) a file-backed virtual disc. */
export function openDiscFile(path: string, options: OpenDiscOptions = {}): VirtualDisc {
  if (options.media !== undefined && !isMediaId(options.media)) {
    throw new InvalidArgumentError("media", `unknown medium '${String(options.media)}' (known: ${MEDIA_IDS.join(", ")})`);
  }
  const side = sidecarPath(path);
  if (existsSync(side)) {
    const state = parseSidecar(readFileSync(side, "utf8"), side);
    if (options.media !== undefined && options.media !== state.media) {
      throw new InvalidArgumentError("media", `${path} holds a ${state.media} disc, not ${options.media}`);
    }
    if (!existsSync(path)) writeFileSync(path, new Uint8Array(0));
    return new VirtualDisc(new DiscModel(state), new FileStore(path), path);
  }
  if (existsSync(path)) {
    // A plain image: a finished ROM disc of the smallest family that holds it.
    const bytes = statSync(path).size;
    if (bytes % SECTOR !== 0) throw new MalformedDataError("disc image", bytes, "size is not a multiple of 2048 bytes");
    const sectors = bytes / SECTOR;
    const media: MediaId = options.media && MEDIA[options.media].recording === "rom" ? options.media : sectors <= MEDIA["cd-r"].capacity ? "cd-rom" : sectors <= MEDIA["dvd+r-dl"].capacity ? "dvd-rom" : "bd-rom";
    if (options.media !== undefined && options.media !== media) {
      throw new InvalidArgumentError("media", `${path} exists as a plain image (loaded as ${media}); remove it to create a blank ${options.media}`);
    }
    return new VirtualDisc(new DiscModel(romDiscState(media, sectors)), new FileStore(path), path);
  }
  if (options.media === undefined) throw new InvalidArgumentError("media", `${path} does not exist; say which blank medium to create (--media)`);
  if (!isBlankMediaId(options.media)) throw new InvalidArgumentError("media", `a new virtual disc cannot be ${options.media}`);
  const disc = new VirtualDisc(new DiscModel(blankWithIdentity(options.media, options.mediaIdentity)), FileStore.create(path), path);
  disc.save();
  return disc;
}

function parseSidecar(text: string, where: string): DiscState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new MalformedDataError("virtual disc sidecar", 0, `${where}: not JSON`, { cause: e });
  }
  const o = raw as { format?: unknown; version?: unknown; state?: Partial<DiscState> };
  if (o?.format !== SIDECAR_FORMAT || o.version !== SIDECAR_VERSION || typeof o.state !== "object" || o.state === null) {
    throw new MalformedDataError("virtual disc sidecar", 0, `${where}: not a ${SIDECAR_FORMAT} v${SIDECAR_VERSION} file`);
  }
  const s = o.state;
  if (typeof s.media !== "string" || !isMediaId(s.media) || !Array.isArray(s.tracks) || !Array.isArray(s.sessions) || typeof s.capacity !== "number") {
    throw new MalformedDataError("virtual disc sidecar", 0, `${where}: state is incomplete`);
  }
  // Fill fields added in later versions of this format with their defaults.
  return { ...blankDiscState(s.media), ...s } as DiscState;
}
