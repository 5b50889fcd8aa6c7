/**
 * Mode parameter lists of MODE SENSE / MODE SELECT (6) and (10): header, block descriptors and
 * the page list (SPC-4 7.5.4 mode parameter list, 7.5.5 mode parameter header, 7.5.6 block
 * descriptors, 7.5.7 mode page format; MMC-6 7.2).
 *
 * MMC devices use the general block descriptor (density code, 24-bit number of blocks, 24-bit
 * block length); LONGLBA selects the 16-byte form in the (10) header. Pages are kept raw here and
 * decoded by their own codecs (mode-page-*.ts); unknown pages survive a decode/encode unchanged.
 */
import { ByteReader, ByteWriter } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { bit, bits, flag, lengthPrefixed, uint, type Codec, type MaybeTruncated, type Truncation } from "./codec.js";

export interface ModeBlockDescriptor {
  readonly densityCode: number;
  readonly numberOfBlocks: number;
  readonly blockLength: number;
}

/** One mode page as found in a parameter list. `parameters` are the bytes after the page header. */
export interface RawModePage {
  /** Parameters Savable (MODE SENSE only; must be zero in MODE SELECT). */
  readonly ps: boolean;
  /** SubPage Format: the page uses the 4-byte sub-page header. */
  readonly spf: boolean;
  readonly pageCode: number;
  /** 0 when `spf` is false. */
  readonly subpageCode: number;
  readonly parameters: Uint8Array;
  /** Set when the page was cut short by the allocation length. */
  readonly truncated?: Truncation;
}

export interface ModeParameterList extends MaybeTruncated {
  /** Obsolete for MMC (always 0 from current drives), kept for round trips. */
  readonly mediumType: number;
  /** WP bit of the device-specific parameter. */
  readonly writeProtected: boolean;
  /** The other 7 bits of the device-specific parameter. */
  readonly deviceSpecificParameter: number;
  /** LONGLBA: 16-byte block descriptors (MODE SENSE/SELECT (10) only). */
  readonly longLba: boolean;
  readonly blockDescriptors: readonly ModeBlockDescriptor[];
  readonly pages: readonly RawModePage[];
}

const PAGE_LIST = "mode page list";

/**
 * Splits a page area into raw pages. A page running past the end of the data is kept and marked
 * truncated (the allocation length cut it, or the drive overstated it). A page header split by
 * the end is dropped when `complete` is false (data cut short) and malformed otherwise.
 */
export function decodeModePages(bytes: Uint8Array, baseOffset = 0, complete = false): RawModePage[] {
  const pages: RawModePage[] = [];
  let at = 0;
  while (at < bytes.length) {
    const b0 = bytes[at]!;
    const spf = bit(b0, 6);
    const headerSize = spf ? 4 : 2;
    if (at + headerSize > bytes.length) {
      if (complete) throw new MalformedDataError(PAGE_LIST, baseOffset + at, `page header needs ${headerSize} bytes, ${bytes.length - at} remain`);
      break;
    }
    const r = new ByteReader(bytes, PAGE_LIST, baseOffset, at + 1);
    const subpageCode = spf ? r.u8() : 0;
    const pageLength = spf ? r.u16be() : r.u8();
    const start = at + headerSize;
    const end = start + pageLength;
    const page: RawModePage = {
      ps: bit(b0, 7),
      spf,
      pageCode: b0 & 0x3f,
      subpageCode,
      parameters: bytes.slice(start, Math.min(end, bytes.length)),
    };
    if (end > bytes.length) {
      pages.push({ ...page, truncated: { declaredLength: headerSize + pageLength, availableLength: bytes.length - at } });
      break;
    }
    pages.push(page);
    at = end;
  }
  return pages;
}

/** Writes one page with its header (2 bytes, or 4 with SPF). */
export function encodeModePage(page: RawModePage, forModeSelect = false): Uint8Array {
  uint("pageCode", page.pageCode, 6);
  const headerSize = page.spf ? 4 : 2;
  const max = page.spf ? 0xffff : 0xff;
  if (page.parameters.length > max) {
    throw new InvalidArgumentError("parameters", `page ${page.pageCode.toString(16)}h has ${page.parameters.length} bytes; at most ${max} fit`);
  }
  const w = new ByteWriter(headerSize + page.parameters.length);
  w.u8(flag(page.ps && !forModeSelect, 7) | flag(page.spf, 6) | page.pageCode);
  if (page.spf) w.u8(uint("subpageCode", page.subpageCode, 8)).u16be(page.parameters.length);
  else w.u8(page.parameters.length);
  w.raw(page.parameters);
  return w.bytes;
}

/** The whole page (header included) of a raw page, for the typed page codecs. */
export function modePageBytes(page: RawModePage): Uint8Array {
  const headerSize = page.spf ? 4 : 2;
  const declared = page.truncated === undefined ? page.parameters.length : page.truncated.declaredLength - headerSize;
  const out = new Uint8Array(headerSize + page.parameters.length);
  out[0] = flag(page.ps, 7) | flag(page.spf, 6) | (page.pageCode & 0x3f);
  if (page.spf) {
    out[1] = page.subpageCode & 0xff;
    out[2] = (declared >>> 8) & 0xff;
    out[3] = declared & 0xff;
  } else {
    out[1] = declared & 0xff;
  }
  out.set(page.parameters, headerSize);
  return out;
}

/** Turns encoded page bytes (from a typed page codec) into a RawModePage for a parameter list. */
export function rawModePage(pageBytes: Uint8Array): RawModePage {
  const pages = decodeModePages(pageBytes);
  const page = pages[0];
  if (page === undefined || pages.length !== 1 || page.truncated !== undefined) {
    throw new InvalidArgumentError("pageBytes", "is not exactly one complete mode page");
  }
  return page;
}

export function findModePage(list: ModeParameterList, pageCode: number, subpageCode = 0): RawModePage | undefined {
  return list.pages.find((p) => p.pageCode === pageCode && p.subpageCode === subpageCode);
}

function decodeBlockDescriptors(r: ByteReader, start: number, length: number, longLba: boolean, structure: string): ModeBlockDescriptor[] {
  const size = longLba ? 16 : 8;
  if (length % size !== 0) {
    throw new MalformedDataError(structure, start - 2, `block descriptor length ${length} is not a multiple of ${size}`);
  }
  const out: ModeBlockDescriptor[] = [];
  const end = Math.min(start + length, r.bytes.length);
  for (let at = start; at + size <= end; at += size) {
    r.seek(at);
    if (longLba) {
      const numberOfBlocks = r.u64be();
      const densityCode = r.u8();
      r.skip(3);
      out.push({ densityCode, numberOfBlocks, blockLength: r.u32be() });
    } else {
      const densityCode = r.u8();
      const numberOfBlocks = r.u24be();
      r.skip(1);
      out.push({ densityCode, numberOfBlocks, blockLength: r.u24be() });
    }
  }
  return out;
}

function encodeBlockDescriptors(w: ByteWriter, descriptors: readonly ModeBlockDescriptor[], longLba: boolean): void {
  for (const d of descriptors) {
    if (longLba) {
      if (!Number.isSafeInteger(d.numberOfBlocks) || d.numberOfBlocks < 0) {
        throw new InvalidArgumentError("numberOfBlocks", `${d.numberOfBlocks} is not a non-negative safe integer`);
      }
      w.u64be(d.numberOfBlocks).u8(uint("densityCode", d.densityCode, 8)).skip(3).u32be(uint("blockLength", d.blockLength, 32));
    } else {
      w.u8(uint("densityCode", d.densityCode, 8)).u24be(uint("numberOfBlocks", d.numberOfBlocks, 24)).skip(1);
      w.u24be(uint("blockLength", d.blockLength, 24));
    }
  }
}

function decodeList(bytes: Uint8Array, ten: boolean): ModeParameterList {
  const structure = ten ? "mode parameter list (10)" : "mode parameter list (6)";
  const headerSize = ten ? 8 : 4;
  const { reader: r, truncated, declaredLength } = lengthPrefixed(bytes, structure, ten ? 2 : 1, headerSize);
  r.seek(ten ? 2 : 1);
  const mediumType = r.u8();
  const dsp = r.u8();
  let longLba = false;
  let blockDescriptorLength: number;
  if (ten) {
    longLba = bit(r.u8(), 0);
    r.skip(1);
    blockDescriptorLength = r.u16be();
  } else {
    blockDescriptorLength = r.u8();
  }
  const pageStart = headerSize + blockDescriptorLength;
  if (pageStart > declaredLength) {
    throw new MalformedDataError(structure, ten ? 6 : 3, `block descriptor length ${blockDescriptorLength} runs past the mode data (${declaredLength} bytes)`);
  }
  const blockDescriptors = decodeBlockDescriptors(r, headerSize, blockDescriptorLength, longLba, structure);
  const pages = pageStart < r.bytes.length ? decodeModePages(r.bytes.subarray(pageStart), pageStart, truncated === undefined) : [];
  const value: ModeParameterList = {
    mediumType,
    writeProtected: bit(dsp, 7),
    deviceSpecificParameter: bits(dsp, 6, 0),
    longLba,
    blockDescriptors,
    pages,
  };
  return truncated === undefined ? value : { ...value, truncated };
}

function encodeList(value: ModeParameterList, ten: boolean, forModeSelect: boolean): Uint8Array {
  const longLba = ten && value.longLba;
  if (value.longLba && !ten) throw new InvalidArgumentError("longLba", "the (6) header has no LONGLBA bit");
  const headerSize = ten ? 8 : 4;
  const pages = value.pages.map((p) => encodeModePage(p, forModeSelect));
  const bdLength = value.blockDescriptors.length * (longLba ? 16 : 8);
  const total = headerSize + bdLength + pages.reduce((n, p) => n + p.length, 0);
  if (total - (ten ? 2 : 1) > (ten ? 0xffff : 0xff)) {
    throw new InvalidArgumentError("pages", `mode parameter list of ${total} bytes does not fit the ${ten ? 10 : 6}-byte header`);
  }
  const w = new ByteWriter(total);
  const dataLength = forModeSelect ? 0 : total - (ten ? 2 : 1);
  if (ten) w.u16be(dataLength);
  else w.u8(dataLength);
  w.u8(uint("mediumType", value.mediumType, 8));
  w.u8(flag(value.writeProtected, 7) | uint("deviceSpecificParameter", value.deviceSpecificParameter, 7));
  if (ten) w.u8(flag(longLba, 0)).skip(1).u16be(bdLength);
  else w.u8(uint("blockDescriptorLength", bdLength, 8));
  encodeBlockDescriptors(w, value.blockDescriptors, longLba);
  for (const p of pages) w.raw(p);
  return w.bytes;
}

/** MODE SENSE (6) response / MODE SELECT (6) parameter list (SPC-4 7.5.5 table 451). */
export const modeParameterList6Codec: Codec<ModeParameterList> = {
  structure: "mode parameter list (6)",
  decode: (bytes) => decodeList(bytes, false),
  encode: (value) => encodeList(value, false, false),
};

/** MODE SENSE (10) response / MODE SELECT (10) parameter list (SPC-4 7.5.5 table 452). */
export const modeParameterList10Codec: Codec<ModeParameterList> = {
  structure: "mode parameter list (10)",
  decode: (bytes) => decodeList(bytes, true),
  encode: (value) => encodeList(value, true, false),
};

/**
 * Parameter list for MODE SELECT: the mode data length field is reserved (zero) and every PS bit
 * is cleared, as SPC-4 7.5.5 and 7.5.7 require of data sent to the device.
 */
export function encodeModeSelectParameterList(value: ModeParameterList, form: 6 | 10 = 10): Uint8Array {
  return encodeList(value, form === 10, true);
}

export interface ModePageFrame {
  readonly reader: ByteReader;
  readonly ps: boolean;
  readonly pageLength: number;
  readonly truncated?: Truncation;
}

/**
 * Opens one page (header included) for a typed page codec: checks the page code, that the page
 * is not in sub-page format, and that `minimumLength` parameter bytes are present.
 */
export function openModePage(bytes: Uint8Array, structure: string, pageCode: number, minimumLength: number): ModePageFrame {
  if (bytes.length < 2) throw new MalformedDataError(structure, bytes.length, `needs a 2-byte page header, got ${bytes.length}`);
  const b0 = bytes[0]!;
  if ((b0 & 0x3f) !== pageCode) {
    throw new MalformedDataError(structure, 0, `page code ${(b0 & 0x3f).toString(16)}h, expected ${pageCode.toString(16)}h`);
  }
  if (bit(b0, 6)) throw new MalformedDataError(structure, 0, "SPF set; this page has no sub-page format");
  const pageLength = bytes[1]!;
  if (pageLength < minimumLength) {
    throw new MalformedDataError(structure, 1, `page length ${pageLength}; the page needs at least ${minimumLength}`);
  }
  const declaredLength = 2 + pageLength;
  const available = Math.min(bytes.length, declaredLength);
  if (available < 2 + minimumLength) {
    throw new MalformedDataError(structure, available, `only ${available - 2} of at least ${minimumLength} parameter byte(s) present`);
  }
  const frame = { reader: new ByteReader(bytes.subarray(0, available), structure), ps: bit(b0, 7), pageLength };
  return bytes.length < declaredLength ? { ...frame, truncated: { declaredLength, availableLength: bytes.length } } : frame;
}

/** Header byte 0 of a page being encoded. */
export function modePageByte0(pageCode: number, ps: boolean | undefined): number {
  return flag(ps, 7) | pageCode;
}
