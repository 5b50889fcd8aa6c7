import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { FileSystemImage, planImage, writeImageFile } from "../../src/index.js";
const dir = "/tmp/udfw/bs/small";
if (!existsSync(dir)) for (let i = 0; i < 20000; i++) { const d = join(dir, `dir${Math.floor(i / 100)}`); if (i % 100 === 0) mkdirSync(d, { recursive: true }); writeFileSync(join(d, `file-${i}.dat`), new Uint8Array(1 + ((i * 7919) % 8000)).fill(i & 255)); }
for (const udf of process.argv[2] === "udf" ? [true] : [false, true, false, true]) {
  const t0 = performance.now();
  const img = new FileSystemImage();
  img.addTree(dir);
  const t1 = performance.now();
  const plan = planImage(img, { udf: udf ? { revision: "1.02" } : false });
  const t2 = performance.now();
  await writeImageFile(plan, "/dev/null");
  const t3 = performance.now();
  console.log(udf ? "udf" : "iso", (t1 - t0).toFixed(0), (t2 - t1).toFixed(0), (t3 - t2).toFixed(0), "rss", (process.memoryUsage().rss >> 20));
}
