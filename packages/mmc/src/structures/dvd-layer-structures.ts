/**
 * READ DISC STRUCTURE, DVD formats for dual-layer recordable media (MMC-6 6.23.3.2.19-23):
 * 20h layer boundary information (DVD+R DL / DVD-R DL: INIT STATUS, L0 data zone capacity),
 * 21h shifted middle area start address (INIT STATUS, address), 22h jump interval size,
 * 23h manual layer jump address, 24h remapping address. Each is 8 data bytes: byte 0 bit 7 is
 * the status flag where one exists, bytes 4-7 the value in sectors.
 */
import { bit, flag, u8At, u32At, uint, type Codec, type MaybeTruncated } from "./codec.js";
import { frameDiscStructure, openDiscStructure } from "./disc-structure.js";

export interface LayerBoundaryInformation extends MaybeTruncated {
  /** INIT STATUS: the boundary is fixed (can no longer be changed). */
  readonly initStatus: boolean;
  readonly l0DataZoneCapacity: number;
}

export interface ShiftedMiddleAreaStartAddress extends MaybeTruncated {
  readonly initStatus: boolean;
  readonly shiftedMiddleAreaStartAddress: number;
}

export interface JumpIntervalSize extends MaybeTruncated {
  readonly jumpIntervalSize: number;
}

export interface ManualLayerJumpAddress extends MaybeTruncated {
  readonly manualLayerJumpAddress: number;
}

export interface RemappingAddress extends MaybeTruncated {
  readonly remappingAddress: number;
}

function flagged<K extends string>(format: number, title: string, key: K): Codec<MaybeTruncated & { readonly initStatus: boolean } & { readonly [P in K]: number }> {
  const structure = `READ DISC STRUCTURE DVD ${format.toString(16).toUpperCase()}h (${title})`;
  return {
    structure,
    decode(bytes) {
      const { data: r, truncated } = openDiscStructure(bytes, structure, 8);
      const value = { initStatus: bit(u8At(r, 0), 7), [key]: u32At(r, 4) } as { readonly initStatus: boolean } & { readonly [P in K]: number };
      return truncated === undefined ? value : { ...value, truncated };
    },
    encode(v) {
      const data = new Uint8Array(8);
      data[0] = flag(v.initStatus, 7);
      new DataView(data.buffer).setUint32(4, uint(key, v[key], 32));
      return frameDiscStructure(data);
    },
  };
}

function plain<K extends string>(format: number, title: string, key: K): Codec<MaybeTruncated & { readonly [P in K]: number }> {
  const structure = `READ DISC STRUCTURE DVD ${format.toString(16).toUpperCase()}h (${title})`;
  return {
    structure,
    decode(bytes) {
      const { data: r, truncated } = openDiscStructure(bytes, structure, 8);
      const value = { [key]: u32At(r, 4) } as { readonly [P in K]: number };
      return truncated === undefined ? value : { ...value, truncated };
    },
    encode(v) {
      const data = new Uint8Array(8);
      new DataView(data.buffer).setUint32(4, uint(key, v[key], 32));
      return frameDiscStructure(data);
    },
  };
}

export const layerBoundaryInformationCodec: Codec<LayerBoundaryInformation> = flagged(0x20, "layer boundary information", "l0DataZoneCapacity");
export const shiftedMiddleAreaStartAddressCodec: Codec<ShiftedMiddleAreaStartAddress> = flagged(
  0x21,
  "shifted middle area start address",
  "shiftedMiddleAreaStartAddress",
);
export const jumpIntervalSizeCodec: Codec<JumpIntervalSize> = plain(0x22, "jump interval size", "jumpIntervalSize");
export const manualLayerJumpAddressCodec: Codec<ManualLayerJumpAddress> = plain(0x23, "manual layer jump address", "manualLayerJumpAddress");
export const remappingAddressCodec: Codec<RemappingAddress> = plain(0x24, "remapping address", "remappingAddress");
