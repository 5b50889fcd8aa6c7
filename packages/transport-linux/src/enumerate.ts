/**
 * Optical drive enumeration from sysfs and /proc, without sending a command:
 * - `/sys/class/block/srN`: the sr driver's drives (vendor, model, revision from the device's
 *   INQUIRY as cached by the kernel, the matching sg node, the queue's transfer limit);
 * - `/sys/class/scsi_generic/sgN` whose `device/type` (the kernel's INQUIRY peripheral type) is
 *   5 and that no sr node covers (e.g. sr_mod not loaded);
 * - mount points from `/proc/self/mountinfo`, matched by the block device's major:minor.
 */
import { nodeSysFs, type SysFs } from "./syscalls.js";

export interface LinuxDrive {
  /** The node commands go through: `/dev/srN` when there is one, else `/dev/sgN`. */
  readonly path: string;
  readonly blockDevice?: string;
  readonly genericDevice?: string;
  /** Host:channel:target:lun. */
  readonly scsiAddress?: string;
  readonly vendor: string;
  readonly model: string;
  readonly revision: string;
  readonly peripheralType: number;
  /** From queue/max_hw_sectors_kb, when the kernel exposes it. */
  readonly maxHwTransferBytes?: number;
  readonly mountPoints: readonly string[];
}

export interface EnumerationReport {
  readonly drives: readonly LinuxDrive[];
  /** Plain sentences explaining an empty or partial list. */
  readonly notes: readonly string[];
}

const SYS_BLOCK = "/sys/class/block";
const SYS_SG = "/sys/class/scsi_generic";

function trimmed(fs: SysFs, path: string): string {
  return (fs.readText(path) ?? "").trim();
}

function scsiAddressOf(fs: SysFs, deviceLink: string): string | undefined {
  const real = fs.realpath(deviceLink);
  const last = real?.split("/").pop();
  return last && /^\d+:\d+:\d+:\d+$/.test(last) ? last : undefined;
}

/** Mount points by "major:minor", decoding mountinfo's octal escapes. */
export function parseMountInfo(text: string): Map<string, string[]> {
  const byDevice = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const fields = line.split(" ");
    if (fields.length < 5) continue;
    const majorMinor = fields[2]!;
    const mountPoint = fields[4]!.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
    const list = byDevice.get(majorMinor) ?? [];
    list.push(mountPoint);
    byDevice.set(majorMinor, list);
  }
  return byDevice;
}

export function enumerateDrives(fs: SysFs = nodeSysFs): EnumerationReport {
  const notes: string[] = [];
  const mounts = parseMountInfo(fs.readText("/proc/self/mountinfo") ?? "");
  const drives: LinuxDrive[] = [];
  const coveredSg = new Set<string>();

  for (const name of fs.list(SYS_BLOCK).filter((n) => /^sr\d+$/.test(n))) {
    const dev = `${SYS_BLOCK}/${name}/device`;
    const sg = fs.list(`${dev}/scsi_generic`).find((n) => /^sg\d+$/.test(n));
    if (sg) coveredSg.add(sg);
    const kb = Number.parseInt(trimmed(fs, `${SYS_BLOCK}/${name}/queue/max_hw_sectors_kb`), 10);
    const majorMinor = trimmed(fs, `${SYS_BLOCK}/${name}/dev`);
    const address = scsiAddressOf(fs, dev);
    drives.push({
      path: `/dev/${name}`,
      blockDevice: `/dev/${name}`,
      ...(sg ? { genericDevice: `/dev/${sg}` } : {}),
      ...(address ? { scsiAddress: address } : {}),
      vendor: trimmed(fs, `${dev}/vendor`),
      model: trimmed(fs, `${dev}/model`),
      revision: trimmed(fs, `${dev}/rev`),
      peripheralType: Number.parseInt(trimmed(fs, `${dev}/type`) || "5", 10),
      ...(Number.isFinite(kb) && kb > 0 ? { maxHwTransferBytes: kb * 1024 } : {}),
      mountPoints: mounts.get(majorMinor) ?? [],
    });
  }

  const sgNames = fs.list(SYS_SG).filter((n) => /^sg\d+$/.test(n));
  for (const sg of sgNames) {
    if (coveredSg.has(sg)) continue;
    const dev = `${SYS_SG}/${sg}/device`;
    const type = Number.parseInt(trimmed(fs, `${dev}/type`), 10);
    if (type !== 5) continue;
    const address = scsiAddressOf(fs, dev);
    drives.push({
      path: `/dev/${sg}`,
      genericDevice: `/dev/${sg}`,
      ...(address ? { scsiAddress: address } : {}),
      vendor: trimmed(fs, `${dev}/vendor`),
      model: trimmed(fs, `${dev}/model`),
      revision: trimmed(fs, `${dev}/rev`),
      peripheralType: type,
      mountPoints: [],
    });
  }

  if (drives.length === 0) {
    const hasSg = sgNames.length > 0;
    const hasAnyBlockSr = fs.list(SYS_BLOCK).some((n) => n.startsWith("sr"));
    if (!hasSg && !hasAnyBlockSr) {
      notes.push("No optical drives: this kernel shows no SCSI devices (no /sys/class/scsi_generic, no /sys/class/block/sr*); the SCSI layer or the sr/sg drivers are not present.");
    } else {
      notes.push("No optical drives: no sr device and no SCSI generic device of type 05h (CD/DVD).");
    }
  }
  return { drives, notes };
}
