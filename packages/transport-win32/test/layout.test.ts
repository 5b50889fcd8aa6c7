import { describe, it, expect } from "vitest";
import koffi from "koffi";
import { IOCTL, SPTD_LAYOUT, sptdWithSense, ctlCode } from "../src/index.js";

/**
 * SCSI_PASS_THROUGH_DIRECT as ntddscsi.h declares it, laid out by koffi with the C alignment
 * rules. x64: ULONG is 32 bits and PVOID 64 (LLP64, same offsets as on this Linux x86-64 host
 * when ULONG is spelled uint32_t). x86: PVOID is 32 bits and 4-aligned, modelled by uint32_t.
 */
function koffiLayout(pointer: "void *" | "uint32_t", name: string) {
  const SPTD = koffi.struct(`${name}_sptd`, {
    Length: "uint16_t",
    ScsiStatus: "uint8_t",
    PathId: "uint8_t",
    TargetId: "uint8_t",
    Lun: "uint8_t",
    CdbLength: "uint8_t",
    SenseInfoLength: "uint8_t",
    DataIn: "uint8_t",
    DataTransferLength: "uint32_t",
    TimeOutValue: "uint32_t",
    DataBuffer: pointer,
    SenseInfoOffset: "uint32_t",
    Cdb: koffi.array("uint8_t", 16),
  });
  const WithSense = koffi.struct(`${name}_with_sense`, { sptd: SPTD, Filler: "uint32_t", SenseBuf: koffi.array("uint8_t", 64) });
  return {
    sptdSize: koffi.sizeof(SPTD),
    scsiStatus: koffi.offsetof(SPTD, "ScsiStatus"),
    dataTransferLength: koffi.offsetof(SPTD, "DataTransferLength"),
    timeOutValue: koffi.offsetof(SPTD, "TimeOutValue"),
    dataBuffer: koffi.offsetof(SPTD, "DataBuffer"),
    senseInfoOffset: koffi.offsetof(SPTD, "SenseInfoOffset"),
    cdb: koffi.offsetof(SPTD, "Cdb"),
    filler: koffi.offsetof(WithSense, "Filler"),
    senseBuffer: koffi.offsetof(WithSense, "SenseBuf"),
    blockSize: koffi.sizeof(WithSense),
    pointerSize: pointer === "void *" ? 8 : 4,
  };
}

describe("SCSI_PASS_THROUGH_DIRECT layout", () => {
  it("x64: koffi's layout equals our codec's table and the documented sizes (56, sense at 60, block 128)", () => {
    expect(koffi.sizeof("void *")).toBe(8); // the x64 half needs a 64-bit host
    expect(koffiLayout("void *", "x64")).toEqual(SPTD_LAYOUT.x64);
    expect(SPTD_LAYOUT.x64).toMatchObject({ sptdSize: 56, dataBuffer: 24, senseInfoOffset: 32, cdb: 36, senseBuffer: 60, blockSize: 128 });
  });

  it("x86: koffi's layout with 4-byte pointers equals our table and the documented sizes (44, sense at 48, block 112)", () => {
    expect(koffiLayout("uint32_t", "x86")).toEqual(SPTD_LAYOUT.x86);
    expect(SPTD_LAYOUT.x86).toMatchObject({ sptdSize: 44, dataBuffer: 20, senseInfoOffset: 24, cdb: 28, senseBuffer: 48, blockSize: 112 });
  });

  it("encodes a READ(10) request for x64 (golden vector)", () => {
    const block = sptdWithSense.encode(
      { cdb: new Uint8Array([0x28, 0, 0, 0, 0, 0x10, 0, 0, 0x20, 0]), dataIn: 1, dataTransferLength: 0x10000, timeOutValue: 30, dataBuffer: 0x0000_7ff6_1234_0000n },
      "x64",
    );
    expect(Buffer.from(block.subarray(0, 60)).toString("hex")).toBe(
      [
        "3800", // Length 56
        "00", // ScsiStatus
        "000000", // PathId, TargetId, Lun
        "0a", // CdbLength 10
        "40", // SenseInfoLength 64
        "01", // DataIn = SCSI_IOCTL_DATA_IN
        "000000", // padding
        "00000100", // DataTransferLength 65536
        "1e000000", // TimeOutValue 30 s
        "00000000", // padding to 8
        "00003412f67f0000", // DataBuffer 0x00007FF612340000
        "3c000000", // SenseInfoOffset 60
        "28000000001000002000000000000000", // Cdb[16]
        "00000000", // struct tail padding
        "00000000", // Filler
      ].join(""),
    );
    expect(block.length).toBe(128);
  });

  it("encodes the same request for x86 (golden vector)", () => {
    const block = sptdWithSense.encode({ cdb: new Uint8Array([0x00, 0, 0, 0, 0, 0]), dataIn: 2, dataTransferLength: 0, timeOutValue: 10, dataBuffer: 0n }, "x86");
    expect(Buffer.from(block.subarray(0, 48)).toString("hex")).toBe(
      [
        "2c00", // Length 44
        "00000000", // ScsiStatus, PathId, TargetId, Lun
        "06", // CdbLength
        "40", // SenseInfoLength
        "02", // DataIn = SCSI_IOCTL_DATA_UNSPECIFIED
        "000000", // padding
        "00000000", // DataTransferLength
        "0a000000", // TimeOutValue 10 s
        "00000000", // DataBuffer (none)
        "30000000", // SenseInfoOffset 48
        "00000000000000000000000000000000", // Cdb
        "00000000", // Filler
      ].join(""),
    );
    expect(block.length).toBe(112);
  });

  it("decodes the port driver's answer: status, sense length, transferred bytes", () => {
    const block = new Uint8Array(128);
    const v = new DataView(block.buffer);
    v.setUint8(2, 0x02);
    v.setUint8(7, 18);
    v.setUint32(12, 0, true);
    block.set([0x70, 0, 0x06, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x28, 0], 60);
    const r = sptdWithSense.decodeReply(block, "x64");
    expect(r.scsiStatus).toBe(2);
    expect(r.senseInfoLength).toBe(18);
    expect(Buffer.from(r.sense.subarray(0, 14)).toString("hex")).toBe("700006000000000a000000002800"); // UNIT ATTENTION 28/00
  });

  it("IOCTL and FSCTL codes equal the CTL_CODE values of ntddscsi.h and winioctl.h", () => {
    expect(IOCTL.SCSI_PASS_THROUGH_DIRECT).toBe(0x4d014);
    expect(IOCTL.SCSI_GET_ADDRESS).toBe(0x41018);
    expect(IOCTL.FSCTL_LOCK_VOLUME).toBe(0x90018);
    expect(IOCTL.FSCTL_UNLOCK_VOLUME).toBe(0x9001c);
    expect(IOCTL.FSCTL_DISMOUNT_VOLUME).toBe(0x90020);
    expect(ctlCode(0x04, 0x0401, 0, 3)).toBe(0x4d004); // IOCTL_SCSI_PASS_THROUGH
  });
});
