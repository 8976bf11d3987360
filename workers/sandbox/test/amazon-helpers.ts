import { exports } from "cloudflare:workers";

export const BASE = "http://127.0.0.1:8788";
export const CLIENT = {
  client_id: "amzn1.application-oa2-client.consignsandbox",
  client_secret: "sandbox-client-secret",
};

export function call(path: string, init?: RequestInit): Promise<Response> {
  // The sandbox's own default export (typed loosely: the tests' Exports type does not list it).
  const worker = exports as unknown as { default: { fetch(request: Request): Promise<Response> } };
  return worker.default.fetch(new Request(`${BASE}${path}`, init));
}

export async function control(path: string, body?: unknown, method = "POST"): Promise<unknown> {
  const res = await call(`/_sandbox/amazon/sellers/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

export function lwa(form: Record<string, string>): Promise<Response> {
  return call("/auth/o2/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
}

/** Consent (auto) → code → tokens, for a fresh seller. */
export async function connect(sellerId: string): Promise<{ refreshToken: string; accessToken: string }> {
  const consent = await call(
    `/apps/authorize/consent?application_id=app&state=s1&redirect_uri=${encodeURIComponent("http://127.0.0.1:8787/connect/amazon/callback")}&auto=1&sandbox_seller=${sellerId}`,
    { redirect: "manual" },
  );
  const location = new URL(consent.headers.get("location") as string);
  const code = location.searchParams.get("spapi_oauth_code") as string;
  const res = await lwa({ grant_type: "authorization_code", code, ...CLIENT });
  const body = (await res.json()) as { access_token: string; refresh_token: string };
  return { refreshToken: body.refresh_token, accessToken: body.access_token };
}

export function sp(path: string, token: string, init: RequestInit = {}): Promise<Response> {
  return call(path, {
    ...init,
    headers: { "x-amz-access-token": token, "content-type": "application/json", ...(init.headers ?? {}) },
  });
}

export const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
export const daysAgo = (d: number) => minutesAgo(d * 24 * 60);
