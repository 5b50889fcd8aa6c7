/** Windows drives through IOCTL_SCSI_PASS_THROUGH_DIRECT (\\.\X:, \\.\CdRomN). */
import { enumerateWin32Drives, openWin32Transport, type Win32Drive } from "@discforge/transport-win32";
import type { DriveDescriptor, DriveProvider } from "./types.js";

function descriptor(d: Win32Drive): DriveDescriptor {
  const cdrom = /CdRom(\d+)$/i.exec(d.path)?.[1];
  return {
    id: `win32:${d.letter ? `${d.letter}:` : d.path.replace(/^\\\\\.\\/, "")}`,
    path: d.path,
    provider: "win32",
    vendor: "",
    product: "",
    revision: "",
    volumePaths: d.letter ? [`${d.letter}:\\`] : [],
    ...(cdrom !== undefined ? { legacyDeviceNumber: Number(cdrom) } : {}),
    aliases: d.letter ? [`${d.letter}:`, `${d.letter}:\\`] : [],
  };
}

export const win32Provider: DriveProvider = {
  name: "win32",
  available: () => process.platform === "win32",
  async enumerate() {
    const drives = enumerateWin32Drives().map(descriptor);
    return { drives, notes: drives.length === 0 ? ["No optical drives: Windows reports no CD/DVD drive letters and no \\\\.\\CdRomN devices."] : [] };
  },
  claims: (name) => name.startsWith("\\\\.\\") || /^[A-Za-z]:\\?$/.test(name) || name.startsWith("win32:"),
  async open(name) {
    const found = enumerateWin32Drives().map(descriptor).find((d) => d.id === name || d.path === name || d.aliases.includes(name));
    const transport = await openWin32Transport(found?.path ?? name.replace(/^win32:/, ""));
    return { transport, ...(found ? { descriptor: found } : {}) };
  },
};
