import { DAY_MS, HOUR_MS, type Order } from "@consign/domain";
import { makeOrder } from "@consign/domain/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { apiHarness, type ErrorJson, sellerWithKeys } from "./api-harness.ts";

const { fakes, request } = apiHarness();
let seller: Awaited<ReturnType<typeof sellerWithKeys>>;

function order(n: number, overrides: Partial<Order> = {}): Order {
  const now = Date.now();
  return makeOrder({
    orderId: `202-0000000-${String(n).padStart(7, "0")}`,
    purchaseDate: now - n * HOUR_MS,
    lastUpdated: now - n * HOUR_MS,
    latestShipDate: now + 3 * DAY_MS,
    ...overrides,
  });
}

type Page = {
  orders: { orderId: string; state: string; shipBy: { bucket: string }; purchasedAt: string }[];
  nextCursor: string | null;
};

beforeAll(async () => {
  seller = await sellerWithKeys("orders-api");
  fakes.for(seller.owner.sellerId).add(
    order(1, { state: "new", isPrime: true }),
    order(2, { state: "ready", latestShipDate: Date.now() - HOUR_MS }),
    order(3, {
      state: "label_bought",
      service: { courier: "royal-mail", serviceCode: "TPN24" },
      shipments: [
        {
          id: "202-0000000-0000003:0",
          courier: "royal-mail",
          serviceCode: "TPN24",
          trackingNumber: "GQ660548056GB",
          amazonCarrierCode: "Royal Mail",
          boughtAt: Date.now() - HOUR_MS,
          labelRef: "labels/3",
        },
      ],
    }),
    order(4, { state: "new", buyerName: "Siân O'Brien", marketplaceId: "A13V1IB3VIYZZH" }),
    order(5, { state: "cancelled", cancelledBy: "buyer", cancelledAt: Date.now() - HOUR_MS }),
  );
});

describe("GET /api/v1/orders", () => {
  it("lists orders newest first with ISO times and ship-by buckets", async () => {
    const res = await request("/orders", { token: seller.readKey });
    expect(res.status).toBe(200);
    const page = (await res.json()) as Page;
    expect(page.orders.map((o) => o.orderId.slice(-1))).toEqual(["1", "2", "3", "4", "5"]);
    expect(page.orders[1]!.shipBy.bucket).toBe("overdue");
    expect(page.orders[0]!.purchasedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(page.nextCursor).toBeNull();
  });

  it("filters by state, ship-by bucket, courier, Prime, marketplace and search text", async () => {
    const ids = async (qs: string) =>
      ((await (await request(`/orders?${qs}`, { token: seller.readKey })).json()) as Page).orders.map((o) =>
        o.orderId.slice(-1),
      );
    expect(await ids("state=new,ready")).toEqual(["1", "2", "4"]);
    expect(await ids("shipBy=overdue")).toEqual(["2"]);
    expect(await ids("courier=royal-mail")).toEqual(["3"]);
    expect(await ids("prime=true")).toEqual(["1"]);
    expect(await ids("marketplace=A13V1IB3VIYZZH")).toEqual(["4"]);
    expect(await ids("q=sian")).toEqual(["4"]);
    expect(await ids("q=GQ660548")).toEqual(["3"]);
    expect(await ids(`updatedSince=${new Date(Date.now() - 2.5 * HOUR_MS).toISOString()}`)).toEqual([
      "1",
      "2",
    ]);
  });

  it("pages with a cursor until nextCursor is null, never repeating an order", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const qs: string = `limit=2&sort=shipBy${cursor ? `&cursor=${cursor}` : ""}`;
      const page = (await (await request(`/orders?${qs}`, { token: seller.readKey })).json()) as Page;
      seen.push(...page.orders.map((o) => o.orderId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    expect(seen[0]!.endsWith("2")).toBe(true); // the overdue one first
  });

  it("answers a bad filter with 400 naming the fields at fault", async () => {
    const res = await request("/orders?state=shipped&limit=0&prime=yes&cursor=garbage", {
      token: seller.readKey,
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe("bad_request");
    expect(body.error.fields.map((f) => f.path).sort()).toEqual(["cursor", "limit", "prime", "state.0"]);
  });

  it("refuses a request without a key", async () => {
    const res = await request("/orders");
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorJson).error.code).toBe("unauthenticated");
  });
});

describe("GET /api/v1/orders/{orderId}", () => {
  it("returns one order and its dispatch confirmation", async () => {
    const res = await request("/orders/202-0000000-0000003", { token: seller.readKey });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      shipments: { trackingNumber: string; hasLabel: boolean }[];
      state: string;
    };
    expect(body.state).toBe("label_bought");
    expect(body.shipments[0]).toMatchObject({ trackingNumber: "GQ660548056GB", hasLabel: true });
    const conf = await request("/orders/202-0000000-0000003/confirmation", { token: seller.readKey });
    expect(await conf.json()).toEqual({
      orderId: "202-0000000-0000003",
      state: "none",
      confirmedAt: null,
      attempts: 0,
      error: null,
      needsAttention: false,
    });
  });

  it("answers 404 for an order the seller does not have", async () => {
    const res = await request("/orders/202-9999999-9999999", { token: seller.readKey });
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorJson).error.message).toMatch(/No order 202-9999999-9999999/);
  });
});
