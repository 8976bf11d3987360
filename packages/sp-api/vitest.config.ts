import { defineProject } from "vitest/config";

export default defineProject({
  // 30 s, not 5: on a busy 2-core machine a sound test can wait seconds for the CPU.
  test: { include: ["src/**/*.test.ts", "test/**/*.test.ts"], environment: "node", testTimeout: 30_000 },
});
