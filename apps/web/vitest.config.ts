import { defineProject } from "vitest/config";

// Pure modules of the app (views, search, outbox, schemas) run in Node; the browser journeys live in /test/e2e.
export default defineProject({
  test: { include: ["src/**/*.test.ts"], environment: "node" },
});
