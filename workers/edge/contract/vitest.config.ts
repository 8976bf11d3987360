import { defineProject } from "vitest/config";

// The API's contract, checked in Node (the linters and the client generator are Node tools): the
// OpenAPI document the edge serves is built here from the same router, linted with Redocly CLI and
// Spectral, and the client types generated from it must match the ones the workerd journey uses.
export default defineProject({
  test: {
    name: "edge-contract",
    include: ["**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
  },
});
