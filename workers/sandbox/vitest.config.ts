import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineProject } from "vitest/config";

export default defineProject({
  plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.jsonc" } })],
  // Inside workerd on a shared 2-core machine a test can wait seconds for the CPU: 5 s (vitest's
  // default) failed sound tests when the machine was busy. A test that hangs still fails.
  test: { name: "sandbox", include: ["src/**/*.test.ts", "test/**/*.test.ts"], testTimeout: 30_000 },
});
