/**
 * The system calls the Linux transport makes, as one injectable object. The default is the real
 * thing through koffi; tests pass fakes to reach every errno, host-status and driver-status path
 * without a device. Calls return a non-negative value or `-errno` (the kernel's own convention).
 */
import { readFileSync, readdirSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import type koffiModule from "koffi";
import { InternalError, UnsupportedError } from "@discforge/errors";
import { SG } from "./constants.js";
import { sgIoHdr, type PointerSize } from "./sg-io-hdr.js";

export interface SgIoRequest {
  readonly cdb: Uint8Array;
  readonly dxferDirection: number;
  readonly dataOut?: Uint8Array;
  readonly dataInLength: number;
  readonly timeoutMs: number;
  /** Sense buffer size (the transport uses 64). */
  readonly senseLength: number;
}

export interface SgIoReply {
  /** 0, or -errno when the ioctl itself failed (then the other fields are zero). */
  readonly ret: number;
  readonly status: number;
  readonly maskedStatus: number;
  readonly msgStatus: number;
  readonly sbLenWr: number;
  readonly hostStatus: number;
  readonly driverStatus: number;
  readonly resid: number;
  readonly duration: number;
  readonly info: number;
  /** dataInLength bytes copied out of the native buffer. */
  readonly dataIn: Uint8Array;
  /** senseLength bytes copied out of the native sense buffer. */
  readonly senseBuffer: Uint8Array;
}

export interface LinuxSyscalls {
  open(path: string, flags: number): number;
  close(fd: number): number;
  /** ioctl with an `int *` argument (SG_GET_RESERVED_SIZE, SG_SET_RESERVED_SIZE, BLKSECTGET...). */
  ioctlInt(fd: number, request: number, value?: number): { readonly ret: number; readonly value: number };
  /** SG_IO, run off the event loop; resolves when the command completed (or the ioctl failed). */
  sgIo(fd: number, request: SgIoRequest): Promise<SgIoReply>;
  flock(fd: number, operation: number): number;
}

/** Read-only file-system access for sysfs and /proc, injectable for enumeration tests. */
export interface SysFs {
  readText(path: string): string | undefined;
  list(dir: string): string[];
  realpath(path: string): string | undefined;
}

export const nodeSysFs: SysFs = {
  readText(path) {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },
  list(dir) {
    try {
      return readdirSync(dir).sort();
    } catch {
      return [];
    }
  },
  realpath(path) {
    try {
      return realpathSync(path);
    } catch {
      return undefined;
    }
  },
};

export const PAGE_SIZE = 4096;

export function roundUpToPage(n: number): number {
  return Math.max(PAGE_SIZE, Math.ceil(n / PAGE_SIZE) * PAGE_SIZE);
}

type KoffiModule = typeof koffiModule;
type NativeFn = ((...args: unknown[]) => unknown) & { async: (...args: unknown[]) => void };

let cached: LinuxSyscalls | undefined;

/** The real system calls (libc through koffi), created on first use. */
export function koffiSyscalls(): LinuxSyscalls {
  if (cached) return cached;
  if (process.platform !== "linux") throw new UnsupportedError(`the SG_IO transport runs on Linux only (this is ${process.platform})`);
  const require = createRequire(import.meta.url);
  const koffi = require("koffi") as KoffiModule;
  const libc = koffi.load("libc.so.6");
  const fn = (decl: string) => libc.func(decl) as unknown as NativeFn;
  const open = fn("int open(const char *path, int flags, int mode)");
  const close = fn("int close(int fd)");
  // ioctl is variadic in libc; with integer/pointer arguments the fixed-argument call is
  // identical on the Linux ABIs we run on, and only fixed-argument calls can be async in koffi.
  const ioctl = fn("int ioctl(int fd, unsigned long request, void *arg)");
  const flock = fn("int flock(int fd, int operation)");
  const alignedAlloc = fn("void *aligned_alloc(size_t alignment, size_t size)");
  const free = fn("void free(void *ptr)");
  const pointerSize = koffi.sizeof("void *") as PointerSize;
  const errno = () => koffi.errno();

  const alloc = (bytes: number): bigint => {
    const p = alignedAlloc(PAGE_SIZE, roundUpToPage(bytes)) as bigint | null;
    if (!p) throw new InternalError(`aligned_alloc(${bytes}) failed`);
    return p;
  };
  const bytesAt = (p: bigint, n: number) => new Uint8Array(koffi.view(p as never, n));

  // Page-aligned native buffers are reused: allocating, faulting in and viewing a fresh 1 MiB
  // buffer per command costs more than the command itself. Sizes are powers of two.
  const pool = new Map<number, NativeBuffer[]>();
  const KEEP_PER_SIZE = 4;
  const take = (bytes: number): NativeBuffer => {
    let size = PAGE_SIZE;
    while (size < bytes) size *= 2;
    const reused = pool.get(size)?.pop();
    if (reused) return reused;
    const ptr = alloc(size);
    return { ptr, bytes: bytesAt(ptr, size) };
  };
  const give = (b: NativeBuffer): void => {
    const list = pool.get(b.bytes.length) ?? [];
    if (list.length < KEEP_PER_SIZE) {
      list.push(b);
      pool.set(b.bytes.length, list);
    } else free(b.ptr);
  };

  const hdrSize = sgIoHdr.size(pointerSize);
  const cdbOffset = BigInt(hdrSize);
  const senseOffset = BigInt(hdrSize + 16);
  const controlSize = (senseLength: number) => hdrSize + 16 + senseLength;
  const CONTROL_BYTES = controlSize(MAX_SENSE_LENGTH);

  cached = {
    open: (path, flags) => {
      const fd = open(path, flags, 0) as number;
      return fd < 0 ? -errno() : fd;
    },
    close: (fd) => ((close(fd) as number) < 0 ? -errno() : 0),
    ioctlInt: (fd, request, value) => {
      const cell = take(8);
      try {
        const view = new DataView(cell.bytes.buffer, cell.bytes.byteOffset, 8);
        view.setBigInt64(0, 0n, true);
        view.setInt32(0, value ?? 0, true);
        const ret = ioctl(fd, request, cell.ptr) as number;
        if (ret < 0) return { ret: -errno(), value: 0 };
        return { ret, value: view.getInt32(0, true) };
      } finally {
        give(cell);
      }
    },
    sgIo: (fd, request) => {
      // One page-aligned block for header, CDB and sense. Page-aligned data of IN_PLACE_BYTES or
      // more is handed to the kernel where it lies (a JS buffer that size lives outside V8's heap
      // and does not move): copying 256 KiB per WRITE cost more than the command itself in a slow
      // VM. Unaligned data spans one page more than its length, which at the transfer limit is
      // more segments than the queue takes (EINVAL), so it goes through a pooled native buffer
      // like small data.
      const control = take(CONTROL_BYTES);
      const dataLength = request.dataOut?.length ?? request.dataInLength;
      const inPlace = dataLength >= IN_PLACE_BYTES && (!request.dataOut || (koffi.address(request.dataOut) as bigint) % PAGE === 0n);
      // Data-in in place: a fresh page-aligned buffer the result owns, so no copy out either.
      const dataInPlace = inPlace && !request.dataOut ? pageAlignedBytes(dataLength, (b) => koffi.address(b) as bigint) : undefined;
      const pooled = dataLength > 0 && !inPlace ? take(dataLength) : undefined;
      const controlBytes = control.bytes;
      const senseLength = Math.min(request.senseLength, MAX_SENSE_LENGTH);
      controlBytes.fill(0, 0, controlSize(senseLength));
      controlBytes.set(request.cdb, hdrSize);
      let dxferp = 0n;
      if (pooled) {
        if (request.dataOut) pooled.bytes.set(request.dataOut);
        dxferp = pooled.ptr;
      } else if (inPlace) dxferp = koffi.address(request.dataOut ?? dataInPlace) as bigint;
      sgIoHdr.encode(
        {
          dxferDirection: request.dxferDirection,
          cmdLen: request.cdb.length,
          mxSbLen: senseLength,
          dxferLen: dataLength,
          dxferp,
          cmdp: control.ptr + cdbOffset,
          sbp: control.ptr + senseOffset,
          timeout: request.timeoutMs,
          flags: 0,
          packId: 0,
        },
        pointerSize,
        controlBytes,
      );
      // The callback holds `request` (so an in-place data-out buffer) until the kernel is done.
      return new Promise<SgIoReply>((resolve) => {
        ioctl.async(fd, SG.io, control.ptr, (err: unknown, ret: number) => {
          const failedErrno = err ? -22 : ret < 0 ? -errno() : 0;
          try {
            if (failedErrno) {
              resolve({ ...ZERO_REPLY, ret: failedErrno, dataIn: new Uint8Array(0), senseBuffer: new Uint8Array(0) });
              return;
            }
            const out = sgIoHdr.decodeOutput(controlBytes.subarray(0, hdrSize), pointerSize);
            // Copies: the native buffers go back to the pool right below.
            const senseBuffer = controlBytes.slice(hdrSize + 16, hdrSize + 16 + senseLength);
            const dataIn = request.dataInLength === 0 ? EMPTY : dataInPlace ?? pooled!.bytes.slice(0, request.dataInLength);
            resolve({ ret: 0, ...out, dataIn, senseBuffer });
          } finally {
            give(control);
            if (pooled) give(pooled);
          }
        });
      });
    },
    flock: (fd, operation) => ((flock(fd, operation) as number) < 0 ? -errno() : 0),
  };
  return cached;
}

interface NativeBuffer {
  readonly ptr: bigint;
  /** A view of the whole native buffer, created once. */
  readonly bytes: Uint8Array;
}

/** Data buffers from this size up go to the kernel in place (V8 keeps buffers over 64 bytes off its heap). */
export const IN_PLACE_BYTES = 4096;
const PAGE = 4096n;

/** `length` zeroed bytes starting on a page boundary (from a buffer one page longer). */
export function pageAlignedBytes(length: number, address: (bytes: Uint8Array) => bigint): Uint8Array {
  const raw = new Uint8Array(length + Number(PAGE));
  const offset = Number((PAGE - (address(raw) % PAGE)) % PAGE);
  return raw.subarray(offset, offset + length);
}
/** Largest sense buffer an SG_IO may ask for (mx_sb_len is one byte). */
const MAX_SENSE_LENGTH = 252;
const EMPTY = new Uint8Array(0);

const ZERO_REPLY = { status: 0, maskedStatus: 0, msgStatus: 0, sbLenWr: 0, hostStatus: 0, driverStatus: 0, resid: 0, duration: 0, info: 0 } as const;

