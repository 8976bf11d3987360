import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineProject } from "vitest/config";
import { edgeMiniflare, ISOLATED_FILES } from "./vitest.shared.ts";

export default defineProject({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: edgeMiniflare("dist"),
    }),
  ],
  test: {
    name: "edge",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The simulated clock's tests run in their own project (vitest.simclock.config.ts), and the
    // files that use up something the whole edge shares in theirs (vitest.isolated.config.ts).
    exclude: ["test/simulated-clock/**", ...ISOLATED_FILES],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One workerd per vitest worker for all its files, not one per file: starting workerd with the
    // edge and the sandbox and importing the app cost ~6 s a file (70 files: 630 s of the suites'
    // 800 s in npm test; 235 s for the project this way). Files follow one another in the same
    // runtime and storage, which every file here allows: each signs up sellers of its own (unique
    // emails), and a sandbox switch a test throws is for its own account or undone by it.
    isolate: false,
  },
});
