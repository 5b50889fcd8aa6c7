/**
 * Boot options of `discforge mkiso`, kept next to the boot code so the command only spreads
 * them into its parseArgs options and passes the result to `bootExtension`.
 */
import { readFileSync } from "node:fs";
import { InvalidArgumentError } from "@discforge/errors";
import type { BootImageOptions } from "./eltorito.js";
import type { BootOptions } from "./extension.js";
import type { HybridStyle } from "./hybrid.js";
import { SourceUnreadableError } from "../errors.js";

export const BOOT_CLI_OPTIONS = {
  "boot-bios": { type: "string" },
  "boot-load-size": { type: "string" },
  "boot-info-table": { type: "boolean" },
  "boot-efi": { type: "string" },
  "boot-catalog": { type: "string" },
  hybrid: { type: "boolean" },
  "hybrid-style": { type: "string" },
  "mbr-template": { type: "string" },
  "cylinder-align": { type: "boolean" },
} as const;

export const BOOT_CLI_USAGE = [
  "  --boot-bios IMG        BIOS El Torito image, no emulation (isolinux.bin, GRUB eltorito.img)",
  "  --boot-load-size N     512-byte sectors the BIOS loads (default 4)",
  "  --boot-info-table      patch a boot info table into the BIOS image (isolinux, GRUB need it)",
  "  --boot-efi ESP.img     UEFI El Torito image: a FAT EFI system partition image",
  "  --boot-catalog PATH    show the boot catalog at PATH in the tree (hidden by default)",
  "  --hybrid               add an MBR and a GPT so the image boots from a USB disk too; the",
  "                         EFI image becomes a partition appended after the ISO data",
  "  --hybrid-style S       isohybrid (default, as xorriso -isohybrid-gpt-basdat) or protective",
  "  --mbr-template FILE    MBR boot code for --hybrid (e.g. syslinux isohdpfx.bin; bytes 0-431)",
  "  --cylinder-align       pad --hybrid partitions to 1 MiB cylinders (xorriso -partition_cyl_align on)",
].join("\n");

type Values = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

function stringValue(values: Values, name: keyof typeof BOOT_CLI_OPTIONS): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new InvalidArgumentError(`--${name}`, "takes one value");
  return v;
}

/** A boot image or MBR template from disk; one that cannot be read is a SourceUnreadableError naming it. */
function readBootFile(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (cause) {
    throw new SourceUnreadableError(path, { cause });
  }
}

/** Boot options from parsed arguments, or undefined when no boot option was given. */
export function bootOptionsFromCli(values: Values, readFile: (path: string) => Uint8Array = readBootFile): BootOptions | undefined {
  const biosPath = stringValue(values, "boot-bios");
  const efiPath = stringValue(values, "boot-efi");
  const hybrid = values.hybrid === true;
  const style = stringValue(values, "hybrid-style");
  const templatePath = stringValue(values, "mbr-template");
  const loadSize = stringValue(values, "boot-load-size");
  const catalogPath = stringValue(values, "boot-catalog");
  if (biosPath === undefined && efiPath === undefined) {
    for (const name of ["hybrid", "hybrid-style", "mbr-template", "cylinder-align", "boot-load-size", "boot-info-table", "boot-catalog"] as const) {
      if (values[name] !== undefined) throw new InvalidArgumentError(`--${name}`, "needs --boot-bios or --boot-efi");
    }
    return undefined;
  }
  if (!hybrid) {
    for (const name of ["hybrid-style", "mbr-template", "cylinder-align"] as const) if (values[name] !== undefined) throw new InvalidArgumentError(`--${name}`, "needs --hybrid");
  }
  if (style !== undefined && style !== "isohybrid" && style !== "protective") throw new InvalidArgumentError("--hybrid-style", `"${style}" is neither isohybrid nor protective`);
  if (biosPath === undefined && (loadSize !== undefined || values["boot-info-table"] !== undefined)) {
    throw new InvalidArgumentError(loadSize !== undefined ? "--boot-load-size" : "--boot-info-table", "needs --boot-bios");
  }
  let loadSectors = 4;
  if (loadSize !== undefined) {
    if (!/^\d+$/.test(loadSize)) throw new InvalidArgumentError("--boot-load-size", `"${loadSize}" is not a number of sectors`);
    loadSectors = Number(loadSize);
  }
  const images: BootImageOptions[] = [];
  if (biosPath !== undefined) images.push({ image: readFile(biosPath), loadSectors, bootInfoTable: values["boot-info-table"] === true });
  if (efiPath !== undefined) images.push({ image: readFile(efiPath), platform: "efi", placement: hybrid ? "appended" : "iso" });
  return {
    images,
    ...(catalogPath === undefined ? {} : { catalogPath }),
    ...(hybrid
      ? {
          hybrid: {
            style: (style ?? "isohybrid") as HybridStyle,
            cylinderAlign: values["cylinder-align"] === true,
            ...(templatePath === undefined ? {} : { mbrTemplate: readFile(templatePath) }),
          },
        }
      : {}),
  };
}
