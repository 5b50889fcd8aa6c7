/**
 * INQUIRY Vital Product Data pages (SPC-4 7.8): 00h Supported VPD Pages (7.8.14), 80h Unit
 * Serial Number (7.8.15) and 83h Device Identification (7.8.6).
 *
 * Every page starts with a 4-byte header whose PAGE LENGTH counts the bytes after it. A page cut
 * short by the allocation length decodes its complete entries and sets `truncated`.
 */
import { ByteReader, ByteWriter } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { CODE_SET, DESIGNATOR_TYPE, VPD_PAGE } from "../tables/inquiry.js";
import { bit, bits, flag, latin1Field, latin1Trimmed, uint, type Codec, type Truncation } from "./codec-util.js";

export interface VpdPageHeader {
  readonly peripheralQualifier: number;
  readonly peripheralDeviceType: number;
}

export interface SupportedVpdPages extends VpdPageHeader {
  readonly pages: readonly number[];
  readonly truncated?: Truncation;
}

export interface UnitSerialNumberPage extends VpdPageHeader {
  /** PRODUCT SERIAL NUMBER, trailing spaces and NULs removed (often right-aligned, so leading spaces kept). */
  readonly serialNumber: string;
  readonly truncated?: Truncation;
}

/** One designation descriptor of the Device Identification page. */
export interface DesignationDescriptor {
  /** Meaningful only when `piv` is set and the association is target port or target device. */
  readonly protocolIdentifier: number;
  /** 1 binary, 2 ASCII, 3 UTF-8. */
  readonly codeSet: number;
  /** Protocol identifier valid. */
  readonly piv: boolean;
  /** 0 logical unit, 1 target port, 2 target device. */
  readonly association: number;
  readonly designatorType: number;
  readonly designator: Uint8Array;
}

export interface DeviceIdentificationPage extends VpdPageHeader {
  readonly descriptors: readonly DesignationDescriptor[];
  readonly truncated?: Truncation;
}

interface Frame {
  readonly header: VpdPageHeader;
  /** Reader over the page body (after the 4-byte header), limited to what is present. */
  readonly body: ByteReader;
  readonly truncated?: Truncation;
}

function openPage(bytes: Uint8Array, structure: string, pageCode: number): Frame {
  if (bytes.length < 4) throw new MalformedDataError(structure, bytes.length, `needs a 4-byte header, got ${bytes.length}`);
  if (bytes[1] !== pageCode) {
    throw new MalformedDataError(structure, 1, `page code ${bytes[1]!.toString(16)}h, expected ${pageCode.toString(16)}h`);
  }
  const declaredLength = 4 + ((bytes[2]! << 8) | bytes[3]!);
  const end = Math.min(bytes.length, declaredLength);
  const header = { peripheralQualifier: bits(bytes[0]!, 7, 5), peripheralDeviceType: bits(bytes[0]!, 4, 0) };
  const body = new ByteReader(bytes.subarray(4, end), structure, 4);
  return bytes.length < declaredLength
    ? { header, body, truncated: { declaredLength, availableLength: bytes.length } }
    : { header, body };
}

function pageBytes(header: VpdPageHeader, pageCode: number, body: Uint8Array): Uint8Array {
  if (body.length > 0xffff) throw new InvalidArgumentError("VPD page", `body of ${body.length} bytes exceeds 65535`);
  const w = new ByteWriter(4 + body.length);
  w.u8((uint("peripheralQualifier", header.peripheralQualifier, 3) << 5) | uint("peripheralDeviceType", header.peripheralDeviceType, 5));
  w.u8(pageCode).u16be(body.length).raw(body);
  return w.bytes;
}

const withTruncation = <T extends object>(value: T, truncated: Truncation | undefined): T & { truncated?: Truncation } =>
  truncated ? { ...value, truncated } : value;

export const supportedVpdPagesCodec: Codec<SupportedVpdPages> = {
  structure: "Supported VPD Pages",
  decode(bytes) {
    const f = openPage(bytes, "Supported VPD Pages", VPD_PAGE.supportedPages);
    return withTruncation({ ...f.header, pages: Array.from(f.body.bytes) }, f.truncated);
  },
  encode(v) {
    return pageBytes(v, VPD_PAGE.supportedPages, Uint8Array.from(v.pages, (p) => uint("page", p, 8)));
  },
};

export const unitSerialNumberCodec: Codec<UnitSerialNumberPage> = {
  structure: "Unit Serial Number VPD page",
  decode(bytes) {
    const f = openPage(bytes, "Unit Serial Number VPD page", VPD_PAGE.unitSerialNumber);
    return withTruncation({ ...f.header, serialNumber: latin1Trimmed(f.body.bytes) }, f.truncated);
  },
  encode(v) {
    // Latin-1 like the decoder, so whatever a drive reported can be served back unchanged.
    return pageBytes(v, VPD_PAGE.unitSerialNumber, latin1Field("serialNumber", v.serialNumber, v.serialNumber.length));
  },
};

export const deviceIdentificationCodec: Codec<DeviceIdentificationPage> = {
  structure: "Device Identification VPD page",
  decode(bytes) {
    const f = openPage(bytes, "Device Identification VPD page", VPD_PAGE.deviceIdentification);
    const r = f.body;
    const descriptors: DesignationDescriptor[] = [];
    while (r.remaining > 0) {
      const at = r.offset;
      if (r.remaining < 4 || r.remaining < 4 + r.bytes[at + 3]!) {
        if (f.truncated) break; // the allocation length cut the last descriptor
        r.fail(`designation descriptor overruns the page (${r.remaining} byte(s) left)`, at);
      }
      const b0 = r.u8();
      const b1 = r.u8();
      r.skip(1);
      const length = r.u8();
      descriptors.push({
        protocolIdentifier: bits(b0, 7, 4),
        codeSet: bits(b0, 3, 0),
        piv: bit(b1, 7),
        association: bits(b1, 5, 4),
        designatorType: bits(b1, 3, 0),
        designator: r.bytesView(length).slice(),
      });
    }
    return withTruncation({ ...f.header, descriptors }, f.truncated);
  },
  encode(v) {
    const parts = v.descriptors.map((d) => {
      if (d.designator.length > 0xff) throw new InvalidArgumentError("designator", `${d.designator.length} bytes exceeds 255`);
      const w = new ByteWriter(4 + d.designator.length);
      w.u8((uint("protocolIdentifier", d.protocolIdentifier, 4) << 4) | uint("codeSet", d.codeSet, 4));
      w.u8(flag(d.piv, 7) | (uint("association", d.association, 2) << 4) | uint("designatorType", d.designatorType, 4));
      w.u8(0).u8(d.designator.length).raw(d.designator);
      return w.bytes;
    });
    const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let off = 0;
    for (const p of parts) {
      body.set(p, off);
      off += p.length;
    }
    return pageBytes(v, VPD_PAGE.deviceIdentification, body);
  },
};

/** A designator in a readable form, where SPC-4 makes that simple. */
export type DesignatorInterpretation =
  | { readonly kind: "t10VendorId"; readonly vendor: string; readonly vendorSpecific: string }
  | { readonly kind: "eui64"; readonly hex: string }
  | { readonly kind: "naa"; readonly naa: number; readonly hex: string }
  | { readonly kind: "scsiName"; readonly name: string }
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "binary"; readonly hex: string };

const hexOf = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const textOf = (b: Uint8Array, utf8: boolean): string =>
  utf8 ? new TextDecoder("utf-8", { fatal: false }).decode(b).replace(/\0+$/, "") : latin1Trimmed(b);

export function interpretDesignator(d: DesignationDescriptor): DesignatorInterpretation {
  const text = d.codeSet === CODE_SET.ascii || d.codeSet === CODE_SET.utf8;
  switch (d.designatorType) {
    case DESIGNATOR_TYPE.t10VendorId:
      if (text && d.designator.length >= 8) {
        return {
          kind: "t10VendorId",
          vendor: latin1Trimmed(d.designator.subarray(0, 8)),
          vendorSpecific: textOf(d.designator.subarray(8), d.codeSet === CODE_SET.utf8),
        };
      }
      break;
    case DESIGNATOR_TYPE.eui64:
      if (d.codeSet === CODE_SET.binary) return { kind: "eui64", hex: hexOf(d.designator) };
      break;
    case DESIGNATOR_TYPE.naa:
      if (d.codeSet === CODE_SET.binary && d.designator.length > 0) {
        return { kind: "naa", naa: d.designator[0]! >>> 4, hex: hexOf(d.designator) };
      }
      break;
    case DESIGNATOR_TYPE.scsiNameString:
      if (text) return { kind: "scsiName", name: textOf(d.designator, true) };
      break;
  }
  return text ? { kind: "text", text: textOf(d.designator, d.codeSet === CODE_SET.utf8) } : { kind: "binary", hex: hexOf(d.designator) };
}
