/**
 * Optical drives on Windows: drive letters whose GetDriveTypeW is DRIVE_CDROM, each opened as
 * `\\.\X:`; plus the `\\.\CdRomN` names for drives that have no letter.
 */
import { koffiWin32Api, type Win32Api } from "./api.js";
import { DRIVE_TYPE, FILE_ACCESS } from "./constants.js";

export interface Win32Drive {
  readonly path: string;
  readonly letter?: string;
}

export function enumerateWin32Drives(api: Win32Api = koffiWin32Api(), probeCdRomNames = 8): Win32Drive[] {
  const drives: Win32Drive[] = [];
  for (const root of api.logicalDriveStrings()) {
    if (api.driveType(root) !== DRIVE_TYPE.cdrom) continue;
    const letter = root.slice(0, 1).toUpperCase();
    drives.push({ path: `\\\\.\\${letter}:`, letter });
  }
  // \\.\CdRomN exists for every CD-ROM class device; those beyond the lettered ones have no letter.
  let cdroms = 0;
  for (let n = 0; n < probeCdRomNames; n++) {
    const h = api.createFile(`\\\\.\\CdRom${n}`, 0, FILE_ACCESS.FILE_SHARE_READ | FILE_ACCESS.FILE_SHARE_WRITE);
    if (!h.ok) continue;
    api.closeHandle(h.value);
    cdroms++;
    if (cdroms > drives.length) drives.push({ path: `\\\\.\\CdRom${n}` });
  }
  return drives;
}
