// Issue 10 through the real SellerRoom: stock held by open orders and taken on dispatch, pushed to
// Amazon's listings; Amazon's own figures beside ours; refunds landing on their orders.
import { describe, expect, it } from "vitest";
import { call, json } from "./helpers.ts";
import { connectedSeller, drainAlarms } from "./room-helpers.ts";

interface Stock {
  levels: Record<string, number>;
  available: Record<string, number>;
  unfillable: { orderId: string }[];
  pushedToAmazon: { sku: string; state: string; quantity: number }[];
}

describe("the metrics' real inputs in the seller's room", () => {
  it("holds stock for open orders, flags what cannot be filled, and pushes quantities to Amazon", async () => {
    const { token, owner } = await connectedSeller("stock", { orders: 30, unshipped: 20, historyDays: 3 });
    const sellerId = owner.sellerId;
    const open = await json<{
      orders: { orderId: string; items: { sku: string; quantityOrdered: number }[] }[];
    }>(await call("/api/v1/orders?state=new&limit=100", { token }));
    const sku = open.orders[0]!.items[0]!.sku;
    const held = open.orders
      .flatMap((o) => o.items)
      .filter((i) => i.sku === sku)
      .reduce((n, i) => n + i.quantityOrdered, 0);
    const res = await call("/api/v1/stock/adjustments", {
      token,
      body: { changes: [{ sku, delta: held + 5 }] },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const stock = await json<Stock>(res);
    expect(stock.levels[sku]).toBe(held + 5);
    expect(stock.available[sku]).toBe(5);
    expect(stock.unfillable).toEqual([]);
    // One fewer than the orders need: the newest order that cannot be filled is flagged.
    const short = await json<Stock>(
      await call("/api/v1/stock/adjustments", { token, body: { changes: [{ sku, delta: -6 }] } }),
    );
    expect(short.available[sku]).toBe(0);
    expect(short.unfillable.length).toBeGreaterThanOrEqual(1);
    expect(short.unfillable.length).toBeLessThan(open.orders.length);
    // A SKU at zero is pushed to Amazon first, before it causes a cancellation.
    await drainAlarms(sellerId, async () => {
      const now = await json<Stock>(await call("/api/v1/stock", { token }));
      return now.pushedToAmazon.some((p) => p.sku === sku && p.quantity === 0 && p.state === "accepted");
    });
  });

  it("answers Amazon's official figures beside ours with the reasons they differ", async () => {
    const { token } = await connectedSeller("official", { orders: 20, unshipped: 5, historyDays: 10 });
    const res = await call("/api/v1/health/official", { token });
    expect(res.status).toBe(200);
    const body = await json<{ comparisons: { metric: string; reasons: string[] }[] }>(res);
    expect(body.comparisons.map((c) => c.metric)).toContain("orderDefectRate");
    for (const c of body.comparisons) expect(c.reasons.length).toBeGreaterThan(0);
  });

  it("rejects a malformed stock change with the fields at fault", async () => {
    const { token } = await connectedSeller("stockbad", { orders: 5, unshipped: 2, historyDays: 2 });
    const bad = await call("/api/v1/stock/adjustments", {
      token,
      body: { changes: [{ sku: "", delta: 1.5 }] },
    });
    expect(bad.status).toBe(400);
    const fields = (await json<{ error: { fields: { path: string }[] } }>(bad)).error.fields.map(
      (f) => f.path,
    );
    expect(fields).toEqual(expect.arrayContaining(["changes.0.sku", "changes.0.delta"]));
  });
});
