import { defineConfig } from "vitest/config";

// One run covers every suite: pure packages in Node, Workers inside workerd
// (@cloudflare/vitest-pool-workers), and the browser journeys in Chromium (test/).
export default defineConfig({
  test: {
    projects: [
      "packages/*/vitest.config.ts",
      "workers/*/vitest.config.ts",
      "workers/edge/vitest.simclock.config.ts",
      "apps/web/vitest.config.ts",
      "workers/edge/contract/vitest.config.ts",
      "test/vitest.config.ts",
      "test/sim/vitest.config.ts",
    ],
  },
});
