// Conformance: the sandbox's answers validate against Amazon's own models (Swagger 2.0 definitions in
// ../shared/specs/sp-api), and our client parses them. Runs the bundled sandbox Worker in Miniflare.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSpApiClient } from "../src/index.ts";
import { startSandbox } from "./sandbox.ts";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..", "..");
const specsDir = join(repoRoot, "..", "shared", "specs", "sp-api");
const haveSpecs = existsSync(join(specsDir, "orders_2026-01-01.json"));
if (!haveSpecs)
  console.warn(`Skipping SP-API conformance: ${specsDir} is absent (the official models are not here).`);

type Spec = { definitions: Record<string, unknown> };
const load = (file: string): Spec => JSON.parse(readFileSync(join(specsDir, file), "utf8")) as Spec;

function validator(spec: Spec) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("date-time", (s: string) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s),
  );
  ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
  // Swagger 2.0 keeps schemas under #/definitions: host them at the root so the refs resolve.
  return (definition: string, value: unknown) => {
    const validate = ajv.compile({ $ref: `#/definitions/${definition}`, definitions: spec.definitions });
    const ok = validate(value);
    return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}

describe.skipIf(!haveSpecs)("the sandbox conforms to Amazon's SP-API models", () => {
  let mf: Miniflare;
  let base: string;
  const fetchSandbox = async (input: string | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    const res = await mf.dispatchFetch(`http://127.0.0.1:8788${url.pathname}${url.search}`, {
      method: req.method,
      headers: Object.fromEntries(req.headers),
      body: req.method === "GET" ? undefined : await req.text(),
      redirect: "manual",
    });
    const body = res.status === 204 ? null : await res.arrayBuffer();
    return new Response(body, { status: res.status, headers: res.headers as unknown as Headers });
  };
  const json = async (path: string, init?: RequestInit) => {
    const res = await fetchSandbox(`http://127.0.0.1:8788${path}`, init);
    return {
      status: res.status,
      headers: res.headers,
      body: res.status === 204 ? null : ((await res.json()) as unknown),
    };
  };

  beforeAll(async () => {
    mf = startSandbox("http://127.0.0.1:8788");
    base = "http://127.0.0.1:8788";
  }, 120_000);

  afterAll(async () => {
    await mf?.dispose();
  });

  it("answers searchOrders, getOrder, the Tokens API and confirmShipment in the models' shapes", async () => {
    const orders = validator(load("orders_2026-01-01.json"));
    const v0 = validator(load("ordersV0.json"));
    const tokens = validator(load("tokens_2021-03-01.json"));
    const seller = "ACONFORM1";
    await json(`/_sandbox/amazon/sellers/${seller}/seed`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ orders: 120, unshipped: 40, historyDays: 90, seed: 9, arrivalsPerHour: 0 }),
    });
    const consent = await fetchSandbox(
      `${base}/apps/authorize/consent?application_id=a&state=s&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&auto=1&sandbox_seller=${seller}`,
    );
    const code = new URL(consent.headers.get("location") as string).searchParams.get(
      "spapi_oauth_code",
    ) as string;
    const lwa = await json("/auth/o2/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        client_id: "amzn1.application-oa2-client.consignsandbox",
        client_secret: "sandbox-client-secret",
      }).toString(),
    });
    const { access_token: access, refresh_token: refresh } = lwa.body as {
      access_token: string;
      refresh_token: string;
    };
    const h = { "x-amz-access-token": access, "content-type": "application/json" };

    // Orders API 2026-01-01 needs no RDT: Amazon refuses one (400, its ErrorList); v0 reads still take one.
    const refusedRdt = await json("/tokens/2021-03-01/restrictedDataToken", {
      method: "POST",
      headers: h,
      body: JSON.stringify({ restrictedResources: [{ method: "GET", path: "/orders/2026-01-01/orders" }] }),
    });
    expect(refusedRdt.status).toBe(400);
    expect(tokens("ErrorList", refusedRdt.body)).toEqual([]);
    const rdt = await json("/tokens/2021-03-01/restrictedDataToken", {
      method: "POST",
      headers: h,
      body: JSON.stringify({
        restrictedResources: [{ method: "GET", path: "/orders/v0/orders", dataElements: ["buyerInfo"] }],
      }),
    });
    expect(tokens("CreateRestrictedDataTokenResponse", rdt.body)).toEqual([]);

    const all =
      "BUYER,RECIPIENT,PROCEEDS,EXPENSE,PROMOTION,CANCELLATION,FULFILLMENT,PACKAGES,TAX,PAYMENT,FULFILLMENT_ORDERS";
    const createdAfter = new Date(Date.now() - 100 * 86_400_000).toISOString();
    let token: string | undefined;
    let count = 0;
    do {
      const q = new URLSearchParams({ createdAfter, includedData: all, maxResultsPerPage: "50" });
      if (token) q.set("paginationToken", token);
      const res = await json(`/orders/2026-01-01/orders?${q}`, {
        headers: { "x-amz-access-token": access },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-amzn-RateLimit-Limit")).toBe("0.0056");
      expect(orders("SearchOrdersResponse", res.body)).toEqual([]);
      const body = res.body as { orders: unknown[]; pagination?: { nextToken: string } };
      count += body.orders.length;
      token = body.pagination?.nextToken;
    } while (token);
    expect(count).toBe(120);

    const unshipped = await json(
      `/orders/2026-01-01/orders?createdAfter=${createdAfter}&fulfillmentStatuses=UNSHIPPED&includedData=FULFILLMENT`,
      { headers: h },
    );
    const first = (
      unshipped.body as {
        orders: { orderId: string; orderItems: { orderItemId: string; quantityOrdered: number }[] }[];
      }
    ).orders[0];
    const one = await json(`/orders/2026-01-01/orders/${first?.orderId}?includedData=${all}`, { headers: h });
    expect(orders("GetOrderResponse", one.body)).toEqual([]);
    expect(orders("GetOrderResponse", { order: { orderId: 1 } })).not.toEqual([]);

    const bad = await json("/orders/2026-01-01/orders?maxResultsPerPage=5", { headers: h });
    expect(bad.status).toBe(400);
    expect(orders("ErrorList", bad.body)).toEqual([]);

    const confirm = {
      marketplaceId: "A1F83G8C2ARO7P",
      packageDetail: {
        packageReferenceId: "1",
        carrierCode: "Royal Mail",
        trackingNumber: "GQ660548056GB",
        shipDate: new Date().toISOString(),
        orderItems: first?.orderItems.map((i) => ({
          orderItemId: i.orderItemId,
          quantity: i.quantityOrdered,
        })),
      },
    };
    const path = `/orders/v0/orders/${first?.orderId}/shipmentConfirmation`;
    const ok = await json(path, { method: "POST", headers: h, body: JSON.stringify(confirm) });
    expect(ok.status).toBe(204);
    const dup = await json(path, { method: "POST", headers: h, body: JSON.stringify(confirm) });
    expect(dup.status).toBe(400);
    expect(v0("ConfirmShipmentErrorResponse", dup.body)).toEqual([]);
    const status = await json(`/orders/v0/orders/${first?.orderId}/shipment`, {
      method: "POST",
      headers: h,
      body: JSON.stringify({ marketplaceId: "1", shipmentStatus: "ReadyForPickup" }),
    });
    expect(v0("UpdateShipmentStatusErrorResponse", status.body)).toEqual([]);

    // Our own client reads the same sandbox through its schemas.
    const client = createSpApiClient({
      fetch: fetchSandbox,
      lwaTokenUrl: `${base}/auth/o2/token`,
      baseUrl: base,
      clientId: "amzn1.application-oa2-client.consignsandbox",
      clientSecret: "sandbox-client-secret",
      refreshToken: refresh,
    });
    const order = await client.getOrder(first?.orderId as string, [
      "BUYER",
      "RECIPIENT",
      "FULFILLMENT",
      "PACKAGES",
    ]);
    expect(order.buyer?.buyerName).toBeTruthy();
    expect(order.fulfillment?.fulfillmentStatus).toBe("SHIPPED");
  }, 60_000);

  it("answers 429 with an ErrorList once the usage plan is spent", async () => {
    const orders = validator(load("orders_2026-01-01.json"));
    const seller = "ACONFORM2";
    await json(`/_sandbox/amazon/sellers/${seller}/seed`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ orders: 3, historyDays: 5, seed: 1, arrivalsPerHour: 0 }),
    });
    await json(`/_sandbox/amazon/sellers/${seller}/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ throttle: { next: 1 } }),
    });
    const consent = await fetchSandbox(
      `${base}/apps/authorize/consent?application_id=a&state=s&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&auto=1&sandbox_seller=${seller}`,
    );
    const code = new URL(consent.headers.get("location") as string).searchParams.get(
      "spapi_oauth_code",
    ) as string;
    const lwa = await json("/auth/o2/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=authorization_code&code=${encodeURIComponent(code)}&client_id=amzn1.application-oa2-client.consignsandbox&client_secret=sandbox-client-secret`,
    });
    const access = (lwa.body as { access_token: string }).access_token;
    const res = await json(
      `/orders/2026-01-01/orders?createdAfter=${new Date(Date.now() - 86_400_000).toISOString()}`,
      {
        headers: { "x-amz-access-token": access },
      },
    );
    expect(res.status).toBe(429);
    expect(orders("ErrorList", res.body)).toEqual([]);
  });
});
