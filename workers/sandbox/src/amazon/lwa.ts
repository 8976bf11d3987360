// Login with Amazon's token endpoint: POST /auth/o2/token, form-encoded, `refresh_token` and
// `authorization_code` grants, errors in LWA's `{error, error_description}` shape.

import type { SandboxEnv } from "../env.ts";
import { appObject, NOTIFICATIONS_SCOPE } from "../notifications/api.ts";
import { sellerOf } from "./credentials.ts";
import { lwaError } from "./responses.ts";

export async function lwaToken(request: Request, env: SandboxEnv): Promise<Response> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.includes("application/x-www-form-urlencoded")) {
    return lwaError(400, "invalid_request", "The request must be application/x-www-form-urlencoded.");
  }
  const form = new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()));
  const grantType = form.get("grant_type");
  if (!grantType)
    return lwaError(400, "invalid_request", "The request is missing a required parameter : grant_type");
  if (grantType === "client_credentials") return grantless(form, env);
  if (grantType !== "refresh_token" && grantType !== "authorization_code") {
    return lwaError(
      400,
      "unsupported_grant_type",
      `The authorization grant type is not supported : ${grantType}`,
    );
  }
  if (
    form.get("client_id") !== env.SANDBOX_CLIENT_ID ||
    form.get("client_secret") !== env.SANDBOX_CLIENT_SECRET
  ) {
    return lwaError(401, "invalid_client", "Client authentication failed");
  }
  const field = grantType === "refresh_token" ? "refresh_token" : "code";
  const credential = form.get(field);
  if (!credential)
    return lwaError(400, "invalid_request", `The request is missing a required parameter : ${field}`);
  const sellerId = sellerOf(credential);
  if (!sellerId)
    return lwaError(400, "invalid_grant", `The request has an invalid grant parameter : ${field}`);
  const stub = env.AMAZON_SELLER.get(env.AMAZON_SELLER.idFromName(sellerId));
  const result = await stub.lwaGrant(grantType, credential, form.get("client_id") ?? undefined);
  return new Response(result.body, {
    status: result.status,
    headers: { "content-type": "application/json;charset=UTF-8", "cache-control": "no-store" },
  });
}

/**
 * The client_credentials grant: a grantless token for the app itself (Notifications API destinations,
 * deleteSubscriptionById), only for the scopes Amazon offers.
 */
async function grantless(form: URLSearchParams, env: SandboxEnv): Promise<Response> {
  const clientId = form.get("client_id");
  if (clientId !== env.SANDBOX_CLIENT_ID || form.get("client_secret") !== env.SANDBOX_CLIENT_SECRET) {
    return lwaError(401, "invalid_client", "Client authentication failed");
  }
  const scope = form.get("scope");
  if (!scope) return lwaError(400, "invalid_request", "The request is missing a required parameter : scope");
  if (scope !== NOTIFICATIONS_SCOPE && scope !== "sellingpartnerapi::client_credential:rotation") {
    return lwaError(400, "invalid_scope", "The request has an invalid parameter : scope");
  }
  const issued = await appObject(env, clientId).grantlessIssue(clientId);
  return new Response(
    JSON.stringify({ access_token: issued.token, scope, token_type: "bearer", expires_in: issued.expiresIn }),
    {
      status: 200,
      headers: { "content-type": "application/json;charset=UTF-8", "cache-control": "no-store" },
    },
  );
}
