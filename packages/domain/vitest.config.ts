import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    // Property and model tests check thousands of cases against plain reference readings; on a loaded
    // 2-core CI machine one took 5.6 s. They are correctness tests, not timed ones.
    testTimeout: 30_000,
  },
});
