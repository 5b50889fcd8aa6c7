/**
 * ScsiTransport over Linux SG_IO (sg driver `/dev/sgN` or block driver `/dev/srN`).
 *
 * - Commands run one at a time through the shared CommandQueue; each SG_IO runs on a koffi
 *   worker thread, so a CLOSE SESSION that takes minutes never blocks the event loop.
 * - The transport sends one INQUIRY when it opens and refuses every write-class command unless
 *   the device said peripheral type 05h (see safety.ts).
 * - The largest transfer is the device's own limit (sysfs max_hw_sectors_kb and max_segments,
 *   BLKSECTGET, and for sg nodes the reserved buffer, which is enlarged to the wanted size first).
 */
import { basename } from "node:path";
import { StateError } from "@discforge/errors";
import {
  CommandQueue,
  OsError,
  failure,
  validateCommand,
  type OsErrorResult,
  type ScsiCommand,
  type ScsiResult,
  type ScsiTransport,
} from "@discforge/transport";
import { BLKSECTGET, O_FLAGS, SG } from "./constants.js";
import { isRetryableErrno, osErrorFromErrno, timeoutFromErrno } from "./errno.js";
import { ExclusiveLockFile, defaultLockDirectory, lockFileName, type HeldLock, type LockOwner } from "./exclusive.js";
import { commandVerdict } from "./safety.js";
import { resultFromSgCompletion } from "./sg-result.js";
import { PAGE_SIZE, koffiSyscalls, nodeSysFs, type LinuxSyscalls, type SysFs } from "./syscalls.js";

/** Sense buffer handed to the kernel with every command (SPC-4 allows up to 252; 64 covers MMC). */
export const SENSE_BUFFER_LENGTH = 64;
/** Transfer size we ask for when the device allows more (what growisofs and cdrecord use). */
export const WANTED_TRANSFER_BYTES = 1024 * 1024;
/** Retries of an SG_IO interrupted by a signal before the command is sent. */
const EINTR_RETRIES = 8;
const INQUIRY_TIMEOUT_MS = 30_000;

export class ExclusiveAccessError extends StateError {
  constructor(
    readonly device: string,
    readonly owner: LockOwner | undefined,
    detail: string,
  ) {
    super(`${device}: ${detail}`, { imapi: { name: "E_IMAPI_RECORDER_LOCKED", hresult: 0xc0aa0210 } });
  }
}

export interface LinuxTransportOptions {
  readonly syscalls?: LinuxSyscalls;
  readonly sysfs?: SysFs;
  /** Take exclusive access at open (O_EXCL + the advisory lock naming this client). */
  readonly exclusive?: { readonly clientName: string };
  readonly lockDirectory?: string;
  /** Open O_RDONLY (sg accepts SG_IO on read-only opens only for some commands). */
  readonly readOnly?: boolean;
  /** Lower the transfer limit (never raised above what the device allows). */
  readonly maxTransferBytes?: number;
}

interface DeviceFacts {
  readonly kind: "sg" | "sr" | "other";
  readonly name: string;
  readonly scsiAddress: string | undefined;
  readonly sysfsMaxBytes: number | undefined;
}

function deviceFacts(path: string, fs: SysFs): DeviceFacts {
  const real = fs.realpath(path) ?? path;
  const name = basename(real);
  const kind = /^sg\d+$/.test(name) ? "sg" : /^sr\d+$/.test(name) ? "sr" : "other";
  const deviceDir = kind === "sg" ? `/sys/class/scsi_generic/${name}/device` : `/sys/class/block/${name}/device`;
  const address = fs.realpath(deviceDir)?.split("/").pop();
  let queueDir: string | undefined;
  if (kind === "sr") queueDir = `/sys/class/block/${name}/queue`;
  else if (kind === "sg") {
    const block = fs.list(`${deviceDir}/block`)[0];
    if (block) queueDir = `/sys/class/block/${block}/queue`;
  }
  const kb = queueDir ? Number.parseInt((fs.readText(`${queueDir}/max_hw_sectors_kb`) ?? "").trim(), 10) : NaN;
  // A pass-through request cannot be split: its pages must fit the queue's segment limit.
  const segments = queueDir ? Number.parseInt((fs.readText(`${queueDir}/max_segments`) ?? "").trim(), 10) : NaN;
  const hwBytes = Number.isFinite(kb) && kb > 0 ? kb * 1024 : undefined;
  const segmentBytes = Number.isFinite(segments) && segments > 0 ? segments * PAGE_SIZE : undefined;
  const limits = [hwBytes, segmentBytes].filter((n): n is number => n !== undefined);
  return {
    kind,
    name,
    scsiAddress: address && /^\d+:\d+:\d+:\d+$/.test(address) ? address : undefined,
    sysfsMaxBytes: limits.length > 0 ? Math.min(...limits) : undefined,
  };
}

export class LinuxSgTransport implements ScsiTransport {
  readonly description: string;
  private readonly queue = new CommandQueue();
  private fd: number;
  private lock: HeldLock | undefined;
  private inFlight: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private peripheralTypeValue: number | undefined;

  private constructor(
    readonly path: string,
    private readonly sys: LinuxSyscalls,
    private readonly facts: DeviceFacts,
    private readonly lockFile: ExclusiveLockFile,
    private readonly flags: number,
    fd: number,
    readonly maxTransferBytes: number,
  ) {
    this.description = path;
    this.fd = fd;
  }

  /** Opens the device, learns its transfer limit and peripheral type. Rejects with OsError or ExclusiveAccessError. */
  static async open(path: string, options: LinuxTransportOptions = {}): Promise<LinuxSgTransport> {
    const sys = options.syscalls ?? koffiSyscalls();
    const fs = options.sysfs ?? nodeSysFs;
    const facts = deviceFacts(path, fs);
    const lockFile = new ExclusiveLockFile(`${options.lockDirectory ?? defaultLockDirectory()}/${lockFileName(facts.scsiAddress ?? facts.name)}`, sys);
    const flags = (options.readOnly ? O_FLAGS.rdonly : O_FLAGS.rdwr) | O_FLAGS.nonblock | O_FLAGS.cloexec;

    let lock: HeldLock | undefined;
    if (options.exclusive) lock = takeLock(path, lockFile, options.exclusive.clientName);
    let fd: number;
    try {
      fd = openOrThrow(sys, path, flags | (options.exclusive ? O_FLAGS.excl : 0));
    } catch (e) {
      lock?.release();
      throw e;
    }
    const maxTransferBytes = Math.min(transferLimit(sys, fd, facts), options.maxTransferBytes ?? Number.POSITIVE_INFINITY);
    const t = new LinuxSgTransport(path, sys, facts, lockFile, flags, fd, maxTransferBytes);
    t.lock = lock;
    await t.learnPeripheralType();
    return t;
  }

  /** INQUIRY peripheral device type, undefined if the device never answered INQUIRY. */
  get peripheralType(): number | undefined {
    return this.peripheralTypeValue;
  }

  get isExclusive(): boolean {
    return this.lock !== undefined;
  }

  /** Who holds the drive's exclusive-access lock (this or another program), if anyone. */
  exclusiveAccessOwner(): LockOwner | undefined {
    return this.lock?.owner ?? this.lockFile.owner();
  }

  /**
   * IMAPI AcquireExclusiveAccess: reopens the device with O_EXCL (fails while mounted or opened
   * exclusively elsewhere) and takes the advisory lock naming `clientName`. Waits for the
   * command in flight. Rejects with ExclusiveAccessError naming the current owner.
   */
  async acquireExclusiveAccess(clientName: string): Promise<void> {
    await this.exclusively(async () => {
      if (this.lock) {
        if (this.lock.owner.clientName === clientName) return;
        throw new ExclusiveAccessError(this.path, this.lock.owner, `already held by this process as "${this.lock.owner.clientName}"`);
      }
      const lock = takeLock(this.path, this.lockFile, clientName);
      // sg refuses O_EXCL while any descriptor (ours included) is open, so close first.
      this.sys.close(this.fd);
      const fd = this.sys.open(this.path, this.flags | O_FLAGS.excl);
      if (fd < 0) {
        this.fd = this.sys.open(this.path, this.flags);
        lock.release();
        const err = osErrorFromErrno(-fd, "open");
        if (err.osKind === "busy") throw new ExclusiveAccessError(this.path, undefined, `cannot open exclusively: ${err.message}${err.hint ? `. ${err.hint}` : ""}`);
        throw new OsError(this.path, err);
      }
      this.fd = fd;
      this.lock = lock;
    });
  }

  /** IMAPI ReleaseExclusiveAccess: drops the lock and reopens without O_EXCL. */
  async releaseExclusiveAccess(): Promise<void> {
    await this.exclusively(async () => {
      if (!this.lock) return;
      this.sys.close(this.fd);
      this.lock.release();
      this.lock = undefined;
      this.fd = openOrThrow(this.sys, this.path, this.flags);
    });
  }

  execute(command: ScsiCommand): Promise<ScsiResult> {
    try {
      validateCommand(command, this.maxTransferBytes);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.queue.run(command, () => this.send(command));
  }

  async close(): Promise<void> {
    if (!this.closing) {
      this.queue.close();
      this.closing = (async () => {
        await this.queue.run({ cdb: new Uint8Array(6), direction: "none", timeoutMs: 1 }, async () => failure("closed", "")).catch(() => undefined);
        await this.inFlight.catch(() => undefined);
        this.sys.close(this.fd);
        this.lock?.release();
        this.lock = undefined;
      })();
    }
    return this.closing;
  }

  private exclusively(work: () => Promise<void>): Promise<void> {
    if (this.queue.isClosed) return Promise.reject(new StateError(`${this.path}: transport closed`));
    let thrown: unknown;
    let failed = false;
    return this.queue
      .run({ cdb: new Uint8Array(6), direction: "none", timeoutMs: 1 }, async () => {
        try {
          await work();
        } catch (e) {
          failed = true;
          thrown = e;
        }
        return failure("closed", "");
      })
      .then(() => {
        if (failed) throw thrown;
      });
  }

  private async learnPeripheralType(): Promise<void> {
    for (let attempt = 0; attempt < 3 && this.peripheralTypeValue === undefined; attempt++) {
      const r = await this.sendRaw({ cdb: new Uint8Array([0x12, 0, 0, 0, 36, 0]), direction: "in", dataInLength: 36, timeoutMs: INQUIRY_TIMEOUT_MS });
      if (r.kind === "good" && r.data.length >= 1 && (r.data[0]! & 0xe0) === 0) this.peripheralTypeValue = r.data[0]! & 0x1f;
      if (r.kind === "os-error" || r.kind === "transport-error") break;
    }
  }

  private async send(command: ScsiCommand): Promise<ScsiResult> {
    const verdict = commandVerdict(this.peripheralTypeValue, command);
    if (!verdict.allowed) return failure("refused", `${this.path}: ${verdict.detail}`);
    const result = await this.sendRaw(command);
    // A caller's own standard INQUIRY keeps the type current (e.g. after the first one failed).
    if (result.kind === "good" && command.cdb[0] === 0x12 && (command.cdb[1]! & 1) === 0 && result.data.length >= 1 && (result.data[0]! & 0xe0) === 0) {
      this.peripheralTypeValue = result.data[0]! & 0x1f;
    }
    return result;
  }

  private async sendRaw(command: ScsiCommand): Promise<ScsiResult> {
    const dataInLength = command.direction === "in" ? (command.dataInLength ?? 0) : 0;
    const request = {
      cdb: command.cdb,
      dxferDirection: command.direction === "out" ? SG.dxferToDev : command.direction === "in" && dataInLength > 0 ? SG.dxferFromDev : SG.dxferNone,
      ...(command.direction === "out" && command.dataOut ? { dataOut: command.dataOut } : {}),
      dataInLength,
      timeoutMs: Math.min(Math.ceil(command.timeoutMs), 0xfffffffe),
      senseLength: SENSE_BUFFER_LENGTH,
    };
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      const pending = this.sys.sgIo(this.fd, request);
      this.inFlight = pending;
      const reply = await pending;
      if (reply.ret < 0) {
        const errno = -reply.ret;
        if (isRetryableErrno(errno) && attempt < EINTR_RETRIES) continue;
        const elapsed = Math.round(performance.now() - started);
        return timeoutFromErrno(errno, elapsed) ?? osErrorFromErrno(errno, "ioctl(SG_IO)", elapsed);
      }
      return resultFromSgCompletion({ ...reply, dataInLength });
    }
  }

  /** For diagnostics: the facts the transport derived from sysfs. */
  get deviceKind(): "sg" | "sr" | "other" {
    return this.facts.kind;
  }
}

function takeLock(path: string, lockFile: ExclusiveLockFile, clientName: string): HeldLock {
  const outcome = lockFile.acquire(clientName);
  if (outcome.ok) return outcome.lock;
  if (outcome.error) throw new OsError(path, outcome.error);
  const o = outcome.owner;
  throw new ExclusiveAccessError(path, o, o ? `exclusively held by "${o.clientName}" (pid ${o.pid}) since ${o.since}` : "exclusively held by another program");
}

function openOrThrow(sys: LinuxSyscalls, path: string, flags: number): number {
  const fd = sys.open(path, flags);
  if (fd >= 0) return fd;
  const err: OsErrorResult = osErrorFromErrno(-fd, "open");
  throw new OsError(path, err);
}

/**
 * The largest transfer the device accepts in one command: the queue's hardware limit (sysfs or
 * BLKSECTGET), capped at WANTED_TRANSFER_BYTES; for sg nodes the reserved buffer is raised to
 * that size and what the driver actually granted is the limit.
 */
function transferLimit(sys: LinuxSyscalls, fd: number, facts: DeviceFacts): number {
  let limit = WANTED_TRANSFER_BYTES;
  if (facts.sysfsMaxBytes !== undefined) limit = Math.min(limit, facts.sysfsMaxBytes);
  const sect = sys.ioctlInt(fd, BLKSECTGET);
  // sr reports sectors of 512 bytes; sg reports bytes.
  if (sect.ret >= 0 && sect.value > 0) limit = Math.min(limit, facts.kind === "sg" ? sect.value : sect.value * 512);
  if (facts.kind === "sg") {
    sys.ioctlInt(fd, SG.setReservedSize, limit);
    const reserved = sys.ioctlInt(fd, SG.getReservedSize);
    if (reserved.ret >= 0 && reserved.value > 0) limit = Math.min(limit, reserved.value);
  }
  // Whole 2048-byte sectors, so a READ/WRITE never ends mid-sector.
  return Math.max(2048, Math.floor(limit / 2048) * 2048);
}

