/**
 * A fake Win32Api: a small SCSI device of a chosen peripheral type behind DeviceIoControl. It
 * decodes the SCSI_PASS_THROUGH_DIRECT block the transport built (with the same field offsets the
 * layout test checks against the C headers), answers, and writes ScsiStatus, SenseInfoLength and
 * DataTransferLength back as the port driver does. Every call is recorded.
 */
import type { NativeBuffer, Win32Api, Win32Outcome, WindowsArch } from "../src/index.js";
import { IOCTL, SPTD_LAYOUT } from "../src/index.js";

export interface FakeCall {
  readonly code: number;
  readonly block?: Uint8Array;
  readonly cdb?: Uint8Array;
}

export interface FakeWin32 extends Win32Api {
  readonly calls: FakeCall[];
  createFileError?: number;
  /** Errors DeviceIoControl returns (in order) before the device answers. */
  ioctlErrors: number[];
  peripheralType: number;
  drives: Record<string, number>;
  cdromNames: number;
}

export function fakeWin32(arch: WindowsArch = "x64", peripheralType = 5): FakeWin32 {
  const memory = new Map<bigint, Uint8Array>();
  let next = 0x10000n;
  const fake: FakeWin32 = {
    arch,
    calls: [],
    ioctlErrors: [],
    peripheralType,
    drives: {},
    cdromNames: 0,
    createFile(path): Win32Outcome<bigint> {
      if (fake.createFileError) return { ok: false, error: fake.createFileError };
      const m = /CdRom(\d+)$/.exec(path);
      if (m && Number(m[1]) >= fake.cdromNames) return { ok: false, error: 2 };
      return { ok: true, value: 0x1234n };
    },
    closeHandle() {},
    allocate(bytes): NativeBuffer {
      const size = Math.max(4096, Math.ceil(bytes / 4096) * 4096);
      const address = next;
      next += BigInt(size) + 0x10000n;
      const b = new Uint8Array(size);
      memory.set(address, b);
      return { address, bytes: b };
    },
    free(buffer) {
      memory.delete(buffer.address);
    },
    logicalDriveStrings: () => Object.keys(fake.drives),
    driveType: (root) => fake.drives[root] ?? 1,
    async deviceIoControl(_h, code, block): Promise<Win32Outcome<number>> {
      await Promise.resolve();
      if (code !== IOCTL.SCSI_PASS_THROUGH_DIRECT || !block) {
        fake.calls.push({ code });
        return { ok: true, value: 0 };
      }
      const o = SPTD_LAYOUT[arch];
      const b = block.bytes;
      const v = new DataView(b.buffer, b.byteOffset, o.blockSize);
      const cdb = b.slice(o.cdb, o.cdb + v.getUint8(6));
      fake.calls.push({ code, block: b.slice(0, o.blockSize), cdb });
      const err = fake.ioctlErrors.shift();
      if (err) return { ok: false, error: err };
      const length = v.getUint32(o.dataTransferLength, true);
      const address = o.pointerSize === 8 ? v.getBigUint64(o.dataBuffer, true) : BigInt(v.getUint32(o.dataBuffer, true));
      const data = memory.get(address);
      const reply = (status: number, transferred: number, sense?: Uint8Array) => {
        v.setUint8(2, status);
        v.setUint32(o.dataTransferLength, transferred, true);
        v.setUint8(7, sense?.length ?? 0);
        if (sense) b.set(sense, v.getUint32(o.senseInfoOffset, true));
      };
      switch (cdb[0]) {
        case 0x12: {
          const inq = new Uint8Array(36);
          inq[0] = fake.peripheralType;
          inq[4] = 31;
          const n = Math.min(36, length);
          data?.set(inq.subarray(0, n));
          reply(0, n);
          break;
        }
        case 0x03: {
          const s = new Uint8Array(18);
          s[0] = 0x70;
          s[7] = 10;
          const n = Math.min(18, length);
          data?.set(s.subarray(0, n));
          reply(0, n);
          break;
        }
        case 0x00:
        case 0x2a:
        case 0x35:
          reply(0, length);
          break;
        case 0x08: // pretend BUSY
          reply(0x08, 0);
          break;
        default: {
          const s = new Uint8Array(18);
          s.set([0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x20, 0]);
          reply(0x02, 0, s);
        }
      }
      return { ok: true, value: o.blockSize };
    },
  };
  return fake;
}
