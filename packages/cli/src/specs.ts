/**
 * What `discforge help`, `--help` and argument parsing need of every command: name, summary, usage
 * and parseArgs options, without the implementations (commands/*.ts), which load only when their
 * command runs. Keep the imports here cheap: start-up cost is this module's.
 */
import { BOOT_CLI_OPTIONS, BOOT_CLI_USAGE } from "@discforge/image/boot/cli-options";
import type { CommandSpec } from "./command.js";
import { DRIVE_OPTIONS } from "./drive-options.js";

export const DRIVES_SPEC: CommandSpec = {
  name: "drives",
  summary: "list the optical drives on this machine (real ones only)",
  usage: "discforge drives [--json]",
  options: {},
};

export const INFO_SPEC: CommandSpec = {
  name: "info",
  summary: "identity, profiles, capabilities and the loaded medium of a drive",
  usage: "discforge info --drive D [--json] [--trace] [--media M]",
  options: DRIVE_OPTIONS,
};

export const FEATURES_SPEC: CommandSpec = {
  name: "features",
  summary: "every GET CONFIGURATION feature descriptor of a drive, decoded",
  usage: "discforge features --drive D [--current] [--json]",
  options: { ...DRIVE_OPTIONS, current: { type: "boolean" } },
};

export const MODE_PAGES_SPEC: CommandSpec = {
  name: "mode-pages",
  summary: "the mode pages a drive reports (MODE SENSE(10), all pages), raw and named",
  usage: "discforge mode-pages --drive D [--json]",
  options: DRIVE_OPTIONS,
};

export const RAW_SPEC: CommandSpec = {
  name: "raw",
  summary: "send any CDB to a drive and show data, status and decoded sense",
  usage: "discforge raw --drive D <CDB hex> [--in N [--save FILE] | --out FILE] [--allow-write] [--timeout MS]",
  options: { ...DRIVE_OPTIONS, in: { type: "string" }, out: { type: "string" }, save: { type: "string" }, "allow-write": { type: "boolean" }, timeout: { type: "string" } },
};

export const SENSE_SPEC: CommandSpec = {
  name: "sense",
  summary: "explain a sense code: T10 text, category, IMAPI code and what to do",
  usage: "discforge sense <key> <asc> <ascq> [--command NAME]   (hex, e.g. discforge sense 2 3A 02)",
  options: { command: { type: "string" } },
};

export const MKISO_SPEC: CommandSpec = {
  name: "mkiso",
  summary: "build an ISO 9660 image with Joliet and Rock Ridge from files and directories",
  usage:
    "discforge mkiso SRC... -o OUT.iso [--level 1|2|3|1999] [--no-joliet] [--joliet-long] [--no-rock-ridge] [--rock-ridge-version 1.10|1.12]\n" +
    "       [-V VOLUME_ID] [--volume-set ID] [--publisher ID] [--preparer ID] [--application ID] [--system-id ID]\n" +
    "       [--date ISO8601 | --reproducible] [--deep relocate|allow|error] [--follow-links] [--capacity SECTORS] [--quiet]\n" +
    "       [--udf REVISION|auto] [--udf-media cd|dvd|bd|disk]  (UDF 1.02 1.50 2.00 2.01 2.50 2.60 bridged with ISO 9660; auto: by medium, DVD 1.02, BD 2.50)\n" +
    "  SRC is a directory (its contents go to the root), a file, or IMAGE_PATH=DISK_PATH.\n" +
    "Boot (El Torito, hybrid USB):\n" +
    BOOT_CLI_USAGE,
  options: {
    output: { type: "string", short: "o" },
    level: { type: "string" },
    "no-joliet": { type: "boolean" },
    "joliet-long": { type: "boolean" },
    "no-rock-ridge": { type: "boolean" },
    "rock-ridge-version": { type: "string" },
    "volume-id": { type: "string", short: "V" },
    "volume-set": { type: "string" },
    publisher: { type: "string" },
    preparer: { type: "string" },
    application: { type: "string" },
    "system-id": { type: "string" },
    date: { type: "string" },
    reproducible: { type: "boolean" },
    deep: { type: "string" },
    "follow-links": { type: "boolean" },
    capacity: { type: "string" },
    quiet: { type: "boolean", short: "q" },
    udf: { type: "string" },
    "udf-media": { type: "string" },
    ...BOOT_CLI_OPTIONS,
  },
};

export const LS_SPEC: CommandSpec = {
  name: "ls",
  summary: "list the files in an ISO image",
  usage: "discforge ls IMAGE [PATH] [-l] [-R] [--namespace auto|rockridge|joliet|iso9660|udf]",
  options: { long: { type: "boolean", short: "l" }, recursive: { type: "boolean", short: "R" }, namespace: { type: "string" } },
};

export const EXTRACT_SPEC: CommandSpec = {
  name: "extract",
  summary: "extract the files of an ISO image into a directory",
  usage: "discforge extract IMAGE DIR [--namespace auto|rockridge|joliet|iso9660|udf] [--no-symlinks] [--no-metadata] [--max-bytes SIZE|none]",
  options: { namespace: { type: "string" }, "no-symlinks": { type: "boolean" }, "no-metadata": { type: "boolean" }, "max-bytes": { type: "string" } },
};

export const BURN_SPEC: CommandSpec = {
  name: "burn",
  summary: "burn an image or files and folders to a disc (simulate, verify, multisession)",
  usage:
    "discforge burn (--image FILE.iso | SRC...) --drive D [--simulate] [--eject] [--verify quick|full|none] [--speed N|max] [--close] [--multisession] [--buffer SIZE] [--no-bufe] [--no-stage] [--stage-dir DIR] [--udf] [--no-joliet] [--no-rock]",
  options: {
    ...DRIVE_OPTIONS,
    image: { type: "string", short: "i" },
    simulate: { type: "boolean" },
    eject: { type: "boolean" },
    verify: { type: "string" },
    speed: { type: "string" },
    close: { type: "boolean" },
    multisession: { type: "boolean" },
    buffer: { type: "string" },
    "no-bufe": { type: "boolean" },
    "no-stage": { type: "boolean" },
    "stage-dir": { type: "string" },
    udf: { type: "boolean" },
    joliet: { type: "boolean", default: true },
    rock: { type: "boolean", default: true },
    "no-joliet": { type: "boolean" },
    "no-rock": { type: "boolean" },
    "volume-id": { type: "string" },
    dao: { type: "boolean" },
    stream: { type: "boolean" },
  },
};

export const ERASE_SPEC: CommandSpec = {
  name: "erase",
  summary: "erase a rewritable disc (BLANK / FORMAT UNIT); quick unless --full",
  usage: "discforge erase --drive D [--full] [--eject]",
  options: { ...DRIVE_OPTIONS, full: { type: "boolean" }, eject: { type: "boolean" } },
};

export const VERIFY_SPEC: CommandSpec = {
  name: "verify",
  summary: "compare the disc with an image file, every sector",
  usage: "discforge verify --drive D IMAGE [--lba N]",
  options: { ...DRIVE_OPTIONS, lba: { type: "string" } },
};

export const EJECT_SPEC: CommandSpec = {
  name: "eject",
  summary: "open the tray / eject the disc",
  usage: "discforge eject --drive D",
  options: DRIVE_OPTIONS,
};

export const LOAD_SPEC: CommandSpec = {
  name: "load",
  summary: "close the tray / load the disc",
  usage: "discforge load --drive D",
  options: DRIVE_OPTIONS,
};

export const LOCK_SPEC: CommandSpec = {
  name: "lock",
  summary: "prevent medium removal",
  usage: "discforge lock --drive D",
  options: DRIVE_OPTIONS,
};

export const UNLOCK_SPEC: CommandSpec = {
  name: "unlock",
  summary: "allow medium removal",
  usage: "discforge unlock --drive D",
  options: DRIVE_OPTIONS,
};
