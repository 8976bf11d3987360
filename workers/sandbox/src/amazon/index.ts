import { Hono } from "hono";
import { amazonExtra } from "../amazon-extra/index.ts";
import { amazonFeeds } from "../amazon-feeds/index.ts";
import type { SandboxEnv } from "../env.ts";
import { notificationsApi } from "../notifications/api.ts";
import { sqsRequest } from "../notifications/sqs.ts";
import { simControl } from "../sim/control.ts";
import { consentPage } from "./consent.ts";
import { control, DEMO_SEED } from "./control.ts";
import { isSellerId, sellerOf } from "./credentials.ts";
import { lwaToken } from "./lwa.ts";
import { DROP_HEADER, droppedConnection, unauthorized } from "./responses.ts";
import { PLANS, routeOf } from "./state.ts";

/** Login with Amazon, Seller Central consent, the SP-API operations and the /_sandbox control API. */
export const amazon = new Hono<{ Bindings: SandboxEnv }>();

const DEFAULT_SELLER = "A1DEMOSELLERUK";

amazon.post("/auth/o2/token", (c) => lwaToken(c.req.raw, c.env));

function consentParams(
  url: URL,
): { applicationId: string; state: string; redirectUri: URL; sellerId: string } | string {
  const applicationId = url.searchParams.get("application_id");
  const state = url.searchParams.get("state");
  const redirect = url.searchParams.get("redirect_uri");
  const sellerId = url.searchParams.get("sandbox_seller") ?? DEFAULT_SELLER;
  if (!applicationId) return "application_id is missing.";
  if (!state) return "state is missing.";
  if (!redirect) return "redirect_uri is missing.";
  if (!isSellerId(sellerId)) return "sandbox_seller is not a valid selling partner id.";
  let redirectUri: URL;
  try {
    redirectUri = new URL(redirect);
  } catch {
    return "redirect_uri is not a URL.";
  }
  if (redirectUri.protocol !== "https:" && redirectUri.protocol !== "http:")
    return "redirect_uri must be http(s).";
  return { applicationId, state, redirectUri, sellerId };
}

async function authorise(
  env: SandboxEnv,
  p: Exclude<ReturnType<typeof consentParams>, string>,
): Promise<Response> {
  const stub = env.AMAZON_SELLER.get(env.AMAZON_SELLER.idFromName(p.sellerId));
  if (!(await stub.isSeeded())) await stub.seed(p.sellerId, DEMO_SEED);
  const code = await stub.issueAuthorizationCode(p.sellerId);
  const target = new URL(p.redirectUri);
  target.searchParams.set("spapi_oauth_code", code);
  target.searchParams.set("state", p.state);
  target.searchParams.set("selling_partner_id", p.sellerId);
  return new Response(null, { status: 302, headers: { location: target.toString() } });
}

amazon.get("/apps/authorize/consent", async (c) => {
  const url = new URL(c.req.url);
  const p = consentParams(url);
  if (typeof p === "string")
    return c.html(`<!doctype html><p>Seller Central cannot show this consent: ${p}</p>`, 400);
  if (url.searchParams.get("auto") === "1") return authorise(c.env, p);
  const confirm = new URL("/apps/authorize/confirm", url);
  confirm.search = url.search;
  const cancel = new URL(p.redirectUri);
  cancel.searchParams.set("state", p.state);
  cancel.searchParams.set("error", "access_denied");
  return c.html(
    consentPage({
      applicationId: p.applicationId,
      sellerId: p.sellerId,
      confirmUrl: `${confirm.pathname}${confirm.search}`,
      cancelUrl: cancel.toString(),
    }),
  );
});

amazon.get("/apps/authorize/confirm", async (c) => {
  const p = consentParams(new URL(c.req.url));
  if (typeof p === "string")
    return c.html(`<!doctype html><p>Seller Central cannot confirm this consent: ${p}</p>`, 400);
  return authorise(c.env, p);
});

async function spApi(request: Request, env: SandboxEnv): Promise<Response> {
  const url = new URL(request.url);
  const route = routeOf(request.method, url.pathname);
  const sellerId = sellerOf(request.headers.get("x-amz-access-token"));
  if (!sellerId) {
    return unauthorized(
      "The access token you provided is revoked, malformed or invalid.",
      route ? String(PLANS[route.op].rate) : undefined,
    );
  }
  const answer = await env.AMAZON_SELLER.get(env.AMAZON_SELLER.idFromName(sellerId)).fetch(request);
  return answer.headers.has(DROP_HEADER) ? droppedConnection() : answer;
}

amazon.on(["GET", "POST"], ["/orders/2026-01-01/*", "/orders/v0/*", "/tokens/2021-03-01/*"], (c) =>
  spApi(c.req.raw, c.env),
);

// SQS (JSON 1.0) on the host root, where the official SDK sends it, and on queue URLs.
for (const path of ["/", "/sqs", "/sqs/*"]) {
  amazon.post(path, async (c, next) => {
    if (!(c.req.header("x-amz-target") ?? "").startsWith("AmazonSQS.")) return next();
    return sqsRequest(c.req.raw, c.env);
  });
}

amazon.route("/", notificationsApi);
amazon.route("/", control);
amazon.route("/", amazonExtra);
amazon.route("/", amazonFeeds);
amazon.route("/", simControl);
