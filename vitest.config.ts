import { defineConfig } from "vitest/config";

// One run covers every suite: pure packages in Node, Workers inside workerd
// (@cloudflare/vitest-pool-workers), and the browser journeys in Chromium (test/). `npm test`
// (scripts/test.mjs) runs it as two halves side by side, by project name: a new project's name
// must match one of them (it fails, naming the files, if one is left out).
export default defineConfig({
  test: {
    projects: [
      "packages/*/vitest.config.ts",
      "workers/*/vitest.config.ts",
      "workers/edge/vitest.simclock.config.ts",
      "workers/edge/vitest.isolated.config.ts",
      "apps/web/vitest.config.ts",
      "workers/edge/contract/vitest.config.ts",
      "test/vitest.config.ts",
      "test/sim/vitest.config.ts",
    ],
  },
});
