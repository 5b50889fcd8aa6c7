/** Linux drives through SG_IO (/dev/srN, /dev/sgN). */
import { enumerateDrives, openLinuxTransport, ExclusiveLockFile, type LinuxDrive } from "@discforge/transport-linux";
import type { DriveDescriptor, DriveProvider } from "./types.js";

function descriptor(d: LinuxDrive): DriveDescriptor {
  const aliases = [d.blockDevice, d.genericDevice].filter((p): p is string => p !== undefined && p !== d.path);
  const legacy = /^\/dev\/sr(\d+)$/.exec(d.path)?.[1];
  return {
    id: `linux:${d.scsiAddress ?? d.path.replace("/dev/", "")}`,
    path: d.path,
    provider: "linux",
    vendor: d.vendor,
    product: d.model,
    revision: d.revision,
    volumePaths: d.mountPoints,
    ...(legacy !== undefined ? { legacyDeviceNumber: Number(legacy) } : {}),
    aliases,
  };
}

export const linuxProvider: DriveProvider = {
  name: "linux",
  available: () => process.platform === "linux",
  async enumerate() {
    const report = enumerateDrives();
    return { drives: report.drives.map(descriptor), notes: report.notes };
  },
  claims: (name) => name.startsWith("/dev/") || name.startsWith("linux:"),
  async open(name) {
    let path = name;
    let found: DriveDescriptor | undefined;
    if (name.startsWith("linux:") || !name.startsWith("/dev/")) {
      const all = enumerateDrives().drives.map(descriptor);
      found = all.find((d) => d.id === name || d.path === name || d.aliases.includes(name));
      if (found) path = found.path;
    } else {
      found = enumerateDrives().drives.map(descriptor).find((d) => d.path === name || d.aliases.includes(name));
    }
    const transport = await openLinuxTransport(path);
    return { transport, ...(found ? { descriptor: found } : {}) };
  },
};

export { ExclusiveLockFile };
