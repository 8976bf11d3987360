// The OpenAPI document exactly as GET /api/v1/openapi.json serves it, built in Node from the same
// router (no route runs: the backend is never called).
import { createApiRouter, openApiDocument } from "../src/api/index.ts";

export function servedDocument(): Record<string, unknown> {
  const api = createApiRouter(() => {
    throw new Error("the contract checks never call a route");
  });
  return openApiDocument(api) as unknown as Record<string, unknown>;
}
