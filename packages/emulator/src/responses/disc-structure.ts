/**
 * READ DISC STRUCTURE (MMC-6 6.22) responses, encoded by the mmc package's codecs: DVD format 00h
 * physical format information, 01h copyright information, 0Eh pre-recorded information (DVD-R/-RW
 * manufacturer ID), 11h ADIP information (DVD+R/+RW manufacturer, media type, revision) and FFh
 * structure list; BD format 00h disc information (with the BD-R/RE manufacturer identification)
 * and FFh structure list; C0h write protection status for both.
 */
import {
  BD_DISC_TYPE_ID,
  DVD_BOOK_TYPE,
  bdDiscInformationCodec,
  blankMediaSpecific,
  discStructureListCodec,
  dvdAdipInformationCodec,
  dvdCopyrightCodec,
  dvdPreRecordedInformationCodec,
  dvdPreRecordedWithManufacturer,
  dvdPhysicalFormatCodec,
  writeProtectionStatusCodec,
  WRITE_PROTECTION_STATUS_FORMAT,
} from "@discforge/mmc";
import type { MediaId } from "../media.js";
import type { DiscModel } from "../disc.js";

const BOOK_TYPE: Partial<Record<MediaId, number>> = {
  "dvd-rom": DVD_BOOK_TYPE.dvdRom,
  "dvd-ram": DVD_BOOK_TYPE.dvdRam,
  "dvd-r": DVD_BOOK_TYPE.dvdR,
  "dvd-rw": DVD_BOOK_TYPE.dvdRw,
  "dvd+rw": DVD_BOOK_TYPE.dvdPlusRw,
  "dvd+r": DVD_BOOK_TYPE.dvdPlusR,
  "dvd+r-dl": DVD_BOOK_TYPE.dvdPlusRDl,
};
/** Layer type bits: 1 embossed, 2 recordable, 4 rewritable. */
const LAYER_TYPE: Partial<Record<MediaId, number>> = { "dvd-rom": 1, "dvd-ram": 4, "dvd-r": 2, "dvd-rw": 4, "dvd+rw": 4, "dvd+r": 2, "dvd+r-dl": 2 };
const DATA_START_PSN = 0x030000;
/** DVD format 0Eh (pre-recorded information, DVD-R/-RW) and 11h (ADIP, DVD+R/+RW). */
const PRE_RECORDED_FORMAT = 0x0e;
const ADIP_FORMAT = 0x11;
const MINUS_MEDIA: ReadonlySet<MediaId> = new Set(["dvd-r", "dvd-rw"]);
/** ADIP disc category (book type): DVD+RW 9, DVD+R Ah, DVD+R DL Eh. */
const ADIP_CATEGORY: Partial<Record<MediaId, number>> = { "dvd+rw": 0x9, "dvd+r": 0xa, "dvd+r-dl": 0xe };

export function encodeDvdStructure(disc: DiscModel, format: number, layer: number): Uint8Array | undefined {
  const media = disc.state.media;
  if (format === 0x00) {
    if (layer >= disc.spec.layers) return undefined;
    const sectors = disc.rom ? disc.state.capacity : disc.spec.capacity;
    const dual = disc.spec.layers > 1;
    const perLayer = dual ? Math.ceil(sectors / 2) : sectors;
    return dvdPhysicalFormatCodec.encode({
      bookType: BOOK_TYPE[media] ?? DVD_BOOK_TYPE.dvdRom,
      partVersion: media === "dvd+r-dl" ? 1 : 2,
      discSize: 0, // 120 mm
      maximumRate: 0x0f, // not specified
      numberOfLayers: disc.spec.layers,
      oppositeTrackPath: dual,
      layerType: LAYER_TYPE[media] ?? 1,
      linearDensity: 1, // 0.293 µm/bit
      trackDensity: 0, // 0.74 µm/track
      startingPhysicalSector: DATA_START_PSN,
      // Opposite track path: the end PSN is the complement of layer 0's last PSN (MMC-6 Table 425).
      endPhysicalSector: dual ? ~(DATA_START_PSN + perLayer - 1) & 0xffffff : DATA_START_PSN + sectors - 1,
      endPhysicalSectorInLayer0: dual ? DATA_START_PSN + perLayer - 1 : 0,
      bca: false,
      mediaSpecific: blankMediaSpecific(),
    });
  }
  if (format === 0x01) return dvdCopyrightCodec.encode({ copyrightProtectionSystemType: 0, regionManagementInformation: 0 });
  const id = disc.state.mediaIdentity;
  if (format === PRE_RECORDED_FORMAT) {
    if (!MINUS_MEDIA.has(media) || !id) return undefined;
    return dvdPreRecordedInformationCodec.encode(dvdPreRecordedWithManufacturer(id.manufacturerId));
  }
  if (format === ADIP_FORMAT) {
    const category = ADIP_CATEGORY[media];
    if (category === undefined || !id) return undefined;
    return dvdAdipInformationCodec.encode({
      discCategory: category,
      version: media === "dvd+r-dl" ? 1 : 0,
      discSize: 0, // 120 mm
      maximumRate: 0x0f, // not specified
      manufacturerId: id.manufacturerId,
      mediaTypeId: id.mediaTypeId,
      productRevision: id.productRevision,
      data: new Uint8Array(256),
    });
  }
  if (format === WRITE_PROTECTION_STATUS_FORMAT) return writeProtection(disc);
  if (format === 0xff) {
    const extra = MINUS_MEDIA.has(media) ? [PRE_RECORDED_FORMAT] : ADIP_CATEGORY[media] !== undefined ? [ADIP_FORMAT] : [];
    return structureList([0x00, 0x01, ...extra, WRITE_PROTECTION_STATUS_FORMAT, 0xff]);
  }
  return undefined;
}

export function encodeBdStructure(disc: DiscModel, format: number): Uint8Array | undefined {
  if (format === 0x00) {
    const media = disc.state.media;
    const discTypeId = media === "bd-re" ? BD_DISC_TYPE_ID.rewritable : media === "bd-r" ? BD_DISC_TYPE_ID.recordable : BD_DISC_TYPE_ID.rom;
    return bdDiscInformationCodec.encode({
      units: [
        {
          diFormat: 1,
          unitsPerBlock: 1,
          layerInBlock: 0,
          legacy: 0,
          sequenceNumber: 0,
          continuation: false,
          bytesInUse: discTypeId === BD_DISC_TYPE_ID.rom ? 64 : 112,
          discTypeId,
          discSize: 0,
          discClass: 0,
          discVersion: 1,
          numberOfLayers: 1,
          layerType: media === "bd-re" ? 4 : media === "bd-r" ? 2 : 1,
          hybridAndChannel: 0x01, // 74.5 nm channel bit: 25 GB per layer
          polarity: 0,
          bca: 0,
          maximumTransferRate: 0,
          lastUserDataPsn: 0,
          firstAun: 0x00100000,
          lastAun: 0x00100000 + disc.spec.capacity * 2 - 2,
          formatDependent: new Uint8Array(discTypeId === BD_DISC_TYPE_ID.rom ? 32 : 68),
          ...(discTypeId !== BD_DISC_TYPE_ID.rom && disc.state.mediaIdentity
            ? { identification: { manufacturerId: disc.state.mediaIdentity.manufacturerId, mediaTypeId: disc.state.mediaIdentity.mediaTypeId, timestamp: 0, productRevision: disc.state.mediaIdentity.productRevision } }
            : {}),
        },
      ],
    });
  }
  if (format === WRITE_PROTECTION_STATUS_FORMAT) return writeProtection(disc);
  if (format === 0xff) return structureList([0x00, WRITE_PROTECTION_STATUS_FORMAT, 0xff]);
  return undefined;
}

/** Pressed media are inhibited by their nature (MSWI); a protected recordable disc reports PWP. */
function writeProtection(disc: DiscModel): Uint8Array {
  const rom = disc.spec.recording === "rom";
  return writeProtectionStatusCodec.encode({ mswi: rom, cwp: false, pwp: !rom && disc.state.writeProtected, swpp: false });
}

/** Response lengths (header included) listed in the FFh structure list. */
const STRUCTURE_LENGTH: Readonly<Record<number, number>> = { 0x00: 2052, [PRE_RECORDED_FORMAT]: 44, [ADIP_FORMAT]: 260, [WRITE_PROTECTION_STATUS_FORMAT]: 8 };

function structureList(formats: readonly number[]): Uint8Array {
  return discStructureListCodec.encode({
    entries: formats.map((formatCode) => ({ formatCode, sds: false, rds: true, structureLength: STRUCTURE_LENGTH[formatCode] ?? 0 })),
  });
}
