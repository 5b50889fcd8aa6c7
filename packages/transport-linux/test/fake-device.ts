/**
 * A fake Linux device behind the LinuxSyscalls interface: answers SG_IO like a small SCSI
 * device of a chosen peripheral type and records every CDB that reached "the kernel", so tests
 * can prove what was and was not sent. Scripted replies override the device for error paths.
 */
import type { LinuxSyscalls, SgIoReply, SgIoRequest, SysFs } from "../src/index.js";
import { SG } from "../src/index.js";

export interface FakeOptions {
  peripheralType?: number;
  openErrno?: number;
  /** Replies returned (in order) before the device answers by itself. */
  script?: Array<Partial<SgIoReply>>;
  reservedSize?: number;
  blkSectGet?: number;
  /** Milliseconds each SG_IO takes. */
  latencyMs?: number;
}

export interface FakeDevice extends LinuxSyscalls {
  readonly sent: SgIoRequest[];
  readonly opens: Array<{ path: string; flags: number }>;
  readonly closed: number[];
  options: FakeOptions;
}

const OK: SgIoReply = {
  ret: 0,
  status: 0,
  maskedStatus: 0,
  msgStatus: 0,
  sbLenWr: 0,
  hostStatus: 0,
  driverStatus: 0,
  resid: 0,
  duration: 1,
  info: 0,
  dataIn: new Uint8Array(0),
  senseBuffer: new Uint8Array(64),
};

function senseBuffer(key: number, asc: number, ascq: number): Uint8Array {
  const s = new Uint8Array(64);
  s.set([0x70, 0, key, 0, 0, 0, 0, 10, 0, 0, 0, 0, asc, ascq]);
  return s;
}

function answer(type: number, req: SgIoRequest): SgIoReply {
  const op = req.cdb[0]!;
  const fill = (bytes: Uint8Array): SgIoReply => {
    const dataIn = new Uint8Array(req.dataInLength);
    const n = Math.min(bytes.length, req.dataInLength);
    dataIn.set(bytes.subarray(0, n));
    return { ...OK, dataIn, resid: req.dataInLength - n };
  };
  const check = (key: number, asc: number, ascq: number): SgIoReply => ({
    ...OK,
    status: 0x02,
    maskedStatus: 0x01,
    driverStatus: 0x08,
    sbLenWr: 18,
    info: 1,
    resid: req.dataInLength,
    dataIn: new Uint8Array(req.dataInLength),
    senseBuffer: senseBuffer(key, asc, ascq),
  });
  switch (op) {
    case 0x00:
      return { ...OK, dataIn: new Uint8Array(0) };
    case 0x12: {
      const inq = new Uint8Array(36);
      inq[0] = type;
      inq[4] = 31;
      inq.set(new TextEncoder().encode("FAKE    DEVICE          0001"), 8);
      return fill(inq);
    }
    case 0x03:
      return fill(senseBuffer(0, 0, 0).subarray(0, 18));
    case 0x28: {
      const blocks = (req.cdb[7]! << 8) | req.cdb[8]!;
      return fill(new Uint8Array(blocks * 2048).fill(0x5a));
    }
    case 0x2a:
    case 0x35:
    case 0x5b:
      return { ...OK, dataIn: new Uint8Array(0) };
    default:
      return check(0x05, 0x20, 0x00);
  }
}

export function fakeDevice(options: FakeOptions = {}): FakeDevice {
  const sent: SgIoRequest[] = [];
  const opens: Array<{ path: string; flags: number }> = [];
  const closed: number[] = [];
  let nextFd = 10;
  const dev: FakeDevice = {
    sent,
    opens,
    closed,
    options,
    open(path, flags) {
      opens.push({ path, flags });
      if (dev.options.openErrno) return -dev.options.openErrno;
      return nextFd++;
    },
    close(fd) {
      closed.push(fd);
      return 0;
    },
    ioctlInt(_fd, request, value) {
      if (request === SG.setReservedSize) {
        dev.options.reservedSize = Math.min(value ?? 0, dev.options.reservedSize ?? Number.MAX_SAFE_INTEGER);
        return { ret: 0, value: 0 };
      }
      if (request === SG.getReservedSize) return { ret: 0, value: dev.options.reservedSize ?? 32768 };
      if (request === 0x1267) return dev.options.blkSectGet ? { ret: 0, value: dev.options.blkSectGet } : { ret: -25, value: 0 };
      return { ret: -25, value: 0 };
    },
    async sgIo(_fd, request) {
      sent.push({ ...request, cdb: request.cdb.slice() });
      if (dev.options.latencyMs) await new Promise((r) => setTimeout(r, dev.options.latencyMs));
      else await Promise.resolve();
      const scripted = dev.options.script?.shift();
      if (scripted) return { ...OK, dataIn: new Uint8Array(request.dataInLength), ...scripted };
      return answer(dev.options.peripheralType ?? 5, request);
    },
    flock() {
      return 0;
    },
  };
  return dev;
}

/** A sysfs made of a path → content map; directories are derived from the paths. */
export function fakeSysFs(files: Record<string, string>, links: Record<string, string> = {}): SysFs {
  return {
    readText: (p) => files[p],
    list: (dir) => {
      const names = new Set<string>();
      for (const p of [...Object.keys(files), ...Object.keys(links)]) {
        if (p.startsWith(`${dir}/`)) names.add(p.slice(dir.length + 1).split("/")[0]!);
      }
      return [...names].sort();
    },
    realpath: (p) => links[p] ?? (files[p] !== undefined ? p : undefined),
  };
}
