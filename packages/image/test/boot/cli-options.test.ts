import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@discforge/errors";
import { BOOT_CLI_OPTIONS, bootOptionsFromCli } from "../../src/boot/index.js";
import { SourceUnreadableError } from "../../src/index.js";

const files: Record<string, Uint8Array> = { "bios.img": new Uint8Array(2048).fill(1), "esp.img": new Uint8Array(4096).fill(2), "mbr.bin": new Uint8Array(512).fill(3) };
const read = (p: string): Uint8Array => {
  const f = files[p];
  if (f === undefined) throw new Error(`no ${p}`);
  return f;
};
const parse = (args: string[]) => bootOptionsFromCli(parseArgs({ args, options: BOOT_CLI_OPTIONS, allowPositionals: true }).values, read);

describe("mkiso boot options", () => {
  it("maps BIOS + EFI + hybrid to boot options with the EFI image appended", () => {
    const o = parse(["--boot-bios", "bios.img", "--boot-info-table", "--boot-efi", "esp.img", "--hybrid", "--mbr-template", "mbr.bin", "--boot-catalog", "boot/boot.cat"]);
    expect(o?.images.map((i) => [i.platform ?? "bios", i.placement ?? "iso", i.loadSectors, i.bootInfoTable, i.image?.[0]])).toEqual([
      ["bios", "iso", 4, true, 1],
      ["efi", "appended", undefined, undefined, 2],
    ]);
    expect(o?.catalogPath).toBe("boot/boot.cat");
    expect(o?.hybrid?.style).toBe("isohybrid");
    expect(o?.hybrid?.mbrTemplate?.[0]).toBe(3);
    expect(o?.hybrid?.cylinderAlign).toBe(false);
    expect(parse(["--boot-bios", "bios.img", "--hybrid", "--cylinder-align"])?.hybrid?.cylinderAlign).toBe(true);
  });

  it("keeps the EFI image in the ISO without --hybrid and honours --boot-load-size and --hybrid-style", () => {
    expect(parse(["--boot-efi", "esp.img"])?.images[0]?.placement).toBe("iso");
    expect(parse(["--boot-bios", "bios.img", "--boot-load-size", "12"])?.images[0]?.loadSectors).toBe(12);
    expect(parse(["--boot-bios", "bios.img", "--hybrid", "--hybrid-style", "protective"])?.hybrid?.style).toBe("protective");
    expect(parse(["x"])).toBeUndefined();
  });

  it.each([
    [["--hybrid"]],
    [["--boot-bios", "bios.img", "--mbr-template", "mbr.bin"]],
    [["--boot-bios", "bios.img", "--hybrid", "--hybrid-style", "gpt"]],
    [["--boot-bios", "bios.img", "--boot-load-size", "four"]],
    [["--boot-efi", "esp.img", "--boot-info-table"]],
    [["--boot-bios", "bios.img", "--cylinder-align"]],
  ])("rejects %j", (args) => {
    expect(() => parse(args)).toThrow(InvalidArgumentError);
  });

  it.each([["--boot-bios"], ["--boot-efi"]])("reports a %s file that cannot be read as SourceUnreadableError naming it", (flag) => {
    const missing = "/nonexistent/discforge-boot.img";
    const args = [flag, missing, "--hybrid", "--mbr-template", missing];
    let caught: unknown;
    try {
      bootOptionsFromCli(parseArgs({ args, options: BOOT_CLI_OPTIONS, allowPositionals: true }).values);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SourceUnreadableError);
    expect((caught as SourceUnreadableError).source).toBe(missing);
    expect((caught as Error).message).toMatch(/ENOENT/);
  });
});
