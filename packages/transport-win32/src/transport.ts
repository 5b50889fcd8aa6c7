/**
 * ScsiTransport over Windows IOCTL_SCSI_PASS_THROUGH_DIRECT on `\\.\CdRomN` or `\\.\X:`.
 * Each DeviceIoControl runs on a koffi worker thread (a synchronous handle: one command at a time,
 * as the contract wants), so a long CLOSE SESSION never blocks the event loop. Data moves through
 * a page-aligned VirtualAlloc buffer, which satisfies any adapter's alignment mask.
 * The same write-class rule as on Linux: nothing write-class unless INQUIRY said type 05h.
 */
import { isWriteClassOpcode, opcodeName } from "@discforge/mmc";
import { StateError } from "@discforge/errors";
import { CommandQueue, OsError, failure, statusName, validateCommand, type ScsiCommand, type ScsiResult, type ScsiTransport } from "@discforge/transport";
import { koffiWin32Api, type NativeBuffer, type Win32Api } from "./api.js";
import { FILE_ACCESS, IOCTL, SCSI_IOCTL_DATA } from "./constants.js";
import { osErrorFromWin32, resultFromIoctlError } from "./errors.js";
import { sptdWithSense } from "./sptd.js";

/** Conservative single-transfer limit: 64 KiB works on every Windows storage port driver. */
export const DEFAULT_MAX_TRANSFER_BYTES = 64 * 1024;

/** `D:`, `d`, `D:\`, `CdRom0` or a full `\\.\` path → the device path CreateFileW takes. */
export function devicePath(name: string): string {
  if (name.startsWith("\\\\.\\")) return name;
  const letter = /^([A-Za-z]):?\\?$/.exec(name);
  if (letter) return `\\\\.\\${letter[1]!.toUpperCase()}:`;
  if (/^CdRom\d+$/i.test(name)) return `\\\\.\\CdRom${name.slice(5)}`;
  return name;
}

export interface Win32TransportOptions {
  readonly api?: Win32Api;
  readonly maxTransferBytes?: number;
}

export class Win32ScsiTransport implements ScsiTransport {
  readonly description: string;
  private readonly queue = new CommandQueue();
  private readonly block: NativeBuffer;
  private readonly data: NativeBuffer;
  private inFlight: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private peripheralTypeValue: number | undefined;
  private volumeLocked = false;

  private constructor(
    readonly path: string,
    private readonly api: Win32Api,
    private readonly handle: bigint,
    readonly maxTransferBytes: number,
  ) {
    this.description = path;
    this.block = api.allocate(sptdWithSense.size(api.arch));
    this.data = api.allocate(maxTransferBytes);
  }

  static async open(name: string, options: Win32TransportOptions = {}): Promise<Win32ScsiTransport> {
    const api = options.api ?? koffiWin32Api();
    const path = devicePath(name);
    const h = api.createFile(path, FILE_ACCESS.GENERIC_READ | FILE_ACCESS.GENERIC_WRITE, FILE_ACCESS.FILE_SHARE_READ | FILE_ACCESS.FILE_SHARE_WRITE);
    if (!h.ok) throw new OsError(path, osErrorFromWin32(h.error, "CreateFileW"));
    const t = new Win32ScsiTransport(path, api, h.value, options.maxTransferBytes ?? DEFAULT_MAX_TRANSFER_BYTES);
    for (let i = 0; i < 3 && t.peripheralTypeValue === undefined; i++) {
      const r = await t.sendRaw({ cdb: new Uint8Array([0x12, 0, 0, 0, 36, 0]), direction: "in", dataInLength: 36, timeoutMs: 30_000 });
      if (r.kind === "good" && r.data.length > 0 && (r.data[0]! & 0xe0) === 0) t.peripheralTypeValue = r.data[0]! & 0x1f;
      if (r.kind === "os-error" || r.kind === "transport-error") break;
    }
    return t;
  }

  get peripheralType(): number | undefined {
    return this.peripheralTypeValue;
  }

  get isVolumeLocked(): boolean {
    return this.volumeLocked;
  }

  /**
   * Exclusive access for burning: FSCTL_LOCK_VOLUME (fails while another program has files open
   * on the disc), then FSCTL_DISMOUNT_VOLUME so the file system lets go of the medium.
   */
  async lockVolume(): Promise<void> {
    await this.fsctl(IOCTL.FSCTL_LOCK_VOLUME, "FSCTL_LOCK_VOLUME");
    this.volumeLocked = true;
    await this.fsctl(IOCTL.FSCTL_DISMOUNT_VOLUME, "FSCTL_DISMOUNT_VOLUME");
  }

  async unlockVolume(): Promise<void> {
    if (!this.volumeLocked) return;
    await this.fsctl(IOCTL.FSCTL_UNLOCK_VOLUME, "FSCTL_UNLOCK_VOLUME");
    this.volumeLocked = false;
  }

  execute(command: ScsiCommand): Promise<ScsiResult> {
    try {
      validateCommand(command, this.maxTransferBytes);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.queue.run(command, async () => {
      if (this.peripheralTypeValue !== 0x05) {
        const op = command.cdb[0] ?? 0;
        const what = this.peripheralTypeValue === undefined ? "a device whose INQUIRY did not answer" : `a device of peripheral type ${this.peripheralTypeValue.toString(16).padStart(2, "0")}h (not MMC 05h)`;
        if (command.direction === "out" || isWriteClassOpcode(op)) return failure("refused", `${this.path}: refused to send ${opcodeName(op)} to ${what}`);
      }
      const r = await this.sendRaw(command);
      if (r.kind === "good" && command.cdb[0] === 0x12 && (command.cdb[1]! & 1) === 0 && r.data.length > 0 && (r.data[0]! & 0xe0) === 0) this.peripheralTypeValue = r.data[0]! & 0x1f;
      return r;
    });
  }

  async close(): Promise<void> {
    if (!this.closing) {
      this.queue.close();
      this.closing = (async () => {
        await this.queue.run({ cdb: new Uint8Array(6), direction: "none", timeoutMs: 1 }, async () => failure("closed", "")).catch(() => undefined);
        await this.inFlight.catch(() => undefined);
        if (this.volumeLocked) await this.api.deviceIoControl(this.handle, IOCTL.FSCTL_UNLOCK_VOLUME, undefined, 0);
        this.api.closeHandle(this.handle);
        this.api.free(this.block);
        this.api.free(this.data);
      })();
    }
    return this.closing;
  }

  private async fsctl(code: number, name: string): Promise<void> {
    if (this.queue.isClosed) throw new StateError(`${this.path}: transport closed`);
    let outcome: Awaited<ReturnType<Win32Api["deviceIoControl"]>> | undefined;
    await this.queue.run({ cdb: new Uint8Array(6), direction: "none", timeoutMs: 1 }, async () => {
      outcome = await this.api.deviceIoControl(this.handle, code, undefined, 0);
      return failure("closed", "");
    });
    if (outcome && !outcome.ok) throw new OsError(this.path, osErrorFromWin32(outcome.error, name));
  }

  private async sendRaw(command: ScsiCommand): Promise<ScsiResult> {
    const arch = this.api.arch;
    const dataInLength = command.direction === "in" ? (command.dataInLength ?? 0) : 0;
    const length = command.direction === "out" ? (command.dataOut?.length ?? 0) : dataInLength;
    if (command.direction === "out" && command.dataOut) this.data.bytes.set(command.dataOut);
    sptdWithSense.encode(
      {
        cdb: command.cdb,
        dataIn: command.direction === "in" ? SCSI_IOCTL_DATA.in : command.direction === "out" ? SCSI_IOCTL_DATA.out : SCSI_IOCTL_DATA.unspecified,
        dataTransferLength: length,
        // The port driver counts whole seconds; never round a short timeout down to 0.
        timeOutValue: Math.max(1, Math.ceil(command.timeoutMs / 1000)),
        dataBuffer: length > 0 ? this.data.address : 0n,
      },
      arch,
      this.block.bytes,
    );
    const started = performance.now();
    const pending = this.api.deviceIoControl(this.handle, IOCTL.SCSI_PASS_THROUGH_DIRECT, this.block, sptdWithSense.size(arch));
    this.inFlight = pending;
    const outcome = await pending;
    const durationMs = Math.round(performance.now() - started);
    if (!outcome.ok) return resultFromIoctlError(outcome.error, durationMs);
    return resultFromSptd(this.block.bytes, arch, dataInLength, this.data.bytes, durationMs);
  }
}

/** The SCSI outcome written back into the request block, as a contract result. */
export function resultFromSptd(block: Uint8Array, arch: "x64" | "x86", dataInLength: number, data: Uint8Array, durationMs: number): ScsiResult {
  const reply = sptdWithSense.decodeReply(block, arch);
  const transferred = Math.min(dataInLength, reply.dataTransferLength);
  const residual = dataInLength - transferred;
  const status = reply.scsiStatus & 0xfe;
  if (status === 0x02) return { kind: "check-condition", sense: reply.sense, data: data.slice(0, transferred), residual, durationMs };
  if (status === 0x00) return { kind: "good", data: data.slice(0, transferred), residual, durationMs };
  return { kind: "status", status: statusName(status), statusByte: reply.scsiStatus, durationMs };
}
