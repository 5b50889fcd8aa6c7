import { describe, it, expect } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidArgumentError } from "@discforge/errors";
import { OsError } from "@discforge/transport";
import { describeTransportContract } from "@discforge/transport/contract";
import { ERRNO, ExclusiveAccessError, HOST_STATUS, O_FLAGS, SG, koffiSyscalls, openLinuxTransport, SENSE_BUFFER_LENGTH } from "../src/index.js";
import { fakeDevice, fakeSysFs, type FakeOptions } from "./fake-device.js";

const lockDirectory = mkdtempSync(join(tmpdir(), "df-locks-"));
const noSysfs = fakeSysFs({});

function open(options: FakeOptions = {}, path = "/dev/sg3") {
  const dev = fakeDevice(options);
  return { dev, transport: openLinuxTransport(path, { syscalls: dev, sysfs: noSysfs, lockDirectory }) };
}

const TUR = { cdb: new Uint8Array(6), direction: "none", timeoutMs: 1000 } as const;
const WRITE10 = { cdb: new Uint8Array([0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0]), direction: "out", dataOut: new Uint8Array(2048), timeoutMs: 1000 } as const;

describeTransportContract("linux SG_IO over a fake MMC device", async () => (await open({ latencyMs: 2 })).transport);

describe("opening", () => {
  it("maps open errors through the errno table, with the cdrom hint for EACCES", async () => {
    const err = await open({ openErrno: ERRNO.EACCES }).transport.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OsError);
    expect(err).toMatchObject({ osKind: "permission-denied", tag: "EACCES", syscall: "open" });
    expect((err as OsError).hint).toMatch(/cdrom/);
    await expect(open({ openErrno: ERRNO.ENOENT }).transport).rejects.toMatchObject({ osKind: "not-found" });
    await expect(open({ openErrno: ERRNO.EBUSY }).transport).rejects.toMatchObject({ osKind: "busy" });
    await expect(open({ openErrno: ERRNO.ENOMEDIUM }).transport).rejects.toMatchObject({ osKind: "no-medium" });
    await expect(open({ openErrno: ERRNO.ENXIO }).transport).rejects.toMatchObject({ osKind: "disconnected" });
  });

  it("opens read-write, non-blocking, close-on-exec, and sends one INQUIRY first", async () => {
    const { dev, transport } = open();
    const t = await transport;
    expect(dev.opens[0]).toEqual({ path: "/dev/sg3", flags: O_FLAGS.rdwr | O_FLAGS.nonblock | O_FLAGS.cloexec });
    expect(dev.sent.map((r) => r.cdb[0])).toEqual([0x12]);
    expect(t.peripheralType).toBe(5);
    await t.close();
    expect(dev.closed).toEqual([10]);
  });
});

describe("requests handed to SG_IO", () => {
  it("carry the CDB, direction, data, timeout and a 64-byte sense buffer", async () => {
    const { dev, transport } = open();
    const t = await transport;
    await t.execute({ cdb: new Uint8Array([0x12, 0, 0, 0, 36, 0]), direction: "in", dataInLength: 36, timeoutMs: 4321 });
    await t.execute(WRITE10);
    await t.execute(TUR);
    const [, inq, write, tur] = dev.sent;
    expect(inq).toMatchObject({ dxferDirection: SG.dxferFromDev, dataInLength: 36, timeoutMs: 4321, senseLength: SENSE_BUFFER_LENGTH });
    expect(write).toMatchObject({ dxferDirection: SG.dxferToDev, dataInLength: 0 });
    expect(write!.dataOut?.length).toBe(2048);
    expect(tur).toMatchObject({ dxferDirection: SG.dxferNone, dataInLength: 0 });
    expect(SENSE_BUFFER_LENGTH).toBe(64);
    await t.close();
  });

  it("retries an SG_IO interrupted by a signal (EINTR) and returns the real answer", async () => {
    const { dev, transport } = open();
    const t = await transport;
    dev.options.script = [{ ret: -ERRNO.EINTR }, { ret: -ERRNO.EINTR }];
    const r = await t.execute(TUR);
    expect(r.kind).toBe("good");
    expect(dev.sent.filter((s) => s.cdb[0] === 0).length).toBe(3);
    dev.options.script = Array.from({ length: 20 }, () => ({ ret: -ERRNO.EINTR }));
    expect(await t.execute(TUR)).toMatchObject({ kind: "os-error", tag: "EINTR" });
    await t.close();
  });

  it.each([
    [ERRNO.ENODEV, { kind: "os-error", osKind: "disconnected", syscall: "ioctl(SG_IO)" }],
    [ERRNO.ENXIO, { kind: "os-error", osKind: "disconnected" }],
    [ERRNO.EBUSY, { kind: "os-error", osKind: "busy" }],
    [ERRNO.ENOMEDIUM, { kind: "os-error", osKind: "no-medium" }],
    [ERRNO.EPERM, { kind: "os-error", osKind: "permission-denied" }],
    [ERRNO.ETIMEDOUT, { kind: "transport-error", reason: "timeout" }],
  ])("ioctl errno %i becomes a result, never a throw", async (errno, expected) => {
    const { dev, transport } = open();
    const t = await transport;
    dev.options.script = [{ ret: -errno }];
    expect(await t.execute(TUR)).toMatchObject(expected);
    await t.close();
  });

  it("host status from the kernel becomes a transport error", async () => {
    const { dev, transport } = open();
    const t = await transport;
    dev.options.script = [{ hostStatus: HOST_STATUS.DID_NO_CONNECT }, { hostStatus: HOST_STATUS.DID_TIME_OUT, driverStatus: 0x06 }, { hostStatus: HOST_STATUS.DID_RESET }];
    expect(await t.execute(TUR)).toMatchObject({ kind: "transport-error", reason: "disconnected", hostStatus: 1 });
    expect(await t.execute(TUR)).toMatchObject({ kind: "transport-error", reason: "timeout", hostStatus: 3, driverStatus: 6 });
    expect(await t.execute(TUR)).toMatchObject({ kind: "transport-error", reason: "reset" });
    await t.close();
  });
});

describe("transfer limit", () => {
  it("comes from sysfs max_hw_sectors_kb and is enforced before sending", async () => {
    const sysfs = fakeSysFs(
      { "/sys/class/block/sr0/queue/max_hw_sectors_kb": "64\n", "/sys/class/block/sr0/device/type": "5" },
      { "/dev/sr0": "/dev/sr0", "/sys/class/block/sr0/device": "/sys/devices/pci0000:00/host0/target0:0:0/0:0:0:0" },
    );
    const dev = fakeDevice();
    const t = await openLinuxTransport("/dev/sr0", { syscalls: dev, sysfs, lockDirectory });
    expect(t.maxTransferBytes).toBe(65536);
    await expect(t.execute({ cdb: new Uint8Array([0x28, 0, 0, 0, 0, 0, 0, 0, 33, 0]), direction: "in", dataInLength: 33 * 2048, timeoutMs: 1000 })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(dev.sent.some((s) => s.cdb[0] === 0x28)).toBe(false);
    await t.close();
    const segmented = fakeSysFs(
      { "/sys/class/block/sr0/queue/max_hw_sectors_kb": "32767\n", "/sys/class/block/sr0/queue/max_segments": "126\n" },
      { "/dev/sr0": "/dev/sr0" },
    );
    const t2 = await openLinuxTransport("/dev/sr0", { syscalls: fakeDevice(), sysfs: segmented, lockDirectory });
    expect(t2.maxTransferBytes).toBe(Math.floor((126 * 4096) / 2048) * 2048);
    await t2.close();
  });

  it("for sg nodes is what the reserved buffer was granted", async () => {
    const dev = fakeDevice({ reservedSize: 128 * 1024 });
    const t = await openLinuxTransport("/dev/sg7", { syscalls: dev, sysfs: fakeSysFs({}, { "/dev/sg7": "/dev/sg7" }), lockDirectory });
    expect(t.maxTransferBytes).toBe(128 * 1024);
    await t.close();
    const sect = fakeDevice({ reservedSize: 1 << 30, blkSectGet: 256 * 1024 });
    const t2 = await openLinuxTransport("/dev/sg7", { syscalls: sect, sysfs: fakeSysFs({}, { "/dev/sg7": "/dev/sg7" }), lockDirectory });
    expect(t2.maxTransferBytes).toBe(256 * 1024);
    await t2.close();
  });
});

describe("write-class safety", () => {
  const refusedCommands = [
    ["WRITE(10)", WRITE10],
    ["SYNCHRONIZE CACHE", { cdb: new Uint8Array([0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]), direction: "none", timeoutMs: 1000 }],
    ["CLOSE TRACK/SESSION", { cdb: new Uint8Array([0x5b, 0, 2, 0, 0, 0, 0, 0, 0, 0]), direction: "none", timeoutMs: 1000 }],
    ["BLANK / ATA PASS-THROUGH(12)", { cdb: new Uint8Array([0xa1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), direction: "none", timeoutMs: 1000 }],
    ["FORMAT UNIT", { cdb: new Uint8Array([0x04, 0, 0, 0, 0, 0]), direction: "none", timeoutMs: 1000 }],
    ["MODE SELECT(10)", { cdb: new Uint8Array([0x55, 0x10, 0, 0, 0, 0, 0, 0, 8, 0]), direction: "out", dataOut: new Uint8Array(8), timeoutMs: 1000 }],
    ["RESERVE TRACK", { cdb: new Uint8Array([0x53, 0, 0, 0, 0, 0, 0, 0, 1, 0]), direction: "none", timeoutMs: 1000 }],
    ["SEND CUE SHEET", { cdb: new Uint8Array([0x5d, 0, 0, 0, 0, 0, 0, 0, 8, 0]), direction: "out", dataOut: new Uint8Array(8), timeoutMs: 1000 }],
    ["unknown opcode", { cdb: new Uint8Array([0xc0, 0, 0, 0, 0, 0]), direction: "none", timeoutMs: 1000 }],
  ] as const;

  it.each(refusedCommands)("a hard disk (type 00h) is never sent %s", async (_name, command) => {
    const { dev, transport } = open({ peripheralType: 0x00 });
    const t = await transport;
    expect(t.peripheralType).toBe(0);
    const r = await t.execute(command);
    expect(r).toMatchObject({ kind: "transport-error", reason: "refused" });
    expect(dev.sent.map((s) => s.cdb[0])).toEqual([0x12]); // only the opening INQUIRY reached the kernel
    await t.close();
  });

  it("a hard disk may still be read and inquired", async () => {
    const { dev, transport } = open({ peripheralType: 0x00 });
    const t = await transport;
    expect((await t.execute({ cdb: new Uint8Array([0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0]), direction: "in", dataInLength: 2048, timeoutMs: 1000 })).kind).toBe("good");
    expect((await t.execute(TUR)).kind).toBe("good");
    expect(dev.sent.map((s) => s.cdb[0])).toEqual([0x12, 0x28, 0x00]);
    await t.close();
  });

  it("an MMC device (type 05h) receives write-class commands", async () => {
    const { dev, transport } = open({ peripheralType: 0x05 });
    const t = await transport;
    for (const [, command] of refusedCommands) await t.execute(command);
    expect(dev.sent.length).toBe(1 + refusedCommands.length);
    await t.close();
  });

  it("a device whose INQUIRY fails is treated as not MMC until a later INQUIRY says 05h", async () => {
    const failing = { hostStatus: HOST_STATUS.DID_ERROR };
    const { dev, transport } = open({ peripheralType: 0x05, script: [failing] });
    const t = await transport;
    expect(t.peripheralType).toBeUndefined();
    expect(await t.execute(WRITE10)).toMatchObject({ kind: "transport-error", reason: "refused" });
    const inq = await t.execute({ cdb: new Uint8Array([0x12, 0, 0, 0, 36, 0]), direction: "in", dataInLength: 36, timeoutMs: 1000 });
    expect(inq.kind).toBe("good");
    expect(t.peripheralType).toBe(5);
    expect((await t.execute(WRITE10)).kind).toBe("good");
    expect(dev.sent.filter((s) => s.cdb[0] === 0x2a).length).toBe(1);
    await t.close();
  });
});

describe("exclusive access (O_EXCL + advisory lock naming the owner)", () => {
  // Real flock(2) through koffi on a temporary lock file; the device itself is fake.
  const flock = koffiSyscalls().flock;
  const withRealFlock = (options: FakeOptions = {}) => {
    const dev = fakeDevice(options);
    dev.flock = flock;
    return dev;
  };
  const sysfs = fakeSysFs({}, { "/dev/sg2": "/dev/sg2", "/dev/sr2": "/dev/sr2", "/sys/class/scsi_generic/sg2/device": "/sys/devices/x/1:0:2:0", "/sys/class/block/sr2/device": "/sys/devices/x/1:0:2:0" });

  it("names the owner to everyone else, across the sg and sr nodes of one drive", async () => {
    const a = withRealFlock();
    const owner = await openLinuxTransport("/dev/sg2", { syscalls: a, sysfs, lockDirectory, exclusive: { clientName: "burner A" } });
    expect(a.opens[0]!.flags & O_FLAGS.excl).toBe(O_FLAGS.excl);
    expect(owner.isExclusive).toBe(true);

    const b = withRealFlock();
    const err = await openLinuxTransport("/dev/sr2", { syscalls: b, sysfs, lockDirectory, exclusive: { clientName: "burner B" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExclusiveAccessError);
    expect((err as ExclusiveAccessError).owner).toMatchObject({ clientName: "burner A", pid: process.pid });
    expect((err as ExclusiveAccessError).imapi?.name).toBe("E_IMAPI_RECORDER_LOCKED");
    expect(b.opens).toEqual([]); // refused before touching the device

    const observer = await openLinuxTransport("/dev/sr2", { syscalls: withRealFlock(), sysfs, lockDirectory });
    expect(observer.exclusiveAccessOwner()?.clientName).toBe("burner A");
    await owner.close();
    expect(observer.exclusiveAccessOwner()).toBeUndefined();
    await observer.close();
  });

  it("acquire and release on an open transport reopen the device with and without O_EXCL", async () => {
    const dev = withRealFlock();
    const t = await openLinuxTransport("/dev/sg2", { syscalls: dev, sysfs, lockDirectory });
    await t.acquireExclusiveAccess("client X");
    expect(t.exclusiveAccessOwner()?.clientName).toBe("client X");
    expect(dev.opens.map((o) => (o.flags & O_FLAGS.excl) !== 0)).toEqual([false, true]);
    await expect(t.acquireExclusiveAccess("client Y")).rejects.toBeInstanceOf(ExclusiveAccessError);
    await t.releaseExclusiveAccess();
    expect(t.exclusiveAccessOwner()).toBeUndefined();
    expect(dev.opens.map((o) => (o.flags & O_FLAGS.excl) !== 0)).toEqual([false, true, false]);
    expect((await t.execute(TUR)).kind).toBe("good");
    await t.close();
  });

  it("a device busy with O_EXCL (mounted) gives ExclusiveAccessError and keeps the transport usable", async () => {
    const dev = withRealFlock();
    const t = await openLinuxTransport("/dev/sg2", { syscalls: dev, sysfs, lockDirectory });
    dev.open = (_path, flags) => (flags & O_FLAGS.excl ? -ERRNO.EBUSY : 20);
    const err = await t.acquireExclusiveAccess("client Z").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExclusiveAccessError);
    expect(String(err)).toMatch(/mounted/);
    expect(t.exclusiveAccessOwner()).toBeUndefined();
    expect((await t.execute(TUR)).kind).toBe("good");
    await t.close();
  });
});
