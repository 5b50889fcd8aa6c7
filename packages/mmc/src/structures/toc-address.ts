/**
 * The 4-byte address field of READ TOC/PMA/ATIP formats 0 and 1 (MMC-6 6.26.2.5): a signed LBA
 * when the CDB's MSF bit is 0, or 00h/M/S/F when it is 1 (MMC-6 4.2.3.8 MSF addressing).
 */
import type { ByteReader, ByteWriter, Msf } from "@discforge/bytes";
import { int32, uint } from "./codec.js";

export interface TocAddressForm<A> {
  readonly msf: boolean;
  read(r: ByteReader, offset: number): A;
  write(w: ByteWriter, value: A, name: string): void;
}

export const LBA_ADDRESS: TocAddressForm<number> = {
  msf: false,
  read: (r, offset) => r.seek(offset).i32be(),
  write: (w, value, name) => void w.i32be(int32(name, value)),
};

export const MSF_ADDRESS: TocAddressForm<Msf> = {
  msf: true,
  read(r, offset) {
    r.seek(offset + 1);
    return { minute: r.u8(), second: r.u8(), frame: r.u8() };
  },
  write(w, value, name) {
    w.u8(0).u8(uint(`${name}.minute`, value.minute, 8)).u8(uint(`${name}.second`, value.second, 8)).u8(uint(`${name}.frame`, value.frame, 8));
  },
};
