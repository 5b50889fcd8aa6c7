import { UdfReader } from "../../src/udf/index.js";
import { createHash } from "node:crypto";
const r = await UdfReader.open(process.argv[2]!);
console.log(r.volume.nsr, r.volume.revision.toString(16), r.volume.metadataPartition, r.volume.primary.volumeIdentifier);
for await (const [p, e] of r.walk()) {
  let h = "";
  if (e.type === "file") { const hh = createHash("sha256"); for await (const c of r.read(e)) hh.update(c); h = hh.digest("hex").slice(0, 12); }
  console.log(p, e.type, e.size, e.linkTarget ?? "", e.links, (e.mode ?? 0).toString(8), h);
}
