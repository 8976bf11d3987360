// The simulated month's buyers see the seller's listings as real Amazon shows them: once the seller
// (through Consign) pushes a SKU's quantity, buyers can order only that many units, and at 0 none.
// An order the world planned for a listing that had nothing left was never placed.
import { describe, expect, it } from "vitest";
import { quantityPatch, UK } from "./amazon-extra-helpers.ts";
import { CLIENT, call, connect, control, lwa, sp } from "./amazon-helpers.ts";

const DAY = 86_400_000;

interface Order {
  orderId: string;
  orderItems: { quantityOrdered: number; product: { sellerSku: string } }[];
}

describe("the simulated Amazon's listings", { timeout: 60_000 }, () => {
  it("sell no more units than the quantity the seller pushed, none at 0", async () => {
    const seller = "ASIMLISTING1";
    const { accessToken, refreshToken } = await connect(seller);
    await control(`${seller}/faults`, { rateScale: 1000 });
    const tomorrow = new Date(Date.now() + DAY).toISOString().slice(0, 10);
    const res = await call(`/_sandbox/sim/sellers/${seller}/days`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ day: tomorrow, seed: "listing", averagePerDay: 40 }),
    });
    expect(res.status).toBe(200);
    const plan = (await res.json()) as { orders: number; skus: string[]; traits: Record<string, unknown> };
    const planned = new Set(Object.keys(plan.traits));
    expect(plan.orders).toBeGreaterThan(10);
    // Every SKU pushed at 0 except one, which has 2 units left.
    const [kept, ...gone] = plan.skus;
    if (!kept) throw new Error("no SKU");
    const push = (sku: string, quantity: number) =>
      sp(
        `/listings/2021-08-01/items/${seller}/${encodeURIComponent(sku)}?marketplaceIds=${UK}`,
        accessToken,
        {
          method: "PATCH",
          body: quantityPatch(quantity),
        },
      );
    for (const sku of gone) expect((await push(sku, 0)).status).toBe(200);
    expect((await push(kept, 2)).status).toBe(200);

    // The whole planned day passes.
    await control(`${seller}/clock`, { advanceMs: 3 * DAY });
    const fresh = (await (
      await lwa({ grant_type: "refresh_token", refresh_token: refreshToken, ...CLIENT })
    ).json()) as { access_token: string };
    const list = await sp(
      `/orders/2026-01-01/orders?createdAfter=${tomorrow}T00:00:00Z&maxResultsPerPage=100`,
      fresh.access_token,
    );
    expect(list.status).toBe(200);
    // The planned day's orders (the sandbox seller's own demo arrivals aside).
    const placed = ((await list.json()) as { orders: Order[] }).orders.filter((o) => planned.has(o.orderId));
    const out = await call(`/_sandbox/sim/sellers/${seller}/outcomes`);
    const withdrawn = (
      (await out.json()) as { withdrawn: { orderId: string; sku: string }[] }
    ).withdrawn.filter((w) => planned.has(w.orderId));

    // Buyers bought only what the listings offered: the kept SKU's 2 units at most, nothing else.
    const skus = new Set(placed.flatMap((o) => o.orderItems.map((i) => i.product.sellerSku)));
    expect([...skus].filter((s) => s !== kept)).toEqual([]);
    const units = placed.flatMap((o) => o.orderItems).reduce((n, i) => n + i.quantityOrdered, 0);
    expect(units).toBeLessThanOrEqual(2);
    // Every other planned order was never placed, and says which listing stopped it.
    expect(placed.length + withdrawn.length).toBe(plan.orders);
    expect(withdrawn.length).toBeGreaterThanOrEqual(plan.orders - 2);
    const placedIds = new Set(placed.map((o) => o.orderId));
    for (const w of withdrawn) expect(placedIds.has(w.orderId)).toBe(false);
  });
});
