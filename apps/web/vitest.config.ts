import { defineProject } from "vitest/config";

// Pure modules of the app (views, search, outbox, schemas) run in Node; the browser journeys live in /test/e2e.
// Solid's browser build, its reactive one (Node would load the server build, where a memo never
// recomputes), so a test can show what recomputes when.
export default defineProject({
  resolve: { conditions: ["browser", "development"] },
  ssr: { resolve: { conditions: ["browser", "development"] } },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
    server: { deps: { inline: ["solid-js"] } },
  },
});
