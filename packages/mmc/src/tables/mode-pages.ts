/**
 * Mode page codes seen on MMC devices, as data.
 *
 * Source: T10 SPC-4 r37 annex D (mode page codes, all device types), SBC-3 (Caching), MMC-6 r02g clause 7 (mode
 * parameters for MMC devices), and MMC-3 r10g 5.5.10 for page 2Ah (dropped from MMC-5 and later,
 * still implemented by drives). `length` is the Page Length field value the standard defines
 * (total page size is length + 2); undefined where it varies.
 */
export interface ModePageInfo {
  readonly pageCode: number;
  readonly subpageCode: number;
  readonly name: string;
  readonly length: number | undefined;
  /** The standard defining the page for MMC devices. */
  readonly standard: "SPC-4" | "SBC-3" | "MMC-6" | "MMC-3";
  /** Still defined for MMC devices by the latest MMC (false: obsolete or removed). */
  readonly current: boolean;
}

export const MODE_PAGES: readonly ModePageInfo[] = [
  { pageCode: 0x00, subpageCode: 0x00, name: "Vendor specific (no page format)", length: undefined, standard: "SPC-4", current: true },
  { pageCode: 0x01, subpageCode: 0x00, name: "Read/Write Error Recovery", length: 0x0a, standard: "MMC-6", current: true },
  { pageCode: 0x02, subpageCode: 0x00, name: "Disconnect-Reconnect", length: 0x0e, standard: "SPC-4", current: true },
  { pageCode: 0x05, subpageCode: 0x00, name: "Write Parameters", length: 0x32, standard: "MMC-6", current: true },
  { pageCode: 0x08, subpageCode: 0x00, name: "Caching", length: 0x12, standard: "SBC-3", current: false },
  { pageCode: 0x09, subpageCode: 0x00, name: "Peripheral Device (obsolete)", length: undefined, standard: "SPC-4", current: false },
  { pageCode: 0x0a, subpageCode: 0x00, name: "Control", length: 0x0a, standard: "SPC-4", current: true },
  { pageCode: 0x0a, subpageCode: 0x01, name: "Control Extension", length: 0x1c, standard: "SPC-4", current: true },
  { pageCode: 0x0d, subpageCode: 0x00, name: "CD Device Parameters (obsolete)", length: 0x06, standard: "MMC-3", current: false },
  { pageCode: 0x0e, subpageCode: 0x00, name: "CD Audio Control (obsolete)", length: 0x0e, standard: "MMC-3", current: false },
  { pageCode: 0x18, subpageCode: 0x00, name: "Protocol Specific Logical Unit", length: undefined, standard: "SPC-4", current: true },
  { pageCode: 0x19, subpageCode: 0x00, name: "Protocol Specific Port", length: undefined, standard: "SPC-4", current: true },
  { pageCode: 0x1a, subpageCode: 0x00, name: "Power Condition", length: 0x0a, standard: "MMC-6", current: true },
  { pageCode: 0x1c, subpageCode: 0x00, name: "Informational Exceptions Control", length: 0x0a, standard: "SPC-4", current: true },
  { pageCode: 0x1d, subpageCode: 0x00, name: "Timeout and Protect", length: 0x0a, standard: "MMC-6", current: true },
  { pageCode: 0x2a, subpageCode: 0x00, name: "MM Capabilities and Mechanical Status", length: undefined, standard: "MMC-3", current: false },
  { pageCode: 0x3f, subpageCode: 0x00, name: "Return all pages (MODE SENSE only)", length: undefined, standard: "SPC-4", current: true },
  { pageCode: 0x3f, subpageCode: 0xff, name: "Return all pages and sub-pages (MODE SENSE only)", length: undefined, standard: "SPC-4", current: true },
];

export function modePageInfo(pageCode: number, subpageCode = 0): ModePageInfo | undefined {
  return MODE_PAGES.find((p) => p.pageCode === pageCode && p.subpageCode === subpageCode);
}

export function modePageName(pageCode: number, subpageCode = 0): string {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, "0") + "h";
  return modePageInfo(pageCode, subpageCode)?.name ?? `page ${hex(pageCode)}${subpageCode === 0 ? "" : `/${hex(subpageCode)}`}`;
}
