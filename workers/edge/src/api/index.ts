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
import { registerAccountRoutes } from "./routes/account.ts";
import { registerCancellationRoutes } from "./routes/cancellations.ts";
import { registerChangeRoutes } from "./routes/changes.ts";
import { registerCourierDayRoutes } from "./routes/courier-day.ts";
import { registerOrderShippingRoutes } from "./routes/order-shipping.ts";
import { registerOrderRoutes } from "./routes/orders.ts";
import { registerShippingRoutes } from "./routes/shipping.ts";
import { registerWebhookRoutes } from "./routes/webhooks.ts";

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
  registerChangeRoutes(api, backendFor);
  registerShippingRoutes(api, backendFor);
  registerCourierDayRoutes(api, backendFor);
  registerCancellationRoutes(api, backendFor);
  registerAccountRoutes(api, backendFor);
  registerWebhookRoutes(api, backendFor);

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
  return api.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Consign API",
      version: "1.0.0",
      description:
        "Orders, labels, dispatch, metrics, shipping rules, exports and webhooks for a UK Amazon seller's despatch desk. Every change shows at once on the team's tablets. Errors share one shape: {error:{code, message, fields}}. POST requests accept an Idempotency-Key header. Each API key may make bursts of 60 requests, then 5 a second; over that the answer is 429 with Retry-After.",
    },
    servers: [{ url: API_BASE_PATH }],
    security: [{ bearerAuth: [] }],
  });
}
