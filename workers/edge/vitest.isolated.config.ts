import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineProject } from "vitest/config";
import { edgeMiniflare, ISOLATED_FILES } from "./vitest.shared.ts";

// Edge files that use up something every seller on the edge shares (the Directory's budget of
// password hashes for wrong sign-ins): each runs in a workerd of its own, as vitest isolates by
// default, so the files of the `edge` project (which share one runtime per worker) never meet it.
export default defineProject({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: edgeMiniflare("dist-isolated"),
    }),
  ],
  test: {
    name: "edge-isolated",
    include: ISOLATED_FILES,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
