// Delivery tracking through the real SellerRoom: labels bought and dispatched through the API,
// the room's alarm asks the courier's tracking, a delivered parcel's delivery lands on the order
// (GET /orders/{id}), and GET /metrics says "No delivery data yet" rather than 0% on-time delivery.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SANDBOX } from "../src/labels/testing.ts";
import { call, json } from "./helpers.ts";
import { connectedSeller, drainAlarms, makeLabelReady } from "./room-helpers.ts";

interface ApiOrder {
  orderId: string;
  state: string;
  cancellationRequested: boolean;
  items: { sku: string }[];
  shipments: { courier: string; trackingNumber: string; voidedAt: string | null }[];
  deliveredAt: string | null;
}

describe("delivery tracking in the seller's room", { timeout: 180_000 }, () => {
  it("records a courier's delivery on the dispatched order it belongs to, on the room's alarm", async () => {
    const { owner, token } = await connectedSeller("tracking", { orders: 12, unshipped: 10, historyDays: 1 });
    const page = await json<{ orders: ApiOrder[] }>(
      await call("/api/v1/orders?state=new&limit=100", { token }),
    );
    const skus = [...new Set(page.orders.flatMap((o) => o.items.map((i) => i.sku)))];
    const key = `tracking-${crypto.randomUUID()}`;
    await makeLabelReady(token, skus, key, { serviceCode: "TPS48" });

    const chosen = page.orders
      .filter((o) => !o.cancellationRequested)
      .slice(0, 2)
      .map((o) => o.orderId);
    expect(chosen).toHaveLength(2);
    const started = await call("/api/v1/labels/runs", {
      token,
      body: { orderIds: chosen },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(started.status, await started.clone().text()).toBe(202);
    const { runId } = await json<{ runId: string }>(started);
    await drainAlarms(
      owner.sellerId,
      async () =>
        (await json<{ state: string }>(await call(`/api/v1/labels/runs/${runId}`, { token }))).state ===
        "finished",
      60_000,
    );
    const dispatched = await json<{ queued: string[] }>(
      await call("/api/v1/dispatch", {
        token,
        body: { orderIds: chosen },
        headers: { "Idempotency-Key": crypto.randomUUID() },
      }),
    );
    expect(dispatched.queued).toEqual(chosen);

    // Royal Mail delivers the first parcel; the second is still on its way.
    const first = await json<ApiOrder>(await call(`/api/v1/orders/${chosen[0]}`, { token }));
    const trackingNumber = first.shipments.find((s) => s.voidedAt === null)!.trackingNumber;
    const deliveredAt = new Date(Date.now() - 1_000).toISOString();
    const delivered = await fetch(
      `${SANDBOX}/_sandbox/couriers/royalmail/accounts/${encodeURIComponent(key)}/deliver/${trackingNumber}`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ at: deliveredAt }),
      },
    );
    expect(delivered.status).toBe(200);

    // The dispatch asked for a tracking poll a minute later; bring it forward instead of waiting.
    const stub = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(owner.sellerId));
    await runInDurableObject(stub, async (_room, state) => {
      state.storage.sql.exec("UPDATE jobs SET due_at = 0 WHERE name = 'tracking'");
      await state.storage.setAlarm(Date.now());
    });
    await drainAlarms(owner.sellerId, async () => {
      const o = await json<ApiOrder>(await call(`/api/v1/orders/${chosen[0]}`, { token }));
      return o.deliveredAt !== null;
    });
    const after = await json<ApiOrder>(await call(`/api/v1/orders/${chosen[0]}`, { token }));
    expect(after.deliveredAt).toBe(deliveredAt);
    const other = await json<ApiOrder>(await call(`/api/v1/orders/${chosen[1]}`, { token }));
    expect(other.deliveredAt).toBeNull();

    // The second parcel is still followed; the first is not asked about again. Orders imported as
    // already shipped (labels bought outside Consign) are not followed: our accounts cannot track them.
    const watched = await runInDurableObject(stub, async (_room, state) =>
      state.storage.sql
        .exec<{ order_id: string }>("SELECT order_id FROM parcel_watch")
        .toArray()
        .map((r) => r.order_id),
    );
    expect(watched).toEqual([chosen[1]]);

    // These parcels' latest delivery dates have not come yet: on-time delivery has no figure, said in words.
    const metrics = await json<{
      metrics: {
        metric: string;
        channel: string;
        rate: number | null;
        status: string;
        note: string | null;
      }[];
    }>(await call("/api/v1/metrics", { token }));
    const otd = metrics.metrics.find((m) => m.metric === "onTimeDeliveryRate");
    expect(otd).toMatchObject({ rate: null, status: "no_data" });
    expect(otd?.note).toMatch(/^No delivery data yet/);
  });
});
