import { call, connect, control } from "./amazon-helpers.ts";

export const UK = "A1F83G8C2ARO7P";

/** A connected, seeded seller whose usage plans run `rateScale` times faster. */
export async function seededSeller(seller: string, orders = 200, rateScale = 1000) {
  const { accessToken } = await connect(seller);
  await control(`${seller}/seed`, { orders, historyDays: 90, seed: 11, arrivalsPerHour: 0 });
  await control(`${seller}/faults`, { rateScale });
  return accessToken;
}

/** A Listings Items PATCH body that sets a SKU's quantity, as Consign's listing push sends it. */
export function quantityPatch(quantity: unknown): string {
  return JSON.stringify({
    productType: "PRODUCT",
    patches: [
      {
        op: "replace",
        path: "/attributes/fulfillment_availability",
        value: [{ fulfillment_channel_code: "DEFAULT", quantity }],
      },
    ],
  });
}

export function extra(seller: string, path: string, body?: unknown, method = "POST") {
  return control(`${seller}/extra/${path}`, body, method);
}

export async function json(path: string, token: string, init: RequestInit = {}) {
  const res = await call(path, {
    ...init,
    headers: { "x-amz-access-token": token, "content-type": "application/json", ...(init.headers ?? {}) },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : null };
}

export interface BuyerEventsBody {
  feedback: { orderId: string; rating: number }[];
  claims: { orderId: string; reversedAt?: number }[];
  chargebacks: { orderId: string }[];
  refunds: { orderId: string }[];
}
