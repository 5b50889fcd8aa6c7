/**
 * Helpers for the boot tests: build images through the real planner and writer with the boot
 * extension, run QEMU (TCG) with a hard time limit, and call external checkers.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSystemImage, planImage, writeImageFile } from "../../src/index.js";
import { bootExtension, type BootOptions } from "../../src/boot/index.js";

export const OVMF_FIRMWARE = ["/usr/share/ovmf/OVMF.fd", "/usr/share/OVMF/OVMF_CODE.fd"].find((p) => existsSync(p));

/** Path of `tool` on PATH (or in /usr/sbin, /sbin), or undefined. */
export function which(tool: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/sbin"]) {
    if (dir !== "" && existsSync(join(dir, tool))) return join(dir, tool);
  }
  return undefined;
}

/** Throws a loud error naming the Debian package when a required external tool is missing. */
export function requireTool(tool: string, debianPackage: string): string {
  const path = which(tool);
  if (path === undefined) throw new Error(`external tool "${tool}" is missing: install Debian package "${debianPackage}" (listed in scripts/system-packages.txt)`);
  return path;
}

export function run(tool: string, args: readonly string[]): { stdout: string; stderr: string; status: number } {
  const r = spawnSync(tool, args, { encoding: "utf8", timeout: 60_000 });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `discforge-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Builds an image with a small tree and the given boot options; returns its bytes and path. */
export async function buildBootImage(path: string, boot: BootOptions, files: Record<string, string> = { "README.TXT": "discforge boot test\n" }): Promise<Uint8Array> {
  const image = new FileSystemImage({ date: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) });
  image.volume.volumeId = "DFBOOT";
  for (const [p, text] of Object.entries(files)) image.addFile(p, new TextEncoder().encode(text));
  const plan = planImage(image, { extensions: [bootExtension(image, boot)] });
  await writeImageFile(plan, path);
  return new Uint8Array(readFileSync(path));
}

export interface QemuRun {
  readonly output: string;
  readonly found: boolean;
  readonly ms: number;
}

/**
 * Boots QEMU (TCG, no display, COM1 to a file) and waits until every marker appeared on COM1, or
 * the time limit passes; QEMU is killed either way.
 */
export async function bootQemu(args: readonly string[], markers: readonly string[], options: { readonly timeoutMs: number; readonly serialFile: string }): Promise<QemuRun> {
  const started = Date.now();
  const qemu = spawn(
    "qemu-system-x86_64",
    ["-accel", "tcg", "-m", "128", "-nographic", "-monitor", "none", "-serial", `file:${options.serialFile}`, "-no-reboot", "-net", "none", ...args],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  qemu.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  qemu.on("exit", () => (exited = true));
  qemu.on("error", (e) => {
    stderr += String(e);
    exited = true;
  });
  const read = (): string => (existsSync(options.serialFile) ? readFileSync(options.serialFile, "latin1") : "");
  // A marker listed twice must appear twice.
  const allSeen = (text: string): boolean => markers.every((m) => text.split(m).length - 1 >= markers.filter((x) => x === m).length);
  try {
    while (Date.now() - started < options.timeoutMs && !exited) {
      if (allSeen(read())) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    if (!exited) qemu.kill("SIGKILL");
    await new Promise<void>((r) => (exited || qemu.exitCode !== null || qemu.signalCode !== null ? r() : qemu.once("exit", () => r())));
  }
  const output = read();
  if (!allSeen(output) && stderr !== "") return { output: `${output}\n[qemu stderr] ${stderr}`, found: false, ms: Date.now() - started };
  return { output, found: allSeen(output), ms: Date.now() - started };
}
