import { describe, it, expect } from "vitest";
import { OsError } from "@discforge/transport";
import { describeTransportContract } from "@discforge/transport/contract";
import { DRIVE_TYPE, IOCTL, SPTD_LAYOUT, WIN32_ERROR, devicePath, enumerateWin32Drives, openWin32Transport, osErrorFromWin32, resultFromIoctlError } from "../src/index.js";
import { fakeWin32 } from "./fake-api.js";

describeTransportContract("win32 pass-through over a fake DeviceIoControl (x64)", () => openWin32Transport("D:", { api: fakeWin32("x64") }));
describeTransportContract("win32 pass-through over a fake DeviceIoControl (x86)", () => {
  const api = fakeWin32("x86");
  api.cdromNames = 1;
  return openWin32Transport("CdRom0", { api });
});

describe("device names", () => {
  it.each([
    ["D:", "\\\\.\\D:"],
    ["e", "\\\\.\\E:"],
    ["F:\\", "\\\\.\\F:"],
    ["CdRom2", "\\\\.\\CdRom2"],
    ["\\\\.\\CdRom0", "\\\\.\\CdRom0"],
  ])("%s → %s", (name, path) => expect(devicePath(name)).toBe(path));
});

describe("request building", () => {
  it.each(["x64", "x86"] as const)("%s: CDB, direction, length, timeout in seconds, data buffer and sense offset", async (arch) => {
    const api = fakeWin32(arch);
    const t = await openWin32Transport("D:", { api });
    const dataOut = new Uint8Array(4096).fill(0x5a);
    await t.execute({ cdb: new Uint8Array([0x2a, 0, 0, 0, 0, 0, 0, 0, 2, 0]), direction: "out", dataOut, timeoutMs: 1500 });
    const call = api.calls.at(-1)!;
    expect(call.code).toBe(IOCTL.SCSI_PASS_THROUGH_DIRECT);
    const o = SPTD_LAYOUT[arch];
    const v = new DataView(call.block!.buffer);
    expect(v.getUint16(0, true)).toBe(o.sptdSize);
    expect(v.getUint8(6)).toBe(10); // CdbLength
    expect(v.getUint8(7)).toBe(64); // SenseInfoLength
    expect(v.getUint8(8)).toBe(0); // SCSI_IOCTL_DATA_OUT
    expect(v.getUint32(o.dataTransferLength, true)).toBe(4096);
    expect(v.getUint32(o.timeOutValue, true)).toBe(2); // 1.5 s rounds up, never down to 0
    expect(v.getUint32(o.senseInfoOffset, true)).toBe(o.senseBuffer);
    const address = o.pointerSize === 8 ? v.getBigUint64(o.dataBuffer, true) : BigInt(v.getUint32(o.dataBuffer, true));
    expect(address % 4096n).toBe(0n); // page-aligned data buffer
    expect(Buffer.from(call.cdb!).toString("hex")).toBe("2a000000000000000200");
    await t.close();
  });
});

describe("result mapping", () => {
  it("data-in with a short transfer reports the residual", async () => {
    const t = await openWin32Transport("D:", { api: fakeWin32() });
    const r = await t.execute({ cdb: new Uint8Array([0x12, 0, 0, 0, 96, 0]), direction: "in", dataInLength: 96, timeoutMs: 1000 });
    expect(r).toMatchObject({ kind: "good", residual: 60 });
    await t.close();
  });

  it("CHECK CONDITION returns exactly the sense bytes the port driver wrote", async () => {
    const t = await openWin32Transport("D:", { api: fakeWin32() });
    const r = await t.execute({ cdb: new Uint8Array([0xff, 0, 0, 0, 0, 0]), direction: "none", timeoutMs: 1000 });
    expect(r.kind).toBe("check-condition");
    if (r.kind === "check-condition") expect(Buffer.from(r.sense).toString("hex")).toBe("700005000000000a000000002000" + "00000000");
    await t.close();
  });

  it("other SCSI status bytes become status results", async () => {
    const t = await openWin32Transport("D:", { api: fakeWin32() });
    expect(await t.execute({ cdb: new Uint8Array([0x08, 0, 0, 0, 0, 0]), direction: "none", timeoutMs: 1000 })).toMatchObject({ kind: "status", status: "busy", statusByte: 8 });
    await t.close();
  });

  it.each([
    [WIN32_ERROR.ERROR_SEM_TIMEOUT, { kind: "transport-error", reason: "timeout" }],
    [WIN32_ERROR.ERROR_IO_DEVICE, { kind: "transport-error", reason: "host-error" }],
    [WIN32_ERROR.ERROR_DEVICE_NOT_CONNECTED, { kind: "os-error", osKind: "disconnected", tag: "ERROR_DEVICE_NOT_CONNECTED" }],
    [WIN32_ERROR.ERROR_DEV_NOT_EXIST, { kind: "os-error", osKind: "disconnected" }],
    [WIN32_ERROR.ERROR_NO_MEDIA_IN_DRIVE, { kind: "os-error", osKind: "no-medium" }],
    [WIN32_ERROR.ERROR_INVALID_PARAMETER, { kind: "os-error", osKind: "invalid" }],
    [WIN32_ERROR.ERROR_ACCESS_DENIED, { kind: "os-error", osKind: "permission-denied" }],
  ])("DeviceIoControl error %i becomes a result", async (code, expected) => {
    const api = fakeWin32();
    const t = await openWin32Transport("D:", { api });
    api.ioctlErrors.push(code);
    expect(await t.execute({ cdb: new Uint8Array(6), direction: "none", timeoutMs: 1000 })).toMatchObject(expected);
    await t.close();
  });

  it("GetLastError is mapped in one place, with hints", () => {
    expect(osErrorFromWin32(WIN32_ERROR.ERROR_ACCESS_DENIED, "CreateFileW")).toMatchObject({ osKind: "permission-denied", tag: "ERROR_ACCESS_DENIED", osCode: 5 });
    expect(osErrorFromWin32(WIN32_ERROR.ERROR_ACCESS_DENIED, "CreateFileW").hint).toMatch(/administrator/);
    expect(osErrorFromWin32(WIN32_ERROR.ERROR_SHARING_VIOLATION, "CreateFileW")).toMatchObject({ osKind: "busy" });
    expect(osErrorFromWin32(12345, "x")).toMatchObject({ osKind: "other", tag: "Win32 error 12345" });
    expect(resultFromIoctlError(WIN32_ERROR.ERROR_OPERATION_ABORTED, 1)).toMatchObject({ kind: "transport-error", reason: "aborted" });
  });

  it("CreateFileW failures reject open with OsError", async () => {
    const api = fakeWin32();
    api.createFileError = WIN32_ERROR.ERROR_ACCESS_DENIED;
    await expect(openWin32Transport("D:", { api })).rejects.toBeInstanceOf(OsError);
    api.createFileError = WIN32_ERROR.ERROR_FILE_NOT_FOUND;
    await expect(openWin32Transport("Q:", { api })).rejects.toMatchObject({ osKind: "not-found" });
  });
});

describe("write-class safety", () => {
  it("a device that is not MMC is never sent a write-class command", async () => {
    const api = fakeWin32("x64", 0x00);
    const t = await openWin32Transport("D:", { api });
    expect(t.peripheralType).toBe(0);
    const r = await t.execute({ cdb: new Uint8Array([0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0]), direction: "out", dataOut: new Uint8Array(2048), timeoutMs: 1000 });
    expect(r).toMatchObject({ kind: "transport-error", reason: "refused" });
    expect(await t.execute({ cdb: new Uint8Array([0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]), direction: "none", timeoutMs: 1000 })).toMatchObject({ reason: "refused" });
    expect(api.calls.map((c) => c.cdb?.[0])).toEqual([0x12]);
    await t.close();
  });
});

describe("exclusive access and enumeration", () => {
  it("lockVolume sends FSCTL_LOCK_VOLUME then FSCTL_DISMOUNT_VOLUME; close unlocks", async () => {
    const api = fakeWin32();
    const t = await openWin32Transport("D:", { api });
    await t.lockVolume();
    expect(t.isVolumeLocked).toBe(true);
    await t.close();
    expect(api.calls.filter((c) => c.code !== IOCTL.SCSI_PASS_THROUGH_DIRECT).map((c) => c.code)).toEqual([IOCTL.FSCTL_LOCK_VOLUME, IOCTL.FSCTL_DISMOUNT_VOLUME, IOCTL.FSCTL_UNLOCK_VOLUME]);
  });

  it("lists drive letters of type DRIVE_CDROM and letterless \\\\.\\CdRomN devices", () => {
    const api = fakeWin32();
    api.drives = { "C:\\": DRIVE_TYPE.fixed, "D:\\": DRIVE_TYPE.cdrom, "E:\\": DRIVE_TYPE.removable, "F:\\": DRIVE_TYPE.cdrom };
    api.cdromNames = 3;
    expect(enumerateWin32Drives(api)).toEqual([{ path: "\\\\.\\D:", letter: "D" }, { path: "\\\\.\\F:", letter: "F" }, { path: "\\\\.\\CdRom2" }]);
  });
});
