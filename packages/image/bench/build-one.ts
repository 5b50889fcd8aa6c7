/**
 * One benchmark build in its own process (so its peak RSS is its own): plans and writes an image
 * of TREE with Rock Ridge and Joliet to OUT, then prints {"ms": ...} measured from the first
 * tree scan to the last byte written (Node start-up excluded).
 */
import { FileSystemImage, planImage, writeImageFile } from "../src/index.js";

const [tree, out] = process.argv.slice(2);
if (!tree || !out) throw new Error("usage: build-one.ts TREE OUT");
const started = performance.now();
const image = new FileSystemImage();
image.addTree(tree);
const plan = planImage(image, { rockRidge: "1.12", joliet: true });
await writeImageFile(plan, out);
process.stdout.write(JSON.stringify({ ms: performance.now() - started, sectors: plan.sectorCount }) + "\n");
