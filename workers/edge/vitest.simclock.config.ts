import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineProject } from "vitest/config";
import { edgeMiniflare, testBindings } from "./vitest.shared.ts";

// The edge with SIMULATED_CLOCK=true (as test/sim's local stack runs it): each room reads a clock
// that POST /_dev/clock moves forward, so decisions taken on the room's time (the dispatch cut-off,
// ship-by, end of day) can be watched changing as the time passes them.
export default defineProject({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: edgeMiniflare("dist-simclock", { ...testBindings, SIMULATED_CLOCK: "true" }),
    }),
  ],
  test: {
    name: "edge-simclock",
    include: ["test/simulated-clock/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
