import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { apiHarness } from "./api-harness.ts";

type Json = Record<string, unknown>;
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

async function documentFromRoute(): Promise<Json> {
  const { request } = apiHarness();
  const res = await request("/openapi.json");
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

/** Every `$ref` in the document, wherever it sits. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe("OpenAPI document at /api/v1/openapi.json", () => {
  it("is OpenAPI 3.1 with info, the /api/v1 server and a bearer security scheme applied", async () => {
    const doc = await documentFromRoute();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: "/api/v1" }]);
    const components = doc.components as Json;
    expect((components.securitySchemes as Json).bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
  });

  it("gives every operation responses, a summary, its path parameters, and resolvable refs", async () => {
    const doc = await documentFromRoute();
    const schemas = ((doc.components as Json).schemas ?? {}) as Json;
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      expect(path.startsWith("/"), path).toBe(true);
      const ops = Object.entries(item).filter(([m]) => METHODS.includes(m)) as [string, Json][];
      expect(ops.length, path).toBeGreaterThan(0);
      for (const [method, op] of ops) {
        const where = `${method.toUpperCase()} ${path}`;
        const responses = op.responses as Json;
        expect(Object.keys(responses).length, where).toBeGreaterThan(0);
        for (const [status, r] of Object.entries(responses)) {
          expect(status, where).toMatch(/^[1-5]\d\d$|^default$/);
          expect((r as Json).description, where).toEqual(expect.any(String));
        }
        expect(op.summary, where).toEqual(expect.any(String));
        const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
        const declared = ((op.parameters as Json[] | undefined) ?? []).filter((p) => p.in === "path");
        expect(declared.map((p) => p.name).sort(), where).toEqual(pathParams.sort());
        for (const p of declared) expect(p.required, where).toBe(true);
        if (method === "post") {
          const headers = ((op.parameters as Json[] | undefined) ?? [])
            .filter((p) => p.in === "header")
            .map((p) => p.name);
          expect(headers, `${where} documents Idempotency-Key`).toContain("Idempotency-Key");
        }
      }
    }
    for (const ref of refs(doc)) {
      expect(ref).toMatch(/^#\/components\/(schemas|securitySchemes)\//);
      if (ref.startsWith("#/components/schemas/"))
        expect(schemas, ref).toHaveProperty(ref.slice("#/components/schemas/".length));
    }
  });

  it("describes every /api/v1 route the edge Worker serves, the plain Hono ones included, and nothing else", async () => {
    const doc = await documentFromRoute();
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      for (const m of Object.keys(item))
        if (METHODS.includes(m)) documented.add(`${m.toUpperCase()} ${path}`);
    }
    // The whole Worker's router: the OpenAPI router and the plain Hono routes mounted beside it
    // (team, settings, stock, archive, Amazon, couriers). Middleware (method ALL) is no route.
    const servedOps = new Set(
      createApp()
        .routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/api/v1/"))
        .map((r) => ({ method: r.method, path: r.path.slice("/api/v1".length).replace(/\/$/, "") }))
        .filter(({ path }) => path !== "/openapi.json" && path !== "/docs")
        .map(({ method, path }) => `${method} ${path.replace(/:([^/{}]+)(\{[^}]*\})?/g, "{$1}")}`),
    );
    expect(servedOps.size).toBeGreaterThan(40);
    const missing = [...servedOps].filter((op) => !documented.has(op)).sort();
    const extra = [...documented].filter((op) => !servedOps.has(op)).sort();
    expect(missing, "served but not in the OpenAPI document").toEqual([]);
    expect(extra, "in the OpenAPI document but not served").toEqual([]);
    for (const expected of [
      "GET /team",
      "POST /team/api-keys",
      "DELETE /team/api-keys/{id}",
      "GET /stock",
      "POST /stock/adjustments",
      "GET /archive",
      "GET /archive/{month}",
      "GET /amazon/status",
      "GET /health/official",
      "GET /settings",
      "PATCH /settings",
      "PUT /settings/review-requests",
    ]) {
      expect(documented, expected).toContain(expected);
    }
    for (const expected of [
      "GET /orders",
      "GET /orders/{orderId}",
      "POST /labels/runs",
      "GET /orders/{orderId}/label",
      "POST /orders/{orderId}/void-label",
      "POST /dispatch",
      "GET /orders/{orderId}/confirmation",
      "GET /metrics",
      "GET /rules",
      "PUT /rules",
      "GET /exports/orders.csv",
      "GET /exports/shipments.csv",
      "POST /webhooks",
      "GET /webhooks",
      "DELETE /webhooks/{id}",
      "GET /webhooks/{id}/deliveries",
      "GET /changes",
    ]) {
      expect(documented, expected).toContain(expected);
    }
  });

  it("names and tags every operation once, documents the rate-limit, retry and idempotency headers, and each webhook", async () => {
    const doc = await documentFromRoute();
    const ids: string[] = [];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      for (const [method, op] of Object.entries(item as Record<string, Json>)) {
        if (!METHODS.includes(method)) continue;
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.operationId, where).toMatch(/^[a-z][A-Za-z0-9]+$/);
        ids.push(op.operationId as string);
        expect((op.tags as string[]).length, where).toBeGreaterThan(0);
        const responses = op.responses as Record<string, { headers?: Json }>;
        const ok = Object.entries(responses).find(([status]) => status.startsWith("2"))?.[1];
        expect(Object.keys(ok?.headers ?? {}), where).toEqual(
          expect.arrayContaining(["RateLimit-Limit", "RateLimit-Remaining"]),
        );
        if (responses["429"])
          expect(Object.keys(responses["429"].headers ?? {}), where).toContain("Retry-After");
        if (["post", "put", "patch", "delete"].includes(method)) {
          const headers = ((op.parameters as Json[] | undefined) ?? [])
            .filter((p) => p.in === "header")
            .map((p) => p.name);
          expect(headers, `${where} documents Idempotency-Key`).toContain("Idempotency-Key");
          expect(Object.keys(ok?.headers ?? {}), where).toContain("Idempotent-Replayed");
        }
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain("listChanges");
    const webhooks = doc.webhooks as Record<
      string,
      { post: { requestBody: { content: Record<string, { schema: Json }> } } }
    >;
    for (const event of [
      "order.created",
      "shipment.voided",
      "order.dispatched",
      "order.stock_short",
      "order.notes_changed",
    ]) {
      const schema = webhooks[event]?.post.requestBody.content["application/json"]?.schema as {
        properties: { type: Json; data: Json };
      };
      expect(schema?.properties.type, event).toEqual({ type: "string", const: event });
      expect(schema?.properties.data, event).toEqual({ $ref: "#/components/schemas/Order" });
    }
  });

  it("keeps request schemas apart from response schemas (no component is both)", async () => {
    const doc = await documentFromRoute();
    const schemas = (doc.components as Json).schemas as Record<string, Json>;
    // Every component a part of the document reaches, following $refs through other components.
    const reach = (part: unknown): Set<string> => {
      const seen = new Set<string>();
      const todo = refs(part);
      while (todo.length) {
        const name = todo.pop()!.replace("#/components/schemas/", "");
        if (seen.has(name) || !schemas[name]) continue;
        seen.add(name);
        todo.push(...refs(schemas[name]));
      }
      return seen;
    };
    const requests = new Set<string>();
    const responses = new Set<string>();
    for (const item of Object.values(doc.paths as Record<string, Record<string, Json>>)) {
      for (const op of Object.values(item)) {
        for (const n of reach([op.requestBody, op.parameters])) requests.add(n);
        for (const n of reach(op.responses)) responses.add(n);
      }
    }
    expect(requests.size).toBeGreaterThan(5);
    expect([...requests].filter((n) => responses.has(n))).toEqual([]);
    for (const name of ["NewApiKey", "StockAdjustments", "SettingsPatch", "NewShippingRules", "RoleChange"])
      expect(requests, name).toContain(name);
    for (const name of ["CreatedApiKey", "Stock", "Settings", "ShippingRules", "MemberRole", "Team"])
      expect(responses, name).toContain(name);
  });

  it("describes request bodies with the same schemas that validate them", async () => {
    const doc = await documentFromRoute();
    const schemas = (doc.components as Json).schemas as Record<string, Json>;
    const orderIds = schemas.OrderIds as { properties: { orderIds: Json }; required: string[] };
    expect(orderIds.required).toContain("orderIds");
    expect(orderIds.properties.orderIds).toMatchObject({ type: "array", minItems: 1, maxItems: 500 });
    const hook = schemas.NewWebhookEndpoint as { properties: { events: { items: { enum: string[] } } } };
    expect(hook.properties.events.items.enum).toContain("order.dispatched");
  });
});

describe("docs page at /api/v1/docs", () => {
  it("is a self-contained HTML page listing every operation and schema, with no scripts or outside links", async () => {
    const { request } = apiHarness();
    const res = await request("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/text\/html/);
    expect(res.headers.get("Content-Security-Policy")).toMatch(/default-src 'none'/);
    const html = await res.text();
    expect(html).not.toMatch(/<script|<link|src=|@import|https?:\/\//i);
    for (const text of [
      "/api/v1/orders/{orderId}/void-label",
      "/api/v1/exports/orders.csv",
      "Idempotency-Key",
      'id="schema-Order"',
    ]) {
      expect(html).toContain(text);
    }
  });
});
