// The Notifications API v1 in the sandbox (specs/sp-api/notifications.json): the application's
// destinations (grantless: an LWA token from client credentials with scope
// `sellingpartnerapi::notifications`), each seller's subscriptions (that seller's token), and
// deleteSubscriptionById / getSubscriptionById (grantless). Destinations must name one of the
// sandbox's SQS queues by ARN; ORDER_CHANGE notifications then go to that queue.

import { Hono } from "hono";
import { sellerOf } from "../amazon/credentials.ts";
import { amazonErrors } from "../amazon/responses.ts";
import type { SandboxEnv } from "../env.ts";

export const notificationsApi = new Hono<{ Bindings: SandboxEnv }>();

/** What crosses the sandbox objects' RPC boundary as an answer body. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined };

export const GRANTLESS_PREFIX = "Atc";
export const NOTIFICATIONS_SCOPE = "sellingpartnerapi::notifications";

const b64url = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64url = (s: string) => atob(s.replace(/-/g, "+").replace(/_/g, "/"));

/** The app object (its roles, grantless tokens, destinations) for an LWA client id. */
export const appObject = (env: SandboxEnv, clientId: string) =>
  env.AMAZON_SELLER.get(env.AMAZON_SELLER.idFromName(`app:${clientId}`));

/** A grantless token carries its app's client id, so the front Worker can route it. */
export function grantlessToken(clientId: string): string {
  const rand = b64url(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))));
  return `${GRANTLESS_PREFIX}|${b64url(clientId)}|${rand}`;
}

export function clientOfGrantless(token: string | undefined): string | undefined {
  if (!token) return undefined;
  const parts = token.split("|");
  if (parts.length !== 3 || parts[0] !== GRANTLESS_PREFIX) return undefined;
  try {
    return unb64url(parts[1] as string);
  } catch {
    return undefined;
  }
}

const denied = (details: string) =>
  amazonErrors(403, "Unauthorized", "Access to requested resource is denied.", details, "1");

/** Runs a grantless operation in the app's object after checking the token. */
async function grantless(
  req: Request,
  env: SandboxEnv,
  run: (app: ReturnType<typeof appObject>, body: Json) => Promise<{ status: number; body: string }>,
): Promise<Response> {
  const token = req.headers.get("x-amz-access-token") ?? undefined;
  const body = (req.method === "POST" ? await req.json().catch(() => null) : null) as Json;
  const clientId = clientOfGrantless(token);
  if (!clientId) {
    return denied(
      sellerOf(token)
        ? "This is a grantless operation: call it with a token from the client_credentials grant (scope sellingpartnerapi::notifications)."
        : "The access token you provided is revoked, malformed or invalid.",
    );
  }
  const app = appObject(env, clientId);
  const verdict = await app.grantlessCheck(token as string);
  if (verdict === "expired") return denied("The access token you provided has expired.");
  if (verdict !== "ok") return denied("The access token you provided is revoked, malformed or invalid.");
  const answer = await run(app, body);
  return json(answer.status, answer.body);
}

function json(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: {
      "content-type": "application/json",
      "x-amzn-RequestId": crypto.randomUUID(),
      "x-amzn-RateLimit-Limit": "1.0",
    },
  });
}

notificationsApi.post("/notifications/v1/destinations", (c) =>
  grantless(c.req.raw, c.env, (app, body) => app.createDestination(JSON.stringify(body))),
);
notificationsApi.get("/notifications/v1/destinations", (c) =>
  grantless(c.req.raw, c.env, async (app) => ({
    status: 200,
    body: JSON.stringify({ payload: await app.destinations() }),
  })),
);
notificationsApi.get("/notifications/v1/destinations/:id", (c) =>
  grantless(c.req.raw, c.env, (app) => app.destinationById(c.req.param("id"))),
);
notificationsApi.delete("/notifications/v1/destinations/:id", (c) =>
  grantless(c.req.raw, c.env, (app) => app.deleteDestination(c.req.param("id"))),
);
notificationsApi.get("/notifications/v1/subscriptions/:type/:id", (c) =>
  grantless(c.req.raw, c.env, (app) => app.subscriptionById(c.req.param("type"), c.req.param("id"))),
);
notificationsApi.delete("/notifications/v1/subscriptions/:type/:id", (c) =>
  grantless(c.req.raw, c.env, (app) => app.deleteSubscriptionById(c.req.param("type"), c.req.param("id"))),
);

// createSubscription and getSubscription: the seller's own token, answered by the seller's object.
for (const method of ["get", "post"] as const) {
  notificationsApi[method]("/notifications/v1/subscriptions/:type", async (c) => {
    const token = c.req.header("x-amz-access-token");
    const sellerId = sellerOf(token);
    if (!sellerId || !token) {
      return denied(
        clientOfGrantless(token)
          ? "createSubscription and getSubscription need the selling partner's authorization, not a grantless token."
          : "The access token you provided is revoked, malformed or invalid.",
      );
    }
    const body = (method === "post" ? await c.req.json().catch(() => null) : null) as Json;
    const seller = c.env.AMAZON_SELLER.get(c.env.AMAZON_SELLER.idFromName(sellerId));
    const answer = await seller.subscriptionCall(
      token,
      c.req.param("type"),
      method === "post" ? body : undefined,
      method === "post",
    );
    return json(answer.status, answer.body);
  });
}
