// Runs inside the lane guest only: the transport contract suite against real kernel devices.
import { defineConfig } from "vitest/config";

export default defineConfig({
  cacheDir: "/tmp/vitest-cache",
  test: {
    include: ["packages/transport-linux/test/lane/*.lane.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
  },
});
