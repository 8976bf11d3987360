import { defineProject } from "vitest/config";

// Browser journeys: the whole stack in workerd (wrangler) and the PWA in Debian's Chromium,
// driven by playwright-core. One stack for the whole run, started by the global setup.
export default defineProject({
  test: {
    name: "e2e",
    include: ["e2e/**/*.test.ts"],
    globalSetup: ["./e2e/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
