import { defineConfig } from "vitest/config";

// One run covers every suite: pure packages in Node, Workers inside workerd
// (@cloudflare/vitest-pool-workers), and the browser journeys in Chromium (test/).
export default defineConfig({
  test: {
    projects: ["packages/*", "workers/*", "apps/web", "test"],
  },
});
