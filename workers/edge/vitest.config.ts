import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineProject } from "vitest/config";
import { edgeMiniflare } from "./vitest.shared.ts";

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
    // The simulated clock's tests run in their own project (vitest.simclock.config.ts).
    exclude: ["test/simulated-clock/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
