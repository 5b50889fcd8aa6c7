#!/usr/bin/env node
// One-step set-up for a fresh clone that has only Node 20 and npm:
//   1. pnpm 10 (installed with npm when missing or of another major version),
//   2. the workspace's npm packages (pnpm install, from the lockfile),
//   3. with --system: the Debian packages the tests drive (scripts/system-packages.txt).
// Runs without standard input; prints what it does; fails loudly.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wantSystem = process.argv.includes("--system");
const PNPM_MAJOR = "10";

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"], cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`setup: '${cmd} ${args.join(" ")}' failed with exit ${r.status ?? r.signal}`);
    process.exit(1);
  }
}

function pnpmVersion() {
  try {
    return execFileSync("pnpm", ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

const have = pnpmVersion();
if (!have || have.split(".")[0] !== PNPM_MAJOR) {
  console.log(`setup: installing pnpm@${PNPM_MAJOR} with npm (found ${have ?? "none"})`);
  run("npm", ["install", "--global", "--no-audit", "--no-fund", `pnpm@${PNPM_MAJOR}`]);
}

const stamp = join(root, "node_modules", ".modules.yaml");
const lock = join(root, "pnpm-lock.yaml");
run("pnpm", ["install", "--prefer-offline", ...(existsSync(lock) ? ["--frozen-lockfile"] : [])], {
  env: { ...process.env, CI: "true" },
});
if (!existsSync(stamp)) {
  console.error("setup: pnpm install left no node_modules/.modules.yaml");
  process.exit(1);
}

if (wantSystem) installSystemPackages();

function installSystemPackages() {
  const list = readFileSync(join(root, "scripts", "system-packages.txt"), "utf8")
    .split("\n")
    .map((l) => l.replace(/#.*/, "").trim())
    .filter(Boolean);
  const missing = list.filter((p) => spawnSync("dpkg", ["-s", p], { stdio: "ignore" }).status !== 0);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    console.error(`setup: MISSING Debian packages (need root to install): ${missing.join(" ")}`);
    console.error("setup: tests that drive these tools will fail until they are installed.");
    return;
  }
  console.log(`setup: apt-get install ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update", "-qq"], { env });
  run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { env });
}
