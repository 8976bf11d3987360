import { defineProject } from "vitest/config";

export default defineProject({
  // The bounded-year simulation runs a few hundred thousand Yjs transactions.
  test: { include: ["src/**/*.test.ts", "test/**/*.test.ts"], environment: "node", testTimeout: 120_000 },
});
