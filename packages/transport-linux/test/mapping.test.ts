import { describe, it, expect } from "vitest";
import { ERRNO, HOST_STATUS, osErrorFromErrno, resultFromSgCompletion, isRetryableErrno, timeoutFromErrno, type SgCompletion } from "../src/index.js";

describe("errno mapping (one place)", () => {
  it.each([
    [ERRNO.EACCES, "permission-denied", "EACCES"],
    [ERRNO.EPERM, "permission-denied", "EPERM"],
    [ERRNO.EBUSY, "busy", "EBUSY"],
    [ERRNO.ENOMEDIUM, "no-medium", "ENOMEDIUM"],
    [ERRNO.ENXIO, "disconnected", "ENXIO"],
    [ERRNO.ENODEV, "disconnected", "ENODEV"],
    [ERRNO.ENOENT, "not-found", "ENOENT"],
    [ERRNO.ENOTTY, "unsupported", "ENOTTY"],
    [ERRNO.EIO, "io", "EIO"],
    [ERRNO.EINVAL, "invalid", "EINVAL"],
    [999, "other", "errno 999"],
  ])("errno %i → %s (%s)", (errno, kind, tag) => {
    const r = osErrorFromErrno(errno, "open", 3);
    expect(r).toMatchObject({ kind: "os-error", osKind: kind, tag, osCode: errno, syscall: "open", durationMs: 3 });
  });

  it("permission errors tell the user about the cdrom group and udev", () => {
    for (const errno of [ERRNO.EACCES, ERRNO.EPERM]) {
      const hint = osErrorFromErrno(errno, "open").hint ?? "";
      expect(hint).toMatch(/cdrom/);
      expect(hint).toMatch(/udev/);
    }
    expect(osErrorFromErrno(ERRNO.EBUSY, "open").hint).toMatch(/mounted/);
  });

  it("retries only EINTR; ETIMEDOUT is a transport timeout", () => {
    expect(isRetryableErrno(ERRNO.EINTR)).toBe(true);
    expect(isRetryableErrno(ERRNO.EAGAIN)).toBe(false);
    expect(timeoutFromErrno(ERRNO.ETIMEDOUT, 5)).toMatchObject({ kind: "transport-error", reason: "timeout", durationMs: 5 });
    expect(timeoutFromErrno(ERRNO.EIO, 5)).toBeUndefined();
  });
});

function completion(over: Partial<SgCompletion>): SgCompletion {
  return {
    status: 0,
    maskedStatus: 0,
    msgStatus: 0,
    sbLenWr: 0,
    hostStatus: 0,
    driverStatus: 0,
    resid: 0,
    duration: 12,
    info: 0,
    dataInLength: 0,
    dataIn: new Uint8Array(0),
    senseBuffer: new Uint8Array(64),
    ...over,
  };
}

describe("SG_IO completion → contract result", () => {
  it("GOOD with a residual returns only the transferred bytes", () => {
    const dataIn = Uint8Array.from({ length: 96 }, (_, i) => i);
    const r = resultFromSgCompletion(completion({ dataInLength: 96, dataIn, resid: 30 }));
    expect(r.kind).toBe("good");
    if (r.kind !== "good") return;
    expect(r.data.length).toBe(66);
    expect(r.residual).toBe(30);
    expect(r.data[65]).toBe(65);
    expect(r.durationMs).toBe(12);
  });

  it("CHECK CONDITION carries exactly sb_len_wr sense bytes", () => {
    const senseBuffer = new Uint8Array(64);
    senseBuffer.set([0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x20, 0x00]);
    const r = resultFromSgCompletion(completion({ status: 0x02, driverStatus: 0x08, sbLenWr: 18, senseBuffer, dataInLength: 8, resid: 8, dataIn: new Uint8Array(8) }));
    expect(r).toMatchObject({ kind: "check-condition", residual: 8 });
    if (r.kind !== "check-condition") return;
    expect(Buffer.from(r.sense).toString("hex")).toBe("700005000000000a0000000020000000" + "0000");
  });

  it("sense reported through DRIVER_SENSE with status GOOD is still a check condition", () => {
    const senseBuffer = new Uint8Array(64);
    senseBuffer.set([0x72, 0x06, 0x28, 0x00]);
    const r = resultFromSgCompletion(completion({ driverStatus: 0x08, sbLenWr: 8, senseBuffer }));
    expect(r.kind).toBe("check-condition");
  });

  it.each([
    [HOST_STATUS.DID_NO_CONNECT, "disconnected"],
    [HOST_STATUS.DID_BUS_BUSY, "bus-busy"],
    [HOST_STATUS.DID_TIME_OUT, "timeout"],
    [HOST_STATUS.DID_BAD_TARGET, "bad-target"],
    [HOST_STATUS.DID_ABORT, "host-error"],
    [HOST_STATUS.DID_ERROR, "host-error"],
    [HOST_STATUS.DID_RESET, "reset"],
    [HOST_STATUS.DID_TRANSPORT_DISRUPTED, "disconnected"],
    [HOST_STATUS.DID_TRANSPORT_FAILFAST, "disconnected"],
    [HOST_STATUS.DID_IMM_RETRY, "bus-busy"],
    [0x7f, "host-error"],
  ])("host status %i → transport-error %s, raw statuses kept", (host, reason) => {
    const r = resultFromSgCompletion(completion({ hostStatus: host, driverStatus: 0x06, status: 0x02 }));
    expect(r).toMatchObject({ kind: "transport-error", reason, hostStatus: host, driverStatus: 0x06 });
  });

  it("driver status: TIMEOUT → timeout, other errors → host-error, SENSE alone is not an error", () => {
    expect(resultFromSgCompletion(completion({ driverStatus: 0x06 }))).toMatchObject({ kind: "transport-error", reason: "timeout" });
    expect(resultFromSgCompletion(completion({ driverStatus: 0x04 }))).toMatchObject({ kind: "transport-error", reason: "host-error", detail: "driver status DRIVER_ERROR" });
    expect(resultFromSgCompletion(completion({ driverStatus: 0x08 })).kind).toBe("good");
  });

  it.each([
    [0x08, "busy"],
    [0x18, "reservation-conflict"],
    [0x28, "task-set-full"],
    [0x40, "task-aborted"],
    [0x04, "condition-met"],
  ])("status byte %i → status result %s", (statusByte, status) => {
    expect(resultFromSgCompletion(completion({ status: statusByte }))).toMatchObject({ kind: "status", status, statusByte });
  });
});
