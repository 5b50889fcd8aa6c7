/**
 * SCSI_PASS_THROUGH_DIRECT followed by a ULONG filler and the sense buffer, the request block of
 * IOCTL_SCSI_PASS_THROUGH_DIRECT (ntddscsi.h "_SCSI_PASS_THROUGH_DIRECT"; the filler follows the
 * SCSI_PASS_THROUGH_DIRECT_WITH_BUFFER arrangement of the Windows driver samples). Fields keep
 * the C names, camelCased. Windows is little-endian on every architecture.
 *
 *   field                 x64 offset   x86 offset
 *   Length        USHORT      0            0
 *   ScsiStatus    UCHAR       2            2
 *   PathId        UCHAR       3            3
 *   TargetId      UCHAR       4            4
 *   Lun           UCHAR       5            5
 *   CdbLength     UCHAR       6            6
 *   SenseInfoLength UCHAR     7            7
 *   DataIn        UCHAR       8            8
 *   DataTransferLength ULONG 12           12
 *   TimeOutValue  ULONG      16           16   (seconds)
 *   DataBuffer    PVOID      24 (8-aligned) 20
 *   SenseInfoOffset ULONG    32           24
 *   Cdb           UCHAR[16]  36           28
 *   sizeof                   56           44
 *   Filler        ULONG      56           44
 *   SenseBuf      UCHAR[64]  60           48
 *   block size              128 (8-aligned) 112
 */
import { InvalidArgumentError } from "@discforge/errors";

export type WindowsArch = "x64" | "x86";
export const SENSE_BUFFER_LENGTH = 64;

export interface SptdLayout {
  readonly sptdSize: number;
  readonly scsiStatus: number;
  readonly dataTransferLength: number;
  readonly timeOutValue: number;
  readonly dataBuffer: number;
  readonly senseInfoOffset: number;
  readonly cdb: number;
  readonly filler: number;
  readonly senseBuffer: number;
  readonly blockSize: number;
  readonly pointerSize: 4 | 8;
}

export const SPTD_LAYOUT: Readonly<Record<WindowsArch, SptdLayout>> = {
  x64: { sptdSize: 56, scsiStatus: 2, dataTransferLength: 12, timeOutValue: 16, dataBuffer: 24, senseInfoOffset: 32, cdb: 36, filler: 56, senseBuffer: 60, blockSize: 128, pointerSize: 8 },
  x86: { sptdSize: 44, scsiStatus: 2, dataTransferLength: 12, timeOutValue: 16, dataBuffer: 20, senseInfoOffset: 24, cdb: 28, filler: 44, senseBuffer: 48, blockSize: 112, pointerSize: 4 },
};

export interface SptdRequest {
  readonly cdb: Uint8Array;
  readonly dataIn: number;
  readonly dataTransferLength: number;
  /** Seconds (the port driver's unit). */
  readonly timeOutValue: number;
  readonly dataBuffer: bigint;
}

export interface SptdReply {
  readonly scsiStatus: number;
  /** Sense bytes the port driver returned. */
  readonly senseInfoLength: number;
  /** Bytes actually transferred. */
  readonly dataTransferLength: number;
  readonly sense: Uint8Array;
}

export const sptdWithSense = {
  size(arch: WindowsArch): number {
    return SPTD_LAYOUT[arch].blockSize;
  },

  encode(req: SptdRequest, arch: WindowsArch, target: Uint8Array = new Uint8Array(SPTD_LAYOUT[arch].blockSize)): Uint8Array {
    const o = SPTD_LAYOUT[arch];
    if (req.cdb.length < 1 || req.cdb.length > 16) throw new InvalidArgumentError("cdb", `must be 1..16 bytes, got ${req.cdb.length}`);
    if (target.length < o.blockSize) throw new InvalidArgumentError("target", `needs ${o.blockSize} bytes`);
    target.fill(0, 0, o.blockSize);
    const v = new DataView(target.buffer, target.byteOffset, o.blockSize);
    v.setUint16(0, o.sptdSize, true); // Length = sizeof(SCSI_PASS_THROUGH_DIRECT)
    // ScsiStatus is the driver's output; PathId, TargetId, Lun are taken from the opened device.
    v.setUint8(6, req.cdb.length);
    v.setUint8(7, SENSE_BUFFER_LENGTH);
    v.setUint8(8, req.dataIn);
    v.setUint32(o.dataTransferLength, req.dataTransferLength, true);
    v.setUint32(o.timeOutValue, req.timeOutValue, true);
    if (o.pointerSize === 8) v.setBigUint64(o.dataBuffer, req.dataBuffer, true);
    else {
      if (req.dataBuffer > 0xffffffffn) throw new InvalidArgumentError("dataBuffer", "does not fit a 32-bit pointer");
      v.setUint32(o.dataBuffer, Number(req.dataBuffer), true);
    }
    v.setUint32(o.senseInfoOffset, o.senseBuffer, true);
    target.set(req.cdb, o.cdb);
    return target;
  },

  decodeReply(block: Uint8Array, arch: WindowsArch): SptdReply {
    const o = SPTD_LAYOUT[arch];
    if (block.length < o.blockSize) throw new InvalidArgumentError("block", `needs ${o.blockSize} bytes`);
    const v = new DataView(block.buffer, block.byteOffset, o.blockSize);
    const senseInfoLength = Math.min(v.getUint8(7), SENSE_BUFFER_LENGTH);
    return {
      scsiStatus: v.getUint8(2),
      senseInfoLength,
      dataTransferLength: v.getUint32(o.dataTransferLength, true),
      sense: block.slice(o.senseBuffer, o.senseBuffer + senseInfoLength),
    };
  },
} as const;
