/**
 * sg_io_hdr (version 3 interface of the Linux SCSI generic driver), include/scsi/sg.h
 * "typedef struct sg_io_hdr". One codec for both pointer sizes; on x86-64/arm64 the structure is
 * 88 bytes, on i386/arm 64 bytes. Fields keep the C names, camelCased. Little-endian hosts only
 * (every Linux target we run on).
 *
 * Layout (offsets for 8-byte / 4-byte pointers):
 *   interfaceId int 0/0, dxferDirection int 4/4, cmdLen u8 8/8, mxSbLen u8 9/9,
 *   iovecCount u16 10/10, dxferLen u32 12/12, dxferp ptr 16/16, cmdp ptr 24/20, sbp ptr 32/24,
 *   timeout u32 40/28, flags u32 44/32, packId int 48/36, usrPtr ptr 56/40, status u8 64/44,
 *   maskedStatus u8 65/45, msgStatus u8 66/46, sbLenWr u8 67/47, hostStatus u16 68/48,
 *   driverStatus u16 70/50, resid int 72/52, duration u32 76/56, info u32 80/60.
 */
import { InvalidArgumentError } from "@discforge/errors";

export type PointerSize = 4 | 8;

export interface SgIoHdrIn {
  readonly dxferDirection: number;
  readonly cmdLen: number;
  readonly mxSbLen: number;
  readonly dxferLen: number;
  readonly dxferp: bigint;
  readonly cmdp: bigint;
  readonly sbp: bigint;
  /** Milliseconds. */
  readonly timeout: number;
  readonly flags: number;
  readonly packId: number;
}

export interface SgIoHdrOut {
  readonly status: number;
  readonly maskedStatus: number;
  readonly msgStatus: number;
  readonly sbLenWr: number;
  readonly hostStatus: number;
  readonly driverStatus: number;
  readonly resid: number;
  /** Milliseconds. */
  readonly duration: number;
  readonly info: number;
}

interface Offsets {
  readonly size: number;
  readonly dxferp: number;
  readonly cmdp: number;
  readonly sbp: number;
  readonly timeout: number;
  readonly flags: number;
  readonly packId: number;
  readonly usrPtr: number;
  readonly status: number;
  readonly hostStatus: number;
  readonly driverStatus: number;
  readonly resid: number;
  readonly duration: number;
  readonly info: number;
}

export const SG_IO_HDR_LAYOUT: Readonly<Record<PointerSize, Offsets>> = {
  8: { size: 88, dxferp: 16, cmdp: 24, sbp: 32, timeout: 40, flags: 44, packId: 48, usrPtr: 56, status: 64, hostStatus: 68, driverStatus: 70, resid: 72, duration: 76, info: 80 },
  4: { size: 64, dxferp: 16, cmdp: 20, sbp: 24, timeout: 28, flags: 32, packId: 36, usrPtr: 40, status: 44, hostStatus: 48, driverStatus: 50, resid: 52, duration: 56, info: 60 },
};

function writePointer(view: DataView, offset: number, value: bigint, pointerSize: PointerSize): void {
  if (pointerSize === 8) view.setBigUint64(offset, value, true);
  else {
    if (value > 0xffffffffn) throw new InvalidArgumentError("pointer", `0x${value.toString(16)} does not fit 32 bits`);
    view.setUint32(offset, Number(value), true);
  }
}

export const sgIoHdr = {
  size(pointerSize: PointerSize): number {
    return SG_IO_HDR_LAYOUT[pointerSize].size;
  },

  /** Writes the input fields (and zeroes the output fields) into `target`. */
  encode(fields: SgIoHdrIn, pointerSize: PointerSize, target: Uint8Array = new Uint8Array(SG_IO_HDR_LAYOUT[pointerSize].size)): Uint8Array {
    const o = SG_IO_HDR_LAYOUT[pointerSize];
    if (target.length < o.size) throw new InvalidArgumentError("target", `needs ${o.size} bytes, got ${target.length}`);
    if (fields.cmdLen < 6 || fields.cmdLen > 16) throw new InvalidArgumentError("cmdLen", `must be 6..16, got ${fields.cmdLen}`);
    if (fields.mxSbLen < 0 || fields.mxSbLen > 255) throw new InvalidArgumentError("mxSbLen", `must be 0..255, got ${fields.mxSbLen}`);
    target.fill(0, 0, o.size);
    const view = new DataView(target.buffer, target.byteOffset, o.size);
    view.setInt32(0, 0x53, true); // 'S'
    view.setInt32(4, fields.dxferDirection, true);
    view.setUint8(8, fields.cmdLen);
    view.setUint8(9, fields.mxSbLen);
    view.setUint16(10, 0, true); // no scatter/gather list
    view.setUint32(12, fields.dxferLen, true);
    writePointer(view, o.dxferp, fields.dxferp, pointerSize);
    writePointer(view, o.cmdp, fields.cmdp, pointerSize);
    writePointer(view, o.sbp, fields.sbp, pointerSize);
    view.setUint32(o.timeout, fields.timeout, true);
    view.setUint32(o.flags, fields.flags, true);
    view.setInt32(o.packId, fields.packId, true);
    return target;
  },

  /** Reads the fields the driver fills in after SG_IO. */
  decodeOutput(bytes: Uint8Array, pointerSize: PointerSize): SgIoHdrOut {
    const o = SG_IO_HDR_LAYOUT[pointerSize];
    if (bytes.length < o.size) throw new InvalidArgumentError("bytes", `sg_io_hdr needs ${o.size} bytes, got ${bytes.length}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, o.size);
    return {
      status: view.getUint8(o.status),
      maskedStatus: view.getUint8(o.status + 1),
      msgStatus: view.getUint8(o.status + 2),
      sbLenWr: view.getUint8(o.status + 3),
      hostStatus: view.getUint16(o.hostStatus, true),
      driverStatus: view.getUint16(o.driverStatus, true),
      resid: view.getInt32(o.resid, true),
      duration: view.getUint32(o.duration, true),
      info: view.getUint32(o.info, true),
    };
  },
} as const;
