export * from "./constants.js";
export * from "./sg-io-hdr.js";
export * from "./errno.js";
export * from "./sg-result.js";
export * from "./syscalls.js";
export * from "./enumerate.js";
export * from "./exclusive.js";
export * from "./safety.js";
export * from "./transport.js";

import { LinuxSgTransport, type LinuxTransportOptions } from "./transport.js";

/** Opens `/dev/srN` or `/dev/sgN` as a ScsiTransport. */
export function openLinuxTransport(path: string, options: LinuxTransportOptions = {}): Promise<LinuxSgTransport> {
  return LinuxSgTransport.open(path, options);
}
