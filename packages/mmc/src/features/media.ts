/**
 * Media identification from the current profile (MMC-6 5.3.1 profile table): the facts the drive
 * and burn layers decide on, read from the profile table so there is one source.
 */
import { MEDIA_FAMILY, MEDIA_KIND, RECORDING_METHOD, profileInfo, type MediaFamily, type ProfileInfo } from "../tables/profiles.js";

export interface MediaIdentity {
  readonly profile: number;
  readonly name: string;
  readonly family: MediaFamily;
  readonly known: boolean;
  /** The medium is recordable at all (write-once or rewritable). */
  readonly writable: boolean;
  readonly rewritable: boolean;
  /** Written front to back (track/session based) rather than at random addresses. */
  readonly sequential: boolean;
  /** The drive can simulate a write (Test Write) on this medium. */
  readonly testWrite: boolean;
  readonly dualLayer: boolean;
}

/** Identifies the medium of a profile; an unknown profile is reported as not writable. */
export function identifyMedia(profile: number): MediaIdentity {
  const info: ProfileInfo | undefined = profileInfo(profile);
  if (info === undefined) {
    return {
      profile,
      name: `Reserved profile ${profile.toString(16).toUpperCase().padStart(4, "0")}h`,
      family: MEDIA_FAMILY.none,
      known: false,
      writable: false,
      rewritable: false,
      sequential: false,
      testWrite: false,
      dualLayer: false,
    };
  }
  return {
    profile,
    name: info.name,
    family: info.family,
    known: true,
    writable: info.kind === MEDIA_KIND.writeOnce || info.kind === MEDIA_KIND.rewritable,
    rewritable: info.kind === MEDIA_KIND.rewritable,
    sequential: info.recording === RECORDING_METHOD.sequential,
    testWrite: info.testWrite,
    dualLayer: info.dualLayer,
  };
}

export function mediaFamilyOf(profile: number): MediaFamily {
  return profileInfo(profile)?.family ?? MEDIA_FAMILY.none;
}

/** Test write (simulation) is defined for CD-R/RW and sequential DVD-R/RW media only. */
export function supportsTestWrite(profile: number): boolean {
  return profileInfo(profile)?.testWrite ?? false;
}
