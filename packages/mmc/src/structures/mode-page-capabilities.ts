/**
 * Mode page 2Ah, MM Capabilities and Mechanical Status (MMC-3 5.5.10 / MMC-4 layout; removed from
 * MMC-5 and later, where GET CONFIGURATION replaces it, but every drive still reports it).
 *
 * Bytes 2-7 are capability bits, 8-9 maximum read speed (obsolete), 10-11 number of volume
 * levels, 12-13 buffer size (KB), 14-15 current read speed (obsolete), 17 digital audio format
 * bits, 18-19 maximum write speed (obsolete), 20-21 current write speed (obsolete), 22-23 copy
 * management revision, 27 rotation control selected, 28-29 current write speed selected,
 * 30-31 number of write speed performance descriptors, then 4-byte descriptors (rotation control,
 * write speed). Speeds are kB/s (1000 bytes). MMC-2 drives stop after byte 21 (page length 14h)
 * or 23 (18h); absent fields decode as undefined.
 */
import { ByteWriter } from "@discforge/bytes";
import { InvalidArgumentError } from "@discforge/errors";
import { bit, bits, flag, u8At, u16At, uint, type Codec, type MaybeTruncated } from "./codec.js";
import { modePageByte0, openModePage } from "./mode-parameters.js";

export const CAPABILITIES_PAGE_CODE = 0x2a;


/** Rotation Control (CLV/CAV) of a write speed descriptor and of "rotation control selected". */
export const ROTATION_CONTROL = { clv: 0, cav: 1 } as const;

export interface WriteSpeedPerformanceDescriptor {
  /** See ROTATION_CONTROL (3 bits). */
  readonly rotationControl: number;
  /** kB/s. */
  readonly writeSpeed: number;
}

export interface CapabilitiesPage extends MaybeTruncated {
  readonly ps: boolean;
  // byte 2: read capabilities
  readonly dvdRamRead: boolean;
  readonly dvdRRead: boolean;
  readonly dvdRomRead: boolean;
  /** Reads fixed-packet CD-R/RW media (addressing method 2). */
  readonly method2: boolean;
  readonly cdRwRead: boolean;
  readonly cdRRead: boolean;
  // byte 3: write capabilities
  readonly dvdRamWrite: boolean;
  readonly dvdRWrite: boolean;
  readonly testWrite: boolean;
  readonly cdRwWrite: boolean;
  readonly cdRWrite: boolean;
  // byte 4
  /** Buffer underrun protection (BUF). */
  readonly buf: boolean;
  readonly multiSession: boolean;
  readonly mode2Form2: boolean;
  readonly mode2Form1: boolean;
  readonly digitalPort2: boolean;
  readonly digitalPort1: boolean;
  readonly composite: boolean;
  readonly audioPlay: boolean;
  // byte 5
  readonly readBarCode: boolean;
  readonly upc: boolean;
  readonly isrc: boolean;
  readonly c2PointersSupported: boolean;
  readonly rwDeinterleavedCorrected: boolean;
  readonly rwSupported: boolean;
  readonly cdDaStreamAccurate: boolean;
  readonly cdDaCommandsSupported: boolean;
  // byte 6
  /** See LOADING_MECHANISM. */
  readonly loadingMechanismType: number;
  readonly eject: boolean;
  readonly preventJumper: boolean;
  readonly lockState: boolean;
  readonly lock: boolean;
  // byte 7
  readonly rwInLeadIn: boolean;
  readonly sideChangeCapable: boolean;
  readonly softwareSlotSelection: boolean;
  readonly changerSupportsDiscPresent: boolean;
  readonly separateChannelMute: boolean;
  readonly separateVolumeLevels: boolean;
  /** kB/s, obsolete field. */
  readonly maximumReadSpeed: number;
  readonly numberOfVolumeLevels: number;
  /** KB (1024 bytes). */
  readonly bufferSize: number;
  /** kB/s, obsolete field. */
  readonly currentReadSpeed: number;
  /** Byte 17: digital audio output format (Length, LSBF, RCK, BCKF), raw. */
  readonly digitalOutputFormat: number;
  /** kB/s, obsolete field. */
  readonly maximumWriteSpeed: number;
  /** kB/s, obsolete field (bytes 20-21). */
  readonly currentWriteSpeedObsolete: number;
  readonly copyManagementRevision?: number;
  readonly rotationControlSelected?: number;
  /** kB/s (bytes 28-29). */
  readonly currentWriteSpeed?: number;
  /** Descriptors present (the count field can claim more than the page holds when cut short). */
  readonly writeSpeedDescriptors?: readonly WriteSpeedPerformanceDescriptor[];
  /** Bytes 16 and 24-26 as sent (reserved), kept so that drive quirks survive a round trip. */
  readonly reserved: Uint8Array;
}

const STRUCTURE = "mode page 2Ah (MM Capabilities and Mechanical Status)";

function decode(bytes: Uint8Array): CapabilitiesPage {
  const { reader: r, ps, truncated } = openModePage(bytes, STRUCTURE, CAPABILITIES_PAGE_CODE, 0x14);
  const b = (i: number): number => u8At(r, i);
  const end = r.bytes.length;
  const [b2, b3, b4, b5, b6, b7] = [b(2), b(3), b(4), b(5), b(6), b(7)];
  let tail: Partial<CapabilitiesPage> = {};
  if (end >= 24) tail = { ...tail, copyManagementRevision: u16At(r, 22) };
  if (end >= 28) tail = { ...tail, rotationControlSelected: bits(b(27), 1, 0) };
  if (end >= 30) tail = { ...tail, currentWriteSpeed: u16At(r, 28) };
  let descriptorsTruncated = false;
  if (end >= 32) {
    const count = u16At(r, 30);
    const descriptors: WriteSpeedPerformanceDescriptor[] = [];
    for (let i = 0; i < count; i++) {
      const at = 32 + i * 4;
      if (at + 4 > end) {
        descriptorsTruncated = true;
        break;
      }
      descriptors.push({ rotationControl: bits(b(at + 1), 2, 0), writeSpeed: u16At(r, at + 2) });
    }
    tail = { ...tail, writeSpeedDescriptors: descriptors };
  }
  const reserved = new Uint8Array(4);
  reserved[0] = b(16);
  for (let i = 24; i < 27 && i < end; i++) reserved[i - 23] = b(i);
  const page: CapabilitiesPage = {
    ps,
    dvdRamRead: bit(b2, 5),
    dvdRRead: bit(b2, 4),
    dvdRomRead: bit(b2, 3),
    method2: bit(b2, 2),
    cdRwRead: bit(b2, 1),
    cdRRead: bit(b2, 0),
    dvdRamWrite: bit(b3, 5),
    dvdRWrite: bit(b3, 4),
    testWrite: bit(b3, 2),
    cdRwWrite: bit(b3, 1),
    cdRWrite: bit(b3, 0),
    buf: bit(b4, 7),
    multiSession: bit(b4, 6),
    mode2Form2: bit(b4, 5),
    mode2Form1: bit(b4, 4),
    digitalPort2: bit(b4, 3),
    digitalPort1: bit(b4, 2),
    composite: bit(b4, 1),
    audioPlay: bit(b4, 0),
    readBarCode: bit(b5, 7),
    upc: bit(b5, 6),
    isrc: bit(b5, 5),
    c2PointersSupported: bit(b5, 4),
    rwDeinterleavedCorrected: bit(b5, 3),
    rwSupported: bit(b5, 2),
    cdDaStreamAccurate: bit(b5, 1),
    cdDaCommandsSupported: bit(b5, 0),
    loadingMechanismType: bits(b6, 7, 5),
    eject: bit(b6, 3),
    preventJumper: bit(b6, 2),
    lockState: bit(b6, 1),
    lock: bit(b6, 0),
    rwInLeadIn: bit(b7, 5),
    sideChangeCapable: bit(b7, 4),
    softwareSlotSelection: bit(b7, 3),
    changerSupportsDiscPresent: bit(b7, 2),
    separateChannelMute: bit(b7, 1),
    separateVolumeLevels: bit(b7, 0),
    maximumReadSpeed: u16At(r, 8),
    numberOfVolumeLevels: u16At(r, 10),
    bufferSize: u16At(r, 12),
    currentReadSpeed: u16At(r, 14),
    digitalOutputFormat: b(17),
    maximumWriteSpeed: u16At(r, 18),
    currentWriteSpeedObsolete: u16At(r, 20),
    ...tail,
    reserved,
  };
  if (truncated !== undefined) return { ...page, truncated };
  if (descriptorsTruncated) {
    // The count claims more descriptors than the page length covers: report it as cut short.
    return { ...page, truncated: { declaredLength: 32 + u16At(r, 30) * 4, availableLength: end } };
  }
  return page;
}

function encode(v: CapabilitiesPage): Uint8Array {
  // The shortest layout that carries every field present.
  let size = 22;
  if (v.copyManagementRevision !== undefined) size = 24;
  if (v.rotationControlSelected !== undefined || v.currentWriteSpeed !== undefined) size = 30;
  if (v.writeSpeedDescriptors !== undefined) size = 32 + v.writeSpeedDescriptors.length * 4;
  uint("page length", size - 2, 8);
  if (v.reserved.length !== 4) throw new InvalidArgumentError("reserved", `must be 4 bytes, got ${v.reserved.length}`);
  const w = new ByteWriter(size);
  w.u8(modePageByte0(CAPABILITIES_PAGE_CODE, v.ps)).u8(size - 2);
  w.u8(flag(v.dvdRamRead, 5) | flag(v.dvdRRead, 4) | flag(v.dvdRomRead, 3) | flag(v.method2, 2) | flag(v.cdRwRead, 1) | flag(v.cdRRead, 0));
  w.u8(flag(v.dvdRamWrite, 5) | flag(v.dvdRWrite, 4) | flag(v.testWrite, 2) | flag(v.cdRwWrite, 1) | flag(v.cdRWrite, 0));
  w.u8(
    flag(v.buf, 7) | flag(v.multiSession, 6) | flag(v.mode2Form2, 5) | flag(v.mode2Form1, 4) |
      flag(v.digitalPort2, 3) | flag(v.digitalPort1, 2) | flag(v.composite, 1) | flag(v.audioPlay, 0),
  );
  w.u8(
    flag(v.readBarCode, 7) | flag(v.upc, 6) | flag(v.isrc, 5) | flag(v.c2PointersSupported, 4) |
      flag(v.rwDeinterleavedCorrected, 3) | flag(v.rwSupported, 2) | flag(v.cdDaStreamAccurate, 1) | flag(v.cdDaCommandsSupported, 0),
  );
  w.u8((uint("loadingMechanismType", v.loadingMechanismType, 3) << 5) | flag(v.eject, 3) | flag(v.preventJumper, 2) | flag(v.lockState, 1) | flag(v.lock, 0));
  w.u8(
    flag(v.rwInLeadIn, 5) | flag(v.sideChangeCapable, 4) | flag(v.softwareSlotSelection, 3) |
      flag(v.changerSupportsDiscPresent, 2) | flag(v.separateChannelMute, 1) | flag(v.separateVolumeLevels, 0),
  );
  w.u16be(uint("maximumReadSpeed", v.maximumReadSpeed, 16)).u16be(uint("numberOfVolumeLevels", v.numberOfVolumeLevels, 16));
  w.u16be(uint("bufferSize", v.bufferSize, 16)).u16be(uint("currentReadSpeed", v.currentReadSpeed, 16));
  w.u8(v.reserved[0]!).u8(uint("digitalOutputFormat", v.digitalOutputFormat, 8));
  w.u16be(uint("maximumWriteSpeed", v.maximumWriteSpeed, 16)).u16be(uint("currentWriteSpeedObsolete", v.currentWriteSpeedObsolete, 16));
  if (size >= 24) w.u16be(uint("copyManagementRevision", v.copyManagementRevision ?? 0, 16));
  if (size >= 30) {
    w.u8(v.reserved[1]!).u8(v.reserved[2]!).u8(v.reserved[3]!);
    w.u8(uint("rotationControlSelected", v.rotationControlSelected ?? 0, 2)).u16be(uint("currentWriteSpeed", v.currentWriteSpeed ?? 0, 16));
  }
  if (v.writeSpeedDescriptors !== undefined) {
    w.u16be(uint("number of write speed descriptors", v.writeSpeedDescriptors.length, 16));
    for (const d of v.writeSpeedDescriptors) {
      w.skip(1).u8(uint("rotationControl", d.rotationControl, 3)).u16be(uint("writeSpeed", d.writeSpeed, 16));
    }
  }
  return w.bytes;
}

export const capabilitiesPageCodec: Codec<CapabilitiesPage> = { structure: STRUCTURE, decode, encode };
