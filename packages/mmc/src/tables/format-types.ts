/**
 * FORMAT UNIT / READ FORMAT CAPACITIES format types, as data.
 *
 * Source: T10 MMC-6 r02g 6.5.4 (format descriptor, format types table) and 6.24.3.3
 * (formattable capacity descriptors); media each type applies to as the standard lists them.
 * The type-dependent parameter's meaning is given per type ("block length", "packet size", ...).
 */
export interface FormatTypeInfo {
  readonly code: number;
  readonly name: string;
  readonly media: string;
  /** What the 24-bit Type Dependent Parameter carries. */
  readonly parameter: string;
}

export const FORMAT_TYPES: readonly FormatTypeInfo[] = [
  { code: 0x00, name: "Full Format", media: "DVD-RAM, DVD-RW (restricted overwrite), DVD+RW, BD-RE, MRW", parameter: "block length / spare size" },
  { code: 0x01, name: "Spare Area Expansion", media: "DVD-RAM, BD-RE", parameter: "block length" },
  { code: 0x04, name: "Zone Reformat", media: "DVD-RAM", parameter: "zone number" },
  { code: 0x05, name: "Zone Format", media: "DVD-RAM", parameter: "zone number" },
  { code: 0x10, name: "CD-RW/DVD-RW Full Format", media: "CD-RW, DVD-RW", parameter: "fixed packet size" },
  { code: 0x11, name: "CD-RW/DVD-RW Grow Session", media: "CD-RW, DVD-RW", parameter: "fixed packet size" },
  { code: 0x12, name: "CD-RW/DVD-RW Add Session", media: "CD-RW, DVD-RW", parameter: "fixed packet size" },
  { code: 0x13, name: "DVD-RW Quick Grow the Last Session", media: "DVD-RW", parameter: "ECC block size (16)" },
  { code: 0x14, name: "DVD-RW Quick Add Session", media: "DVD-RW", parameter: "ECC block size (16)" },
  { code: 0x15, name: "DVD-RW Quick", media: "DVD-RW", parameter: "ECC block size (16)" },
  { code: 0x20, name: "Full Format with Sparing Parameters", media: "CD-RW (MRW)", parameter: "number of spare blocks" },
  { code: 0x24, name: "MRW Format", media: "DVD+RW (MRW)", parameter: "DMA size / reserved" },
  { code: 0x26, name: "DVD+RW Basic Format", media: "DVD+RW, DVD+RW DL", parameter: "reserved (0)" },
  { code: 0x30, name: "BD-RE Full Format with Spare Areas", media: "BD-RE", parameter: "spare area size (sub-type: 00b quick reformat, 01b no certification, 10b full certification, 11b quick certification)" },
  { code: 0x31, name: "BD-RE Full Format without Spare Areas", media: "BD-RE", parameter: "block length" },
  { code: 0x32, name: "BD-R Full Format with Spare Areas", media: "BD-R", parameter: "spare area size (sub-type: 00b SRM+POW, 01b SRM-POW, 10b RRM)" },
];

export function formatTypeInfo(code: number): FormatTypeInfo | undefined {
  return FORMAT_TYPES.find((t) => t.code === code);
}

export function formatTypeName(code: number): string {
  return formatTypeInfo(code)?.name ?? `format type ${code.toString(16).toUpperCase().padStart(2, "0")}h`;
}
