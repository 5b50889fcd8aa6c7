/** Exclusive access (IMAPI's AcquireExclusiveAccess / ReleaseExclusiveAccess / ExclusiveAccessOwner). */
import { InvalidArgumentError, StateError, imapiCode } from "@discforge/errors";

export interface AccessOwner {
  readonly clientName: string;
  readonly pid?: number;
  readonly since?: string;
}

export interface ExclusiveAccessControl {
  /** Takes the drive for `clientName`; throws RecorderLockedError naming the holder when another has it. */
  acquire(clientName: string, options?: { readonly force?: boolean }): Promise<void>;
  release(): Promise<void>;
  owner(): Promise<AccessOwner | undefined>;
}

export class RecorderLockedError extends StateError {
  constructor(
    readonly device: string,
    readonly owner: AccessOwner | undefined,
  ) {
    super(`${device} is in exclusive use by ${owner ? `"${owner.clientName}"${owner.pid ? ` (pid ${owner.pid})` : ""}` : "another program"}; wait for it to finish or close that program`, {
      imapi: imapiCode("E_IMAPI_RECORDER_LOCKED"),
    });
  }
}

export function checkClientName(clientName: string): void {
  // IMAPI: a client name is a non-empty string of printable characters.
  if (typeof clientName !== "string" || clientName.trim() === "" || clientName.length > 256 || [...clientName].some((c) => c.charCodeAt(0) < 0x20)) {
    throw new InvalidArgumentError("clientName", "must be 1 to 256 printable characters");
  }
}

const holders = new Map<string, AccessOwner>();

/** Exclusive access among Recorders of one process, keyed by device (used for emulated drives). */
export class InProcessExclusiveAccess implements ExclusiveAccessControl {
  private held = false;
  constructor(private readonly key: string) {}

  async acquire(clientName: string, options: { readonly force?: boolean } = {}): Promise<void> {
    checkClientName(clientName);
    const current = holders.get(this.key);
    if (current && !this.held && !options.force) throw new RecorderLockedError(this.key, current);
    holders.set(this.key, { clientName, pid: process.pid, since: new Date().toISOString() });
    this.held = true;
  }
  async release(): Promise<void> {
    if (this.held) holders.delete(this.key);
    this.held = false;
  }
  async owner(): Promise<AccessOwner | undefined> {
    return holders.get(this.key);
  }
}
