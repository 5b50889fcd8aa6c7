import { describe, it, expect } from "vitest";
import { existsSync } from "node:fs";
import { enumerateDrives, parseMountInfo } from "../src/index.js";
import { fakeSysFs } from "./fake-device.js";

const B = "/sys/class/block";
const G = "/sys/class/scsi_generic";

describe("enumeration from sysfs", () => {
  const sysfs = fakeSysFs(
    {
      [`${B}/sr0/dev`]: "11:0\n",
      [`${B}/sr0/queue/max_hw_sectors_kb`]: "512\n",
      [`${B}/sr0/device/vendor`]: "HL-DT-ST\n",
      [`${B}/sr0/device/model`]: "DVDRAM GH24NSD1 \n",
      [`${B}/sr0/device/rev`]: "LG00\n",
      [`${B}/sr0/device/type`]: "5\n",
      [`${B}/sr0/device/scsi_generic/sg1/dev`]: "21:1\n",
      [`${B}/sda/dev`]: "8:0\n",
      [`${G}/sg0/device/type`]: "0\n",
      [`${G}/sg0/device/vendor`]: "ATA     \n",
      [`${G}/sg1/device/type`]: "5\n",
      [`${G}/sg2/device/type`]: "5\n",
      [`${G}/sg2/device/vendor`]: "PIONEER \n",
      [`${G}/sg2/device/model`]: "BD-RW   BDR-XD07\n",
      [`${G}/sg2/device/rev`]: "1.00\n",
      "/proc/self/mountinfo": [
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
        "40 22 11:0 / /media/user/MY\\040DISC ro,nosuid shared:20 - iso9660 /dev/sr0 ro",
        "41 22 11:0 / /mnt/second ro shared:21 - iso9660 /dev/sr0 ro",
      ].join("\n"),
    },
    {
      [`${B}/sr0/device`]: "/sys/devices/pci0000:00/0000:00:1f.2/ata2/host1/target1:0:0/1:0:0:0",
      [`${G}/sg2/device`]: "/sys/devices/pci0000:00/usb1/host6/target6:0:0/6:0:0:0",
    },
  );

  it("lists sr drives with identity, sg node, transfer limit and mount points; adds type-05h sg nodes without sr; skips disks", () => {
    const { drives, notes } = enumerateDrives(sysfs);
    expect(notes).toEqual([]);
    expect(drives).toEqual([
      {
        path: "/dev/sr0",
        blockDevice: "/dev/sr0",
        genericDevice: "/dev/sg1",
        scsiAddress: "1:0:0:0",
        vendor: "HL-DT-ST",
        model: "DVDRAM GH24NSD1",
        revision: "LG00",
        peripheralType: 5,
        maxHwTransferBytes: 512 * 1024,
        mountPoints: ["/media/user/MY DISC", "/mnt/second"],
      },
      {
        path: "/dev/sg2",
        genericDevice: "/dev/sg2",
        scsiAddress: "6:0:0:0",
        vendor: "PIONEER",
        model: "BD-RW   BDR-XD07",
        revision: "1.00",
        peripheralType: 5,
        mountPoints: [],
      },
    ]);
  });

  it("says plainly why the list is empty", () => {
    expect(enumerateDrives(fakeSysFs({})).notes[0]).toMatch(/No optical drives: this kernel shows no SCSI devices/);
    const disksOnly = fakeSysFs({ [`${G}/sg0/device/type`]: "0\n" });
    expect(enumerateDrives(disksOnly)).toEqual({ drives: [], notes: ["No optical drives: no sr device and no SCSI generic device of type 05h (CD/DVD)."] });
  });

  it("decodes mountinfo octal escapes", () => {
    expect(parseMountInfo("1 2 11:1 / /a\\011b\\134c ro - udf /dev/sr1 ro").get("11:1")).toEqual(["/a\tb\\c"]);
  });

  it("on this machine agrees with the kernel: no SCSI layer means no drives, reported plainly", () => {
    const report = enumerateDrives();
    if (!existsSync(G) && !existsSync(`${B}/sr0`)) {
      expect(report.drives).toEqual([]);
      expect(report.notes.join(" ")).toMatch(/no SCSI devices/);
    } else {
      expect(report.drives.every((d) => d.peripheralType === 5)).toBe(true);
    }
  });
});
