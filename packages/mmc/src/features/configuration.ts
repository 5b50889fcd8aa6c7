/**
 * GET CONFIGURATION response (MMC-6 6.6.2): an 8-byte feature header (DATA LENGTH counting the
 * bytes after itself, CURRENT PROFILE) followed by feature descriptors (MMC-6 5.2.2).
 *
 * DATA LENGTH reports the full response even when the allocation length cut it short, so a
 * partial last descriptor is normal in that case: the decoder keeps every complete descriptor,
 * drops the partial one and sets `truncated` (the caller asks again with a larger allocation
 * length). A descriptor overrunning the declared data length is malformed.
 */
import { ByteWriter } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { CONFIGURATION_REQUEST_TYPE, type ConfigurationRequestType } from "../cdb/get-configuration.js";
import { uint, type Codec, type Truncation } from "./codec-util.js";
import {
  decodeFeatureDescriptor,
  encodeFeatureDescriptor,
  type FeatureDescriptor,
  type FeatureKind,
  type FeatureOfKind,
  type FirmwareInformationFeature,
  type ProfileDescriptor,
} from "./feature-descriptors.js";

export interface ConfigurationResponse {
  /** The profile of the medium now loaded (0000h when none). */
  readonly currentProfile: number;
  readonly features: readonly FeatureDescriptor[];
  /** Present only when the buffer was shorter than DATA LENGTH says. */
  readonly truncated?: Truncation;
}

export type ConfigurationResponseInit = Omit<ConfigurationResponse, "truncated">;

const STRUCTURE = "GET CONFIGURATION response";
const HEADER = 8;

function decode(bytes: Uint8Array): ConfigurationResponse {
  if (bytes.length < HEADER) throw new MalformedDataError(STRUCTURE, bytes.length, `needs the ${HEADER}-byte feature header, got ${bytes.length}`);
  const dataLength = ((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!;
  const declaredLength = dataLength + 4;
  if (declaredLength < HEADER) throw new MalformedDataError(STRUCTURE, 0, `data length ${dataLength} is shorter than the feature header`);
  const truncated = bytes.length < declaredLength;
  const end = Math.min(bytes.length, declaredLength);
  const features: FeatureDescriptor[] = [];
  let off = HEADER;
  while (off < end) {
    const left = end - off;
    if (left < 4 || left < 4 + bytes[off + 3]!) {
      if (truncated) break;
      throw new MalformedDataError(STRUCTURE, off, `feature descriptor overruns the data length (${left} byte(s) left)`);
    }
    const size = 4 + bytes[off + 3]!;
    features.push(decodeFeatureDescriptor(bytes.subarray(off, off + size), off));
    off += size;
  }
  const value = { currentProfile: (bytes[6]! << 8) | bytes[7]!, features };
  return truncated ? { ...value, truncated: { declaredLength, availableLength: bytes.length } } : value;
}

function encode(v: ConfigurationResponseInit): Uint8Array {
  const parts = v.features.map(encodeFeatureDescriptor);
  const size = HEADER + parts.reduce((n, p) => n + p.length, 0);
  const w = new ByteWriter(size);
  w.u32be(size - 4).u16be(0).u16be(uint("currentProfile", v.currentProfile, 16));
  for (const p of parts) w.raw(p);
  return w.bytes;
}

export const configurationCodec: Codec<ConfigurationResponse, ConfigurationResponseInit> = { structure: STRUCTURE, decode, encode };

export { CONFIGURATION_REQUEST_TYPE, type ConfigurationRequestType } from "../cdb/get-configuration.js";

/**
 * The descriptors a drive returns for a request type and starting feature number, in ascending
 * code order as MMC requires (used by the emulated drive to answer GET CONFIGURATION).
 */
export function selectFeatures(
  features: readonly FeatureDescriptor[],
  requestType: ConfigurationRequestType,
  startingFeature: number,
): FeatureDescriptor[] {
  if (requestType !== 0 && requestType !== 1 && requestType !== 2) {
    throw new InvalidArgumentError("requestType", `${String(requestType)} is not 0, 1 or 2`);
  }
  uint("startingFeature", startingFeature, 16);
  const sorted = [...features].sort((a, b) => a.code - b.code);
  if (requestType === CONFIGURATION_REQUEST_TYPE.one) return sorted.filter((f) => f.code === startingFeature);
  return sorted.filter((f) => f.code >= startingFeature && (requestType === CONFIGURATION_REQUEST_TYPE.all || f.current));
}

/** The decoded feature of a kind, if the drive reported it (and it decoded). */
export function findFeature<K extends FeatureKind>(
  config: Pick<ConfigurationResponse, "features">,
  kind: K,
): FeatureOfKind<K> | undefined {
  return config.features.find((f): f is FeatureOfKind<K> => f.kind === kind);
}

/** Any descriptor, decoded or raw, by feature code. */
export function findFeatureByCode(config: Pick<ConfigurationResponse, "features">, code: number): FeatureDescriptor | undefined {
  return config.features.find((f) => f.code === code);
}

/** Whether the drive reports the feature, and (when `currentOnly`) whether it is current. */
export function hasFeature(config: Pick<ConfigurationResponse, "features">, code: number, currentOnly = false): boolean {
  const f = findFeatureByCode(config, code);
  return f !== undefined && (!currentOnly || f.current);
}

/** Profiles from the Profile List feature, in the drive's order; empty when it is absent. */
export function supportedProfiles(config: Pick<ConfigurationResponse, "features">): readonly ProfileDescriptor[] {
  return findFeature(config, "profileList")?.profiles ?? [];
}

/**
 * The firmware creation time of a Firmware Information feature as a UTC Date, or undefined when
 * the drive's ASCII fields are not a valid date and time.
 */
export function firmwareDate(f: Pick<FirmwareInformationFeature, "century" | "year" | "month" | "day" | "hour" | "minute" | "second">): Date | undefined {
  const parts = [f.century + f.year, f.month, f.day, f.hour, f.minute, f.second];
  if (!parts.every((p) => /^[0-9]+$/.test(p))) return undefined;
  const [year, month, day, hour, minute, second] = parts.map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const valid =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day &&
    date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
  return valid ? date : undefined;
}
