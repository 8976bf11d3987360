// The integrations API, /api/v1: orders, labels, dispatch, metrics, rules, exports, webhooks.
// Mount with `app.route("/api/v1", createApiRouter(backendFor))`. Every operation carries its own
// middleware (access, rate limit, Idempotency-Key), so /api/v1/team beside it is untouched.
import { ErrorCode } from "@consign/domain";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app.ts";
import { errorBody, fieldsOf, onError } from "../http/errors.ts";
import { renderDocsPage } from "./docs.ts";
import type { BackendForEnv } from "./middleware.ts";
import { API_TAGS, OPERATION_NAMES, parameterDescription } from "./operations.ts";
import { registerAccountRoutes } from "./routes/account.ts";
import { documentAdminRoutes } from "./routes/admin.ts";
import { registerCancellationRoutes } from "./routes/cancellations.ts";
import { registerChangeRoutes } from "./routes/changes.ts";
import { registerCollectionRoutes } from "./routes/collections.ts";
import { registerCourierDayRoutes } from "./routes/courier-day.ts";
import { registerDocumentRoutes } from "./routes/documents.ts";
import { registerOrderAddressRoutes } from "./routes/order-address.ts";
import { registerOrderParcelRoutes } from "./routes/order-parcels.ts";
import { registerOrderShippingRoutes } from "./routes/order-shipping.ts";
import { registerOrderRoutes } from "./routes/orders.ts";
import { registerReturnRoutes } from "./routes/returns.ts";
import { registerShippingRoutes } from "./routes/shipping.ts";
import { registerWebhookRoutes, SIGNING } from "./routes/webhooks.ts";
import { WEBHOOK_EVENT_MEANING, WEBHOOK_EVENTS } from "./webhooks/events.ts";

export type { SellerBackend } from "./backend.ts";
export type { BackendForEnv } from "./middleware.ts";
export type ApiRouter = OpenAPIHono<AppEnv>;

export const API_BASE_PATH = "/api/v1";

/** Request validation failures: 400 in the one error shape, naming each field at fault. */
function validationHook(result: { success: boolean; error?: unknown; target: string }, c: Context<AppEnv>) {
  if (result.success) return;
  const error = result.error as { issues: { path: PropertyKey[]; message: string }[] };
  const fields = fieldsOf(error);
  const where =
    { json: "body", query: "query string", param: "path", header: "headers" }[result.target] ?? result.target;
  return c.json(errorBody(ErrorCode.BadRequest, `Some fields in the ${where} are not valid.`, fields), 400);
}

/** Like the app's error handler, but a body that is not JSON names the body as the field at fault. */
function apiOnError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof HTTPException && err.status === 400) {
    return c.json(
      errorBody(ErrorCode.BadRequest, "The request body is not valid JSON.", [
        { path: "(body)", message: err.message || "malformed JSON" },
      ]),
      400,
    );
  }
  if (err instanceof HTTPException && err.status === 415) {
    const fields = [{ path: "Content-Type", message: "send application/json" }];
    return c.json(
      errorBody(ErrorCode.BadRequest, "Send the body as JSON with Content-Type: application/json.", fields),
      415,
    );
  }
  return onError(err, c);
}

export function createApiRouter(backendFor: BackendForEnv): ApiRouter {
  const api = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  api.onError(apiOnError);
  api.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description:
      "An API key (csk_…) created by the account owner under Team → API keys, or a device's access token. Read keys may only read; write keys may also buy labels, dispatch and edit rules.",
  });

  registerOrderRoutes(api, backendFor);
  registerOrderShippingRoutes(api, backendFor);
  registerOrderParcelRoutes(api, backendFor);
  registerOrderAddressRoutes(api, backendFor);
  registerChangeRoutes(api, backendFor);
  registerShippingRoutes(api, backendFor);
  registerDocumentRoutes(api, backendFor);
  registerCourierDayRoutes(api, backendFor);
  registerReturnRoutes(api, backendFor);
  registerCollectionRoutes(api, backendFor);
  registerCancellationRoutes(api, backendFor);
  registerAccountRoutes(api, backendFor);
  registerWebhookRoutes(api, backendFor);
  // Served by src/routes/team.ts and seller.ts beside this router; described here.
  documentAdminRoutes(api);

  // Built on first request, after every route above has registered itself.
  let document: ReturnType<typeof openApiDocument> | undefined;
  const documentOnce = () => {
    document = document ?? openApiDocument(api);
    return document;
  };
  api.get("/openapi.json", (c) => c.json(documentOnce()));
  api.get("/docs", (c) =>
    c.html(renderDocsPage(documentOnce()), 200, {
      "Content-Security-Policy":
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
    }),
  );
  return api;
}

export function openApiDocument(api: ApiRouter) {
  return completeDocument(
    api.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "Consign API",
        version: "1.0.0",
        description:
          "Orders, labels, dispatch, metrics, shipping rules, exports and webhooks for a UK Amazon seller's despatch desk. Every change shows at once on the team's tablets. Errors share one shape: {error:{code, message, fields}}. Every write (POST, PUT, PATCH, DELETE) accepts an Idempotency-Key header. Each API key may make bursts of 60 requests, then 5 a second; over that the answer is 429 with Retry-After. Lists page with cursors: pass `nextCursor` back as `cursor` (orders) or `after` (changes).",
        contact: { name: "Consign" },
        // SPDX for "not an open licence" (OpenAPI 3.1 license.identifier; the typings know only 3.0).
        license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" } as { name: string },
      },
      servers: [{ url: API_BASE_PATH }],
      security: [{ bearerAuth: [] }],
    }),
  );
}

type Json = Record<string, unknown>;
const WRITES = new Set(["post", "put", "patch", "delete"]);
const rateHeaders = {
  "RateLimit-Limit": {
    description: "Requests this caller may make in a burst.",
    schema: { type: "integer" },
  },
  "RateLimit-Remaining": {
    description: "Requests left in the burst; it refills at 5 a second for an API key.",
    schema: { type: "integer" },
  },
};

/** `GET /orders/{orderId}/label` → `getOrdersOrderIdLabel`, for operations that name none. */
function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/[{}]/g, "")
    .split(/[/.\-_]/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1));
  return `${method}${words.join("")}`;
}

/**
 * What every operation shares, written once: an operationId and a tag, the rate-limit headers on
 * success, Retry-After on 429 and 409, the Idempotency-Key header and Idempotent-Replayed on every
 * write; and the `webhooks` section with each event's payload.
 */
function completeDocument<D extends object>(doc: D): D & { webhooks: Json } {
  const paths = ((doc as Json).paths ?? {}) as Record<string, Record<string, Json>>;
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const named = OPERATION_NAMES[`${method.toUpperCase()} ${path}`];
      op.operationId ??= named?.operationId ?? operationIdOf(method, path);
      if (!op.description && named?.description) op.description = named.description;
      for (const p of (op.parameters ?? []) as Json[]) {
        const schema = (p.schema ?? {}) as Json;
        p.description ??= schema.description ?? parameterDescription(path, String(p.in), String(p.name));
      }
      if (!Array.isArray(op.tags) || op.tags.length === 0) op.tags = ["Account"];
      const responses = (op.responses ?? {}) as Record<string, Json>;
      for (const [status, response] of Object.entries(responses)) {
        const headers = (response.headers ?? {}) as Json;
        if (status.startsWith("2")) {
          Object.assign(headers, rateHeaders);
          if (WRITES.has(method))
            headers["Idempotent-Replayed"] = {
              description:
                "true when this is the saved answer to an earlier request with the same Idempotency-Key.",
              schema: { type: "string", enum: ["true"] },
            };
        }
        if (status === "429" || status === "409")
          headers["Retry-After"] = {
            description: "Seconds to wait before trying again.",
            schema: { type: "integer" },
          };
        if (Object.keys(headers).length) response.headers = headers;
      }
      if (WRITES.has(method)) {
        const params = (op.parameters ?? []) as Json[];
        if (!params.some((p) => p.in === "header" && String(p.name).toLowerCase() === "idempotency-key"))
          params.push({
            name: "Idempotency-Key",
            in: "header",
            required: false,
            description:
              "Any unique string (a UUID is ideal). Repeat a request with the same key to get the first answer back without doing the work twice; the body is compared as canonical JSON. Kept 24 hours.",
            schema: { type: "string", minLength: 1, maxLength: 255 },
          });
        op.parameters = params;
      }
    }
  }
  const webhooks: Json = {};
  const WEBHOOK_HEADERS = [
    {
      name: "webhook-id",
      in: "header",
      required: true,
      description:
        "The message's id: the same on every retry and on a retry the owner asks for. Dedupe on it.",
      schema: { type: "string", example: "msg_2b0c6c1e9f5a4d7e8b3a1c2d3e4f5a6b" },
    },
    {
      name: "webhook-timestamp",
      in: "header",
      required: true,
      description: "When this attempt was sent, in Unix seconds. Refuse deliveries far from your clock.",
      schema: { type: "string", example: "1764936000" },
    },
    {
      name: "webhook-signature",
      in: "header",
      required: true,
      description:
        "One or more signatures separated by spaces, each `v1,` + base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}`. Two during the grace period after the secret is rotated (the new secret's first, then the old one's): accept when any matches a secret you hold.",
      schema: {
        type: "string",
        example:
          "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,3Qv2uZbG4PQx3hT8TUs9v0kqZ1S4cI5oB0xw7pJ4b8E=",
      },
    },
  ];
  for (const type of WEBHOOK_EVENTS) {
    webhooks[type] = {
      post: {
        operationId: `webhook${type
          .split(/[._]/)
          .map((w) => w[0]!.toUpperCase() + w.slice(1))
          .join("")}`,
        tags: ["Webhooks"],
        summary: type,
        description: `${WEBHOOK_EVENT_MEANING[type]} The same change is in GET /changes. ${SIGNING}`,
        parameters: WEBHOOK_HEADERS,
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["type", "timestamp", "data"],
                properties: {
                  type: { type: "string", const: type },
                  timestamp: { type: "string", format: "date-time" },
                  data: { $ref: "#/components/schemas/Order" },
                },
              },
            },
          },
        },
        responses: { "200": { description: "Any 2xx acknowledges the delivery; anything else is retried." } },
      },
    };
  }
  const used = new Set(
    Object.values(paths).flatMap((item) => Object.values(item).flatMap((op) => op.tags as string[])),
  );
  const tags = [
    ...API_TAGS.filter((t) => used.has(t.name) || t.name === "Webhooks"),
    ...[...used]
      .filter((name) => name && !API_TAGS.some((t) => t.name === name))
      .map((name) => ({ name, description: `${name} operations.` })),
  ];
  tags.sort((a, b) => a.name.localeCompare(b.name));
  return { ...doc, tags, webhooks };
}
