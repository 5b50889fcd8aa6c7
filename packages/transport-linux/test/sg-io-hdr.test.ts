import { describe, it, expect } from "vitest";
import koffi from "koffi";
import { SG_IO_HDR_LAYOUT, sgIoHdr } from "../src/index.js";

const input = {
  dxferDirection: -3, // SG_DXFER_FROM_DEV
  cmdLen: 6,
  mxSbLen: 64,
  dxferLen: 96,
  dxferp: 0x11223344_55667000n,
  cmdp: 0x11223344_55668000n,
  sbp: 0x11223344_55668010n,
  timeout: 30_000,
  flags: 0,
  packId: 7,
};

describe("sg_io_hdr codec (include/scsi/sg.h)", () => {
  it("encodes the 64-bit layout (88 bytes)", () => {
    const hex = Buffer.from(sgIoHdr.encode(input, 8)).toString("hex");
    expect(hex).toBe(
      [
        "53000000", // interface_id 'S'
        "fdffffff", // dxfer_direction -3
        "06", // cmd_len
        "40", // mx_sb_len 64
        "0000", // iovec_count
        "60000000", // dxfer_len 96
        "0070665544332211", // dxferp
        "0080665544332211", // cmdp
        "1080665544332211", // sbp
        "30750000", // timeout 30000 ms
        "00000000", // flags
        "07000000", // pack_id
        "00000000", // padding before usr_ptr
        "0000000000000000", // usr_ptr
        "00000000", // status, masked_status, msg_status, sb_len_wr
        "00000000", // host_status, driver_status
        "00000000", // resid
        "00000000", // duration
        "00000000", // info
        "00000000", // tail padding to 88
      ].join(""),
    );
  });

  it("encodes the 32-bit layout (64 bytes)", () => {
    const small = { ...input, dxferp: 0x55667000n, cmdp: 0x55668000n, sbp: 0x55668010n };
    const hex = Buffer.from(sgIoHdr.encode(small, 4)).toString("hex");
    expect(hex).toBe(
      [
        "53000000", // interface_id
        "fdffffff", // dxfer_direction
        "06400000", // cmd_len, mx_sb_len, iovec_count
        "60000000", // dxfer_len
        "00706655", // dxferp
        "00806655", // cmdp
        "10806655", // sbp
        "30750000", // timeout
        "00000000", // flags
        "07000000", // pack_id
        "00000000", // usr_ptr
        "00000000", // status bytes
        "00000000", // host/driver status
        "00000000", // resid
        "00000000", // duration
        "00000000", // info
      ].join(""),
    );
  });

  it("decodes the driver's output fields", () => {
    const b = new Uint8Array(88);
    b.set([0x02, 0x01, 0x00, 18], 64); // CHECK CONDITION, masked 1, sb_len_wr 18
    b.set([0x03, 0x00, 0x08, 0x00], 68); // DID_TIME_OUT, DRIVER_SENSE
    b.set([0x20, 0, 0, 0, 0x2c, 0x01, 0, 0, 1, 0, 0, 0], 72); // resid 32, duration 300, info 1
    expect(sgIoHdr.decodeOutput(b, 8)).toEqual({
      status: 2,
      maskedStatus: 1,
      msgStatus: 0,
      sbLenWr: 18,
      hostStatus: 3,
      driverStatus: 8,
      resid: 32,
      duration: 300,
      info: 1,
    });
  });

  it("rejects a CDB length outside 6..16 and a pointer too wide for 32 bits", () => {
    expect(() => sgIoHdr.encode({ ...input, cmdLen: 17 }, 8)).toThrow(/cmdLen/);
    expect(() => sgIoHdr.encode(input, 4)).toThrow(/32 bits/);
  });

  it("matches the C layout as koffi computes it for this machine", () => {
    const ptr = koffi.sizeof("void *");
    const T = koffi.struct("sg_io_hdr_check", {
      interface_id: "int",
      dxfer_direction: "int",
      cmd_len: "unsigned char",
      mx_sb_len: "unsigned char",
      iovec_count: "unsigned short",
      dxfer_len: "unsigned int",
      dxferp: "void *",
      cmdp: "unsigned char *",
      sbp: "unsigned char *",
      timeout: "unsigned int",
      flags: "unsigned int",
      pack_id: "int",
      usr_ptr: "void *",
      status: "unsigned char",
      masked_status: "unsigned char",
      msg_status: "unsigned char",
      sb_len_wr: "unsigned char",
      host_status: "unsigned short",
      driver_status: "unsigned short",
      resid: "int",
      duration: "unsigned int",
      info: "unsigned int",
    });
    const layout = SG_IO_HDR_LAYOUT[ptr as 4 | 8];
    expect(koffi.sizeof(T)).toBe(layout.size);
    expect(koffi.offsetof(T, "dxferp")).toBe(layout.dxferp);
    expect(koffi.offsetof(T, "cmdp")).toBe(layout.cmdp);
    expect(koffi.offsetof(T, "sbp")).toBe(layout.sbp);
    expect(koffi.offsetof(T, "timeout")).toBe(layout.timeout);
    expect(koffi.offsetof(T, "pack_id")).toBe(layout.packId);
    expect(koffi.offsetof(T, "usr_ptr")).toBe(layout.usrPtr);
    expect(koffi.offsetof(T, "status")).toBe(layout.status);
    expect(koffi.offsetof(T, "host_status")).toBe(layout.hostStatus);
    expect(koffi.offsetof(T, "driver_status")).toBe(layout.driverStatus);
    expect(koffi.offsetof(T, "resid")).toBe(layout.resid);
    expect(koffi.offsetof(T, "duration")).toBe(layout.duration);
    expect(koffi.offsetof(T, "info")).toBe(layout.info);
  });
});
