// GET /orders reaches the archive (include=archived, or a purchase-date range), with every filter,
// q= and the cursor working across live and archived orders alike, and GET /archive/{month} in the
// same order shape as GET /orders. Against the real SellerRoom: live orders in its document,
// archived ones in its archive partitions.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Order } from "@consign/domain";
import { upsertOrders } from "@consign/sync";
import { beforeAll, describe, expect, it } from "vitest";
import type { SellerCore } from "../src/room/core.ts";
import { apiKey } from "./api-harness.ts";
import { call, json, signUp } from "./helpers.ts";
import { order } from "./sync-fixtures.ts";

type ApiOrder = Record<string, unknown> & { orderId: string; purchasedAt: string; state: string };
type Page = { orders: ApiOrder[]; nextCursor: string | null };

const DAY = 86_400_000;
let owner: Awaited<ReturnType<typeof signUp>>;
let key: string;

// Live: three recent orders. Archived: two from September and three from October 2026, sent long ago.
const now = Date.now();
const live = [1, 2, 3].map((n) => ({
  ...order(`202-1000000-000000${n}`, now - n * DAY),
  buyerName: `Live Buyer ${n}`,
}));
function sent(o: Order, buyer: string): Order {
  return {
    ...o,
    buyerName: buyer,
    state: "confirmed",
    amazonStatus: "SHIPPED",
    dispatchedAt: o.purchaseDate + DAY,
    shipments: [
      {
        id: `${o.orderId}:1`,
        courier: "royal-mail",
        serviceCode: "TPN24",
        trackingNumber: `GQ${o.orderId.slice(4, 5)}${o.orderId.slice(-7)}GB`,
        amazonCarrierCode: "Royal Mail",
        boughtAt: o.purchaseDate + DAY / 2,
      },
    ],
    confirmation: { state: "confirmed", attempts: 1, confirmedAt: o.purchaseDate + DAY },
  };
}
const september = [1, 2].map((n) =>
  sent(order(`202-2000000-000000${n}`, Date.UTC(2026, 8, 10 + n, 12)), `September Buyer ${n}`),
);
const october = [1, 2, 3].map((n) =>
  sent(
    order(`202-3000000-000000${n}`, Date.UTC(2026, 9, 10 + n, 12)),
    `${["Ash", "Birch", "Cedar"][n - 1]} Oktober`,
  ),
);
const archived = [...september, ...october];

const get = async <T = Page>(path: string) => {
  const res = await call(`/api/v1${path}`, { token: key });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return json<T>(res);
};

/** Every page of a listing, following nextCursor. */
async function allPages(path: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page: Page = await get(`${path}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ""}`);
    ids.push(...page.orders.map((o) => o.orderId));
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  return { ids, pages };
}

beforeAll(async () => {
  owner = await signUp("archive-list");
  key = await apiKey(owner, "read");
  const stub = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(owner.sellerId));
  await runInDurableObject(stub, (instance) => {
    const core = (instance as unknown as { core: SellerCore }).core;
    core.sync.transact((d) => upsertOrders(d, live, "import"), "import");
    core.archive.put(archived, now);
  });
});

describe("GET /orders and the archive", () => {
  it("lists only the live orders unless asked for the archive", async () => {
    const page = await get("/orders?limit=50");
    expect(page.orders.map((o) => o.orderId).sort()).toEqual(live.map((o) => o.orderId).sort());
  });

  it("pages across live and archived orders with include=archived: each once, newest first", async () => {
    const { ids, pages } = await allPages("/orders?include=archived&limit=3");
    expect(pages).toBe(3);
    expect(ids).toHaveLength(live.length + archived.length);
    expect(new Set(ids).size).toBe(ids.length);
    const byDate = [...live, ...archived]
      .sort((a, b) => b.purchaseDate - a.purchaseDate)
      .map((o) => o.orderId);
    expect(ids).toEqual(byDate);
  });

  it("applies filters and q= to archived orders too", async () => {
    const search = "/orders?q=birch%20oktober";
    expect((await get(search)).orders).toEqual([]);
    const found = await get(`${search}&include=archived`);
    expect(found.orders.map((o) => o.orderId)).toEqual([october[1]!.orderId]);
    const byTracking = await get(`/orders?include=archived&q=${september[0]!.shipments[0]!.trackingNumber}`);
    expect(byTracking.orders.map((o) => o.orderId)).toEqual([september[0]!.orderId]);
    const confirmed = await allPages("/orders?include=archived&state=confirmed&sort=shipBy&limit=2");
    expect(confirmed.ids).toEqual(
      [...archived].sort((a, b) => a.latestShipDate - b.latestShipDate).map((o) => o.orderId),
    );
  });

  it("reaches the archive with a purchase-date range alone", async () => {
    const { ids } = await allPages(
      "/orders?purchasedFrom=2026-10-01T00:00:00Z&purchasedTo=2026-11-01T00:00:00Z&limit=2",
    );
    expect(ids).toEqual([...october].reverse().map((o) => o.orderId));
    // A range across the archive and the live list gets both.
    const since = new Date(Date.UTC(2026, 9, 12)).toISOString();
    const { ids: both } = await allPages(`/orders?purchasedFrom=${since}&limit=50`);
    expect(both.sort()).toEqual([...live, october[1]!, october[2]!].map((o) => o.orderId).sort());
  });

  it("shows an archived order in exactly the shape of a live one", async () => {
    const page = await get("/orders?include=archived&limit=50");
    const liveOne = page.orders.find((o) => o.orderId === live[0]!.orderId)!;
    const oldOne = page.orders.find((o) => o.orderId === october[0]!.orderId)!;
    expect(Object.keys(oldOne).sort()).toEqual(Object.keys(liveOne).sort());
    expect(oldOne).toMatchObject({
      purchasedAt: new Date(october[0]!.purchaseDate).toISOString(),
      state: "confirmed",
      dispatchedAt: new Date(october[0]!.dispatchedAt!).toISOString(),
    });
    expect((oldOne.shipments as { trackingNumber: string }[])[0]!.trackingNumber).toBe(
      october[0]!.shipments[0]!.trackingNumber,
    );
    // GET /orders/{id} answers the same for it.
    expect(await get<ApiOrder>(`/orders/${october[0]!.orderId}`)).toEqual(oldOne);
  });

  it("answers GET /archive/{month} in the same shape, and the app's stored form apart", async () => {
    const month = await get<{ month: string; orders: ApiOrder[] }>("/archive/2026-10");
    const listed = await get("/orders?purchasedFrom=2026-10-01T00:00:00Z&purchasedTo=2026-11-01T00:00:00Z");
    expect(month).toEqual({ month: "2026-10", orders: listed.orders });
    expect(month.orders.map((o) => o.orderId)).toEqual([...october].reverse().map((o) => o.orderId));
    const stored = await get<{ orders: Order[] }>("/archive/2026-10/documents");
    expect(stored.orders.map((o) => o.purchaseDate).sort()).toEqual(
      october.map((o) => o.purchaseDate).sort(),
    );
  });

  it("says what is wrong with a bad range, include or month", async () => {
    const backwards = await call(
      "/api/v1/orders?purchasedFrom=2026-11-01T00:00:00Z&purchasedTo=2026-10-01T00:00:00Z",
      { token: key },
    );
    expect(backwards.status).toBe(400);
    const body = await json<{ error: { fields: { path: string; message: string }[] } }>(backwards);
    expect(body.error.fields).toContainEqual({
      path: "purchasedTo",
      message: "purchasedFrom must be before purchasedTo",
    });
    const include = await call("/api/v1/orders?include=everything", { token: key });
    expect(include.status).toBe(400);
    expect(JSON.stringify(await include.json())).toContain("include takes archived");
    const month = await call("/api/v1/archive/2026-13", { token: key });
    expect(month.status).toBe(400);
    expect(JSON.stringify(await month.json())).toContain("use yyyy-mm");
  });
});
