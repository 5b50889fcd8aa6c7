/**
 * The Win32 calls the transport makes, as one injectable object; the default is kernel32 through
 * koffi (loaded on first use, Windows only). Tests inject fakes. Calls report failure with the
 * GetLastError code read on the same thread right after the call.
 */
import { createRequire } from "node:module";
import type koffiModule from "koffi";
import { InternalError, UnsupportedError } from "@discforge/errors";
import type { WindowsArch } from "./sptd.js";

export type Win32Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: number };

/** A page-aligned native buffer the driver can DMA into (VirtualAlloc). */
export interface NativeBuffer {
  readonly address: bigint;
  readonly bytes: Uint8Array;
}

export interface Win32Api {
  readonly arch: WindowsArch;
  createFile(path: string, access: number, share: number): Win32Outcome<bigint>;
  closeHandle(handle: bigint): void;
  /**
   * DeviceIoControl with METHOD_BUFFERED in/out in `block`, run on a worker thread.
   * Resolves with the bytes returned or the Win32 error.
   */
  deviceIoControl(handle: bigint, code: number, block: NativeBuffer | undefined, blockSize: number): Promise<Win32Outcome<number>>;
  allocate(bytes: number): NativeBuffer;
  free(buffer: NativeBuffer): void;
  /** "C:\\", "D:\\", ... */
  logicalDriveStrings(): string[];
  driveType(root: string): number;
}

type NativeFn = ((...args: unknown[]) => unknown) & { async: (...args: unknown[]) => void };
let cached: Win32Api | undefined;

export function koffiWin32Api(): Win32Api {
  if (cached) return cached;
  if (process.platform !== "win32") throw new UnsupportedError(`the SCSI pass-through transport runs on Windows only (this is ${process.platform})`);
  const require = createRequire(import.meta.url);
  const koffi = require("koffi") as typeof koffiModule;
  const k32 = koffi.load("kernel32.dll");
  const fn = (decl: string) => k32.func(decl) as unknown as NativeFn;
  const CreateFileW = fn("uintptr_t __stdcall CreateFileW(str16 name, uint32_t access, uint32_t share, void *sa, uint32_t disposition, uint32_t flags, void *template)");
  const CloseHandle = fn("int __stdcall CloseHandle(uintptr_t h)");
  const DeviceIoControl = fn("int __stdcall DeviceIoControl(uintptr_t h, uint32_t code, void *inBuf, uint32_t inSize, void *outBuf, uint32_t outSize, _Out_ uint32_t *returned, void *overlapped)");
  const GetLastError = fn("uint32_t __stdcall GetLastError()");
  const VirtualAlloc = fn("void * __stdcall VirtualAlloc(void *addr, size_t size, uint32_t type, uint32_t protect)");
  const VirtualFree = fn("int __stdcall VirtualFree(void *addr, size_t size, uint32_t type)");
  const GetLogicalDriveStringsW = fn("uint32_t __stdcall GetLogicalDriveStringsW(uint32_t len, _Out_ uint16_t *buf)");
  const GetDriveTypeW = fn("uint32_t __stdcall GetDriveTypeW(str16 root)");
  const INVALID_HANDLE = koffi.sizeof("void *") === 8 ? 0xffffffffffffffffn : 0xffffffffn;
  const MEM_COMMIT_RESERVE = 0x1000 | 0x2000;
  const MEM_RELEASE = 0x8000;
  const PAGE_READWRITE = 0x04;

  cached = {
    arch: koffi.sizeof("void *") === 8 ? "x64" : "x86",
    createFile(path, access, share) {
      const h = BigInt(CreateFileW(path, access, share, null, 3, 0x80, null) as number | bigint);
      return h === INVALID_HANDLE ? { ok: false, error: GetLastError() as number } : { ok: true, value: h };
    },
    closeHandle(handle) {
      CloseHandle(handle);
    },
    deviceIoControl(handle, code, block, blockSize) {
      const returned = [0];
      return new Promise((resolve) => {
        DeviceIoControl.async(handle, code, block?.address ?? null, blockSize, block?.address ?? null, blockSize, returned, null, (err: unknown, ok: number) => {
          if (err) resolve({ ok: false, error: 87 });
          // koffi (3.2+) hands the worker thread's last error to the callback's thread.
          else if (!ok) resolve({ ok: false, error: GetLastError() as number });
          else resolve({ ok: true, value: returned[0] ?? 0 });
        });
      });
    },
    allocate(bytes) {
      const size = Math.max(4096, Math.ceil(bytes / 4096) * 4096);
      const address = VirtualAlloc(null, size, MEM_COMMIT_RESERVE, PAGE_READWRITE) as bigint | null;
      if (!address) throw new InternalError(`VirtualAlloc(${size}) failed`);
      return { address, bytes: new Uint8Array(koffi.view(address as never, size)) };
    },
    free(buffer) {
      VirtualFree(buffer.address, 0, MEM_RELEASE);
    },
    logicalDriveStrings() {
      const buf = new Uint16Array(512);
      const n = GetLogicalDriveStringsW(buf.length, buf) as number;
      return String.fromCharCode(...buf.subarray(0, n)).split("\0").filter(Boolean);
    },
    driveType(root) {
      return GetDriveTypeW(root) as number;
    },
  };
  return cached;
}
