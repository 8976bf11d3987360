// The client types the workerd journey compiles against are what openapi-typescript makes of the
// document the edge serves now: a route, parameter or schema changed without regenerating fails here.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CLIENT_TYPES_FILE, clientTypes } from "./client-types.ts";

describe("the generated client", () => {
  it("matches the served document (regenerate with: node_modules/.bin/tsx workers/edge/contract/client-types.ts)", async () => {
    const fresh = await clientTypes();
    const committed = readFileSync(CLIENT_TYPES_FILE, "utf8");
    expect(committed === fresh, "workers/edge/test/generated/consign-api.ts is stale: regenerate it").toBe(
      true,
    );
    // The integrator's journey names these operations: they must exist with their request and answer types.
    for (const name of [
      "listOrders",
      "getOrder",
      "buyLabels",
      "dispatchOrders",
      "listChanges",
      "createWebhook",
      "createApiKey",
    ])
      expect(fresh).toContain(`    ${name}: {`);
  });
});
