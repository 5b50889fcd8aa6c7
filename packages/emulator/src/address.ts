/**
 * `emu:<path>` drive addresses and the one-call way to get an emulated drive with a virtual disc
 * loaded: what the CLI uses wherever a drive is named.
 */
import { readFileSync } from "node:fs";
import { InvalidArgumentError } from "@discforge/errors";
import { EmulatedDrive } from "./drive.js";
import { parseFaultPlan, type FaultPlan } from "./faults.js";
import { isBlankMediaId, BLANK_MEDIA_IDS, type BlankMediaId } from "./media.js";
import { defaultPersonalityFor, personalityFor, type Personality } from "./personality.js";
import { openDiscFile } from "./virtual-disc.js";
import type { Clock } from "./clock.js";

export const EMULATOR_SCHEME = "emu:";

export interface EmulatorAddress {
  /** Path of the virtual disc's data file. */
  readonly path: string;
}

export function isEmulatorAddress(address: string): boolean {
  return address.startsWith(EMULATOR_SCHEME);
}

/** Parses "emu:<path>". Throws InvalidArgumentError for anything else. */
export function parseEmulatorAddress(address: string): EmulatorAddress {
  if (!isEmulatorAddress(address)) throw new InvalidArgumentError("drive", `'${address}' is not an emulated drive address (emu:<path>)`);
  const path = address.slice(EMULATOR_SCHEME.length);
  if (path.length === 0) throw new InvalidArgumentError("drive", "emu: needs the path of a virtual disc file, e.g. emu:/tmp/disc.img");
  if (path.includes("\0")) throw new InvalidArgumentError("drive", "path contains a NUL character");
  return { path };
}

/** Checks a `--media` value. */
export function parseMediaOption(value: string): BlankMediaId {
  if (!isBlankMediaId(value)) throw new InvalidArgumentError("--media", `'${value}' is not one of ${BLANK_MEDIA_IDS.join(", ")}`);
  return value;
}

export interface OpenVirtualDiscOptions {
  /** Medium of a new blank disc (required when the file does not exist). */
  readonly media?: BlankMediaId;
  /** A personality or the id of a shipped one; default: the smallest shipped drive that writes the medium. */
  readonly personality?: Personality | string;
  /** A fault plan, or the path of a JSON file holding one. */
  readonly faults?: FaultPlan | string;
  readonly clock?: Clock;
  readonly throttle?: boolean;
  readonly traceLimit?: number;
}

/** Opens (creating if needed) the virtual disc at `path` or `emu:path` and loads it in a new drive. */
export function openVirtualDisc(pathOrAddress: string, options: OpenVirtualDiscOptions = {}): EmulatedDrive {
  const path = isEmulatorAddress(pathOrAddress) ? parseEmulatorAddress(pathOrAddress).path : pathOrAddress;
  const disc = openDiscFile(path, options.media === undefined ? {} : { media: options.media });
  const personality = typeof options.personality === "string" ? personalityFor(options.personality) : (options.personality ?? defaultPersonalityFor(disc.state.media));
  const faults = typeof options.faults === "string" ? parseFaultPlan(readFileSync(options.faults, "utf8")) : options.faults;
  return new EmulatedDrive({
    disc,
    personality,
    description: `${EMULATOR_SCHEME}${path}`,
    ...(faults ? { faults } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.throttle === undefined ? {} : { throttle: options.throttle }),
    ...(options.traceLimit === undefined ? {} : { traceLimit: options.traceLimit }),
  });
}
