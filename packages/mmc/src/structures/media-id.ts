/**
 * The "Media ID" of recordable DVD and BD media, as dvd+rw-mediainfo shows it: the
 * manufacturer and media type identifiers recorded in the pre-groove / lead-in.
 * - DVD+R/+RW: ADIP (READ DISC STRUCTURE 11h) manufacturer ID "/" media type ID, e.g. "RICOHJPN/R03".
 * - DVD-R/-RW: pre-recorded information (0Eh) fields 3 and 4 joined, e.g. "MCC 03RG20".
 * - BD-R/RE: disc information unit manufacturer ID "/" media type ID, e.g. "VERBAT/IMe".
 */
import type { BdDiscInformation } from "./bd-disc-information.js";
import type { DvdAdipInformation } from "./dvd-adip.js";
import { dvdMinusManufacturerId, type DvdPreRecordedInformation } from "./dvd-pre-recorded.js";

export interface MediaIdentifier {
  readonly manufacturerId: string;
  readonly mediaTypeId: string | undefined;
  readonly productRevision: number | undefined;
  /** The combined form tools print. */
  readonly text: string;
}

export type MediaIdSource =
  | { readonly kind: "dvd+adip"; readonly structure: DvdAdipInformation }
  | { readonly kind: "dvd-pre-recorded"; readonly structure: DvdPreRecordedInformation }
  | { readonly kind: "bd-disc-information"; readonly structure: BdDiscInformation };

/** The media identifier, or undefined when the structure does not carry one (pressed media, missing fields). */
export function mediaIdentifier(source: MediaIdSource): MediaIdentifier | undefined {
  switch (source.kind) {
    case "dvd+adip": {
      const s = source.structure;
      if (s.manufacturerId === "") return undefined;
      return { manufacturerId: s.manufacturerId, mediaTypeId: s.mediaTypeId, productRevision: s.productRevision, text: `${s.manufacturerId}/${s.mediaTypeId}` };
    }
    case "dvd-pre-recorded": {
      const id = dvdMinusManufacturerId(source.structure);
      if (id === undefined || id === "") return undefined;
      return { manufacturerId: id, mediaTypeId: undefined, productRevision: undefined, text: id };
    }
    case "bd-disc-information": {
      const id = source.structure.units.find((u) => u.identification !== undefined)?.identification;
      if (id === undefined || id.manufacturerId === "") return undefined;
      return { manufacturerId: id.manufacturerId, mediaTypeId: id.mediaTypeId, productRevision: id.productRevision, text: `${id.manufacturerId}/${id.mediaTypeId}` };
    }
  }
}
