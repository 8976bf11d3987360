// An order split into two parcels gets one label per parcel from a label run (each bought exactly
// once at the courier), its label document holds both, and dispatch confirms each parcel to Amazon
// with its own packageReferenceId, items and tracking number.
import { describe, expect, it } from "vitest";
import { counters } from "../src/labels/testing.ts";
import { confirmationsAt } from "./amazon-helpers.ts";
import { call, json } from "./helpers.ts";
import { connectedSeller, drainAlarms, makeLabelReady } from "./room-helpers.ts";

interface ApiOrder {
  orderId: string;
  state: string;
  cancellationRequested: boolean;
  items: { orderItemId: string; sku: string; quantityOrdered: number }[];
  shipments: { courier: string; trackingNumber: string; voidedAt: string | null }[];
  confirmation: { state: string };
}

describe("a label per parcel", { timeout: 180_000 }, () => {
  it("buys one label for each parcel of a split order and confirms each parcel to Amazon", async () => {
    const { owner, token, partner } = await connectedSeller("parcels", {
      orders: 30,
      unshipped: 26,
      historyDays: 1,
    });
    const page = await json<{ orders: ApiOrder[] }>(
      await call("/api/v1/orders?state=new&limit=100", { token }),
    );
    const skus = [...new Set(page.orders.flatMap((o) => o.items.map((i) => i.sku)))];
    const key = `parcels-${crypto.randomUUID()}`;
    await makeLabelReady(token, skus, key, { serviceCode: "TPS48" });

    const order = page.orders.find(
      (o) => !o.cancellationRequested && o.items.reduce((n, i) => n + i.quantityOrdered, 0) >= 2,
    );
    expect(order, "a seeded order of two or more units").toBeDefined();
    const [first, ...rest] = order!.items;
    const parcels =
      rest.length > 0
        ? [
            { items: [{ orderItemId: first!.orderItemId, quantity: first!.quantityOrdered }] },
            { items: rest.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantityOrdered })) },
          ]
        : [
            { items: [{ orderItemId: first!.orderItemId, quantity: 1 }] },
            { items: [{ orderItemId: first!.orderItemId, quantity: first!.quantityOrdered - 1 }] },
          ];
    const split = await call(`/api/v1/orders/${order!.orderId}/parcels`, {
      token,
      method: "PUT",
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: { parcels },
    });
    expect(split.status, await split.clone().text()).toBe(200);

    const started = await call("/api/v1/labels/runs", {
      token,
      body: { orderIds: [order!.orderId] },
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
    const run = await json<{ orders: { orderId: string; status: string; error?: string }[] }>(
      await call(`/api/v1/labels/runs/${runId}`, { token }),
    );
    expect(run.orders).toEqual([expect.objectContaining({ orderId: order!.orderId, status: "bought" })]);

    // Two labels, two tracking numbers, each bought once; the order has its labels.
    const labelled = await json<ApiOrder>(await call(`/api/v1/orders/${order!.orderId}`, { token }));
    expect(labelled.state).toBe("label_bought");
    const tracking = labelled.shipments.filter((s) => s.voidedAt === null).map((s) => s.trackingNumber);
    expect(tracking).toHaveLength(2);
    expect(new Set(tracking).size).toBe(2);
    expect((await counters("royalmail", key)).purchases).toBe(2);
    // Its label document holds both parcels' labels (each courier label prints its tracking number).
    const label = await call(`/api/v1/orders/${order!.orderId}/label`, { token });
    expect(label.status).toBe(200);
    const document = new TextDecoder("latin1").decode(await label.arrayBuffer());
    expect(document.startsWith("%PDF-")).toBe(true);
    for (const t of tracking) expect(document).toContain(t);
    // A second run for it buys nothing more: already bought.
    const again = await call("/api/v1/labels/runs", {
      token,
      body: { orderIds: [order!.orderId] },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(again.status).toBe(202);
    const againId = (await json<{ runId: string }>(again)).runId;
    await drainAlarms(
      owner.sellerId,
      async () =>
        (await json<{ state: string }>(await call(`/api/v1/labels/runs/${againId}`, { token }))).state ===
        "finished",
      60_000,
    );
    const second = await json<{ orders: { status: string }[] }>(
      await call(`/api/v1/labels/runs/${againId}`, { token }),
    );
    expect(second.orders.map((o) => o.status)).toEqual(["already_bought"]);
    expect((await counters("royalmail", key)).purchases).toBe(2);

    // Voided: every parcel's label is cancelled with the courier and the order is ready again.
    const voided = await call(`/api/v1/orders/${order!.orderId}/void-label`, {
      token,
      method: "POST",
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(voided.status, await voided.clone().text()).toBe(200);
    const afterVoid = await json<ApiOrder>(await call(`/api/v1/orders/${order!.orderId}`, { token }));
    expect(afterVoid.state).toBe("ready");
    expect(afterVoid.shipments.filter((s) => s.voidedAt === null)).toEqual([]);
    // Bought again: a new label for each parcel (revision 2), two more purchases.
    const rebuy = await call("/api/v1/labels/runs", {
      token,
      body: { orderIds: [order!.orderId] },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(rebuy.status, await rebuy.clone().text()).toBe(202);
    const rebuyId = (await json<{ runId: string }>(rebuy)).runId;
    await drainAlarms(
      owner.sellerId,
      async () =>
        (await json<{ state: string }>(await call(`/api/v1/labels/runs/${rebuyId}`, { token }))).state ===
        "finished",
      60_000,
    );
    const relabelled = await json<ApiOrder>(await call(`/api/v1/orders/${order!.orderId}`, { token }));
    const newTracking = relabelled.shipments.filter((s) => s.voidedAt === null).map((s) => s.trackingNumber);
    expect(new Set(newTracking).size).toBe(2);
    expect(newTracking.filter((t) => tracking.includes(t))).toEqual([]);
    expect((await counters("royalmail", key)).purchases).toBe(4);

    // Dispatched: Amazon hears of each parcel once, with its own reference and tracking number.
    const dispatched = await json<{ queued: string[] }>(
      await call("/api/v1/dispatch", {
        token,
        body: { orderIds: [order!.orderId] },
        headers: { "Idempotency-Key": crypto.randomUUID() },
      }),
    );
    expect(dispatched.queued).toEqual([order!.orderId]);
    await drainAlarms(owner.sellerId, async () => {
      const o = await json<ApiOrder>(await call(`/api/v1/orders/${order!.orderId}`, { token }));
      return o.confirmation.state === "confirmed";
    });
    const amazon = await confirmationsAt(partner);
    const mine = amazon.confirmations.filter((c) => c.orderId === order!.orderId && c.accepted);
    expect(mine.map((c) => c.packageReferenceId).sort()).toEqual(["1", "2"]);
    expect(amazon.acceptedTwice).toEqual([]);
  });
});
