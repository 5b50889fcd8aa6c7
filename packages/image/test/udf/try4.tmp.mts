import { FileSystemImage, planImage, writeImageFile } from "../../src/index.js";
const img = new FileSystemImage({ date: new Date("2024-01-02T03:04:05Z") });
img.addTree("/tmp/udfw/big");
const t0 = Date.now();
const plan = planImage(img, { udf: process.argv[2] === "udf" ? { revision: (process.argv[3] ?? "2.60") as "2.60" } : false });
await writeImageFile(plan, "/tmp/udfw/big.iso", { sparse: true });
console.log("ms", Date.now() - t0);
