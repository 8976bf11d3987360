import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    // The barcode tests run poppler, zbar and libdmtx as processes: slow on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
