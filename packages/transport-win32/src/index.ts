export * from "./constants.js";
export * from "./sptd.js";
export * from "./errors.js";
export * from "./api.js";
export * from "./transport.js";
export * from "./enumerate.js";

import { Win32ScsiTransport, type Win32TransportOptions } from "./transport.js";

/** Opens `D:`, `CdRom0` or a `\\.\` path as a ScsiTransport. */
export function openWin32Transport(name: string, options: Win32TransportOptions = {}): Promise<Win32ScsiTransport> {
  return Win32ScsiTransport.open(name, options);
}
