import { createHealthClient } from "@consign/sp-api";
import { control, RATE_SCALE, SANDBOX, uniqueSeller } from "./amazon-helpers.ts";

export const UK = "A1F83G8C2ARO7P";

/** A sandbox seller with demo orders, and a health client holding its access token. */
export async function sandboxSeller(prefix: string, orders = 300) {
  const seller = uniqueSeller(prefix);
  const consent = await fetch(
    `${SANDBOX}/apps/authorize/consent?application_id=a&state=s&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&auto=1&sandbox_seller=${seller}`,
    { redirect: "manual" },
  );
  const code = new URL(consent.headers.get("location") as string).searchParams.get(
    "spapi_oauth_code",
  ) as string;
  const lwa = await fetch(`${SANDBOX}/auth/o2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      client_id: "amzn1.application-oa2-client.consignsandbox",
      client_secret: "sandbox-client-secret",
    }).toString(),
  });
  const token = ((await lwa.json()) as { access_token: string }).access_token;
  await control(`${seller}/seed`, { orders, historyDays: 90, seed: 5, arrivalsPerHour: 0 });
  await control(`${seller}/faults`, { rateScale: RATE_SCALE });
  const client = createHealthClient({
    fetch: (input, init) => fetch(input, init),
    baseUrl: SANDBOX,
    accessToken: async () => token,
    rateScale: RATE_SCALE,
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
  });
  return { seller, token, client };
}

export const extra = (seller: string, path: string, body?: unknown, method = "POST") =>
  control(`${seller}/extra/${path}`, body, method);

export interface BuyerEvents {
  feedback: { orderId: string; rating: number }[];
  claims: { orderId: string; reversedAt?: number }[];
  chargebacks: { orderId: string }[];
  refunds: { orderId: string }[];
}
