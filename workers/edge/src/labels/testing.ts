// Helpers for the label tests (edge, in workerd): a ledger inside a fresh seller room, sandbox
// switches, sample orders. Not imported by the Worker.

import { env, runInDurableObject } from "cloudflare:test";
import type { ShipmentRequest } from "@consign/couriers";
import { type CourierCredentials, createCourierSet } from "./couriers.ts";
import { LabelLedger, type LabelRequest } from "./ledger.ts";

export const SANDBOX = "http://127.0.0.1:8788";

export const fast = {
  "royal-mail": { perSecond: 1000, burst: 1000 },
  "amazon-shipping": { perSecond: 1000, burst: 1000 },
  dpd: { perSecond: 1000, burst: 1000 },
  evri: { perSecond: 1000, burst: 1000 },
};

const sandboxTokens = new Map<string, Promise<string>>();

/**
 * A Login with Amazon access token the sandbox issued for seller `sellerId` (Buy Shipping checks it
 * like every SP-API call, and the seller is the account its shipments belong to). A tiny seed first,
 * so consent does not build the 1,500-order demo.
 */
export function sandboxAccessToken(sellerId: string): Promise<string> {
  let token = sandboxTokens.get(sellerId);
  if (!token) {
    token = (async () => {
      await fetch(`${SANDBOX}/_sandbox/amazon/sellers/${sellerId}/seed`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ orders: 1, historyDays: 1, arrivalsPerHour: 0 }),
      });
      const consent = await fetch(
        `${SANDBOX}/apps/authorize/consent?application_id=a&state=s&redirect_uri=${encodeURIComponent("http://127.0.0.1/cb")}&auto=1&sandbox_seller=${sellerId}`,
        { redirect: "manual" },
      );
      const code = new URL(consent.headers.get("location") ?? "").searchParams.get("spapi_oauth_code");
      const lwa = await fetch(`${SANDBOX}/auth/o2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code: code ?? "",
          client_id: env.SPAPI_CLIENT_ID,
          client_secret: env.SPAPI_CLIENT_SECRET,
        }),
      });
      const body = (await lwa.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`the sandbox gave no access token for ${sellerId}`);
      return body.access_token;
    })();
    sandboxTokens.set(sellerId, token);
  }
  return token;
}

export function credentialsFor(account: string): CourierCredentials {
  return {
    royalMail: { apiKey: account },
    amazonShipping: { accessToken: () => sandboxAccessToken(account) },
    dpd: { username: account, password: "pw", accountNumber: "1234567" },
    evri: { username: account, password: "pw", clientId: "CONSIGN", clientName: "Consign" },
  };
}

export function newLedger(state: DurableObjectState, account: string, timeoutMs = 5000) {
  const couriers = createCourierSet(env, credentialsFor(account), { timeoutMs, rateLimits: fast });
  return new LabelLedger({
    sql: state.storage.sql,
    labels: env.LABELS,
    adapterFor: (c) => couriers.adapterFor(c),
    labelPrefix: `seller-${account}`,
  });
}

/** Runs `body` inside a fresh SellerRoom with real Durable Object storage. */
export function inSellerRoom<R>(body: (state: DurableObjectState) => Promise<R>): Promise<R> {
  const stub = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(crypto.randomUUID()));
  return runInDurableObject(stub, (_instance, state) => body(state));
}

/** Shipments the sandbox courier sold on this account. */
export async function purchases(courier: string, account: string): Promise<number> {
  return (await counters(courier, account)).purchases;
}

/** Sold shipments and purchase requests (idempotent repeats included) on this account. */
export async function counters(
  courier: string,
  account: string,
): Promise<{ purchases: number; purchaseRequests: number }> {
  const res = await fetch(
    `${SANDBOX}/_sandbox/couriers/${courier}/accounts/${encodeURIComponent(account)}/purchases`,
  );
  return (await res.json()) as { purchases: number; purchaseRequests: number };
}

export async function setFaults(
  courier: string,
  account: string,
  faults: Record<string, unknown>,
): Promise<void> {
  const res = await fetch(
    `${SANDBOX}/_sandbox/couriers/${courier}/accounts/${encodeURIComponent(account)}/faults`,
    {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(faults),
    },
  );
  if (!res.ok) throw new Error(`The sandbox refused the fault switches (${res.status})`);
}

export function shipmentFor(orderId: string, overrides: Partial<ShipmentRequest> = {}): ShipmentRequest {
  return {
    orderId,
    serviceCode: "TPN24",
    recipient: {
      name: "Ada Lovelace",
      line1: "10 Downing Street",
      city: "London",
      postcode: "SW1A 2AA",
      countryCode: "GB",
    },
    sender: {
      name: "Despatch",
      companyName: "Acme Ltd",
      line1: "1 Warehouse Way",
      city: "Leeds",
      postcode: "LS1 4AP",
      countryCode: "GB",
      phone: "01130000000",
    },
    package: { weightGrams: 450, lengthMm: 300, widthMm: 200, heightMm: 50 },
    contents: [{ sku: "MUG-1", description: "Mug", quantity: 1, unitValue: 9.99 }],
    orderDate: Date.UTC(2026, 10, 20),
    goodsValue: 9.99,
    shippingPaid: 0,
    ...overrides,
  };
}

export function royalMailOrders(count: number, postcodeFor?: (i: number) => string): LabelRequest[] {
  const run = crypto.randomUUID().slice(0, 7);
  return Array.from({ length: count }, (_, i) => {
    const orderId = `202-${run}-${String(i).padStart(7, "0")}`;
    const postcode = postcodeFor?.(i) ?? "SW1A 2AA";
    return {
      orderId,
      courier: "royal-mail" as const,
      shipment: shipmentFor(orderId, {
        recipient: {
          name: `Buyer ${i}`,
          line1: `${i} High Street`,
          city: "London",
          postcode,
          countryCode: "GB",
        },
      }),
    };
  });
}
