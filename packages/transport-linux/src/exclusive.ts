/**
 * Advisory exclusive-access lock (IMAPI's AcquireExclusiveAccess / ExclusiveAccessOwner): a
 * lock file per drive, held with flock(LOCK_EX) for as long as the owner keeps it open, holding
 * the owner's client name and process id so another program can say who has the drive.
 * The lock complements O_EXCL on the device node: O_EXCL keeps out mounts and other exclusive
 * openers, the lock file names the holder. The kernel drops the lock when the owner dies.
 */
import { closeSync, mkdirSync, openSync, readFileSync, ftruncateSync, writeSync, constants as fsConstants } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidArgumentError } from "@discforge/errors";
import { ERRNO, LOCK } from "./constants.js";
import { osErrorFromErrno } from "./errno.js";
import type { LinuxSyscalls } from "./syscalls.js";
import type { OsErrorResult } from "@discforge/transport";

export interface LockOwner {
  readonly clientName: string;
  readonly pid: number;
  readonly since: string;
}

export function defaultLockDirectory(): string {
  for (const dir of ["/run/lock/discforge", join(tmpdir(), "discforge-locks")]) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o1777 });
      return dir;
    } catch {
      // try the next
    }
  }
  return tmpdir();
}

/** A file name for the drive: its SCSI address when known (so /dev/sr0 and /dev/sg0 share it). */
export function lockFileName(key: string): string {
  return `drive-${key.replace(/[^A-Za-z0-9_.-]/g, "_")}.lock`;
}

export interface HeldLock {
  readonly owner: LockOwner;
  release(): void;
}

export type AcquireOutcome =
  | { readonly ok: true; readonly lock: HeldLock }
  | { readonly ok: false; readonly owner: LockOwner | undefined; readonly error?: OsErrorResult };

function parseOwner(text: string): LockOwner | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    if (typeof v.clientName === "string" && typeof v.pid === "number" && typeof v.since === "string") return { clientName: v.clientName, pid: v.pid, since: v.since };
  } catch {
    // an owner that has not written its name yet
  }
  return undefined;
}

export class ExclusiveLockFile {
  constructor(
    readonly path: string,
    private readonly sys: Pick<LinuxSyscalls, "flock">,
  ) {}

  acquire(clientName: string): AcquireOutcome {
    if (clientName.trim() === "" || clientName.length > 256) throw new InvalidArgumentError("clientName", "must be 1..256 characters");
    const fd = openSync(this.path, fsConstants.O_RDWR | fsConstants.O_CREAT, 0o666);
    const r = this.sys.flock(fd, LOCK.ex | LOCK.nb);
    if (r < 0) {
      closeSync(fd);
      if (-r === ERRNO.EAGAIN) return { ok: false, owner: this.owner() };
      return { ok: false, owner: undefined, error: osErrorFromErrno(-r, "flock") };
    }
    const owner: LockOwner = { clientName, pid: process.pid, since: new Date().toISOString() };
    ftruncateSync(fd, 0);
    writeSync(fd, JSON.stringify(owner), 0);
    let released = false;
    return {
      ok: true,
      lock: {
        owner,
        release: () => {
          if (released) return;
          released = true;
          ftruncateSync(fd, 0);
          this.sys.flock(fd, LOCK.un);
          closeSync(fd);
        },
      },
    };
  }

  /** Who holds the lock now, or undefined when nobody does. */
  owner(): LockOwner | undefined {
    let fd: number;
    try {
      fd = openSync(this.path, fsConstants.O_RDONLY);
    } catch {
      return undefined;
    }
    try {
      const free = this.sys.flock(fd, LOCK.sh | LOCK.nb) === 0;
      if (free) {
        this.sys.flock(fd, LOCK.un);
        return undefined;
      }
      return parseOwner(readFileSync(this.path, "utf8")) ?? { clientName: "(unknown)", pid: 0, since: "" };
    } finally {
      closeSync(fd);
    }
  }
}
