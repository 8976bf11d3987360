import { defineProject } from "vitest/config";

// The simulation's short version: one simulated day on its own local stack (workerd through
// wrangler, SIMULATED_CLOCK=true). `npm run simulate -- --days 30` runs the month.
export default defineProject({
  test: {
    name: "sim",
    include: ["**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
