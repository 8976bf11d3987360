import type { Order } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { ConfirmationQueue, type ConfirmationResult, Importer } from "../src/amazon/index.ts";
import {
  confirmationsAt,
  connectSeller,
  control,
  inRoom,
  RATE_SCALE,
  settings,
  sleep,
  uniqueSeller,
} from "./amazon-helpers.ts";

/** Drives `run` like a Durable Object alarm would, until it has nothing due before `until()`. */
async function alarmLoop(run: (now: number) => Promise<number | null>, until: () => boolean, limit = 200) {
  for (let i = 0; i < limit && !until(); i++) {
    const next = await run(Date.now());
    if (next === null) return;
    const wait = next - Date.now();
    if (wait > 0) await sleep(Math.min(wait, 500));
  }
}

describe("Amazon at the edge, end to end against the sandbox", () => {
  it("connects, imports 500 orders once (awaiting dispatch first), confirms 200 dispatches exactly once through 429s and 5xx", async () => {
    const spid = uniqueSeller("AFLOW");
    await control(`${spid}/seed`, {
      orders: 500,
      unshipped: 250,
      historyDays: 90,
      seed: 42,
      arrivalsPerHour: 0,
    });
    await control(`${spid}/faults`, { rateScale: RATE_SCALE });
    await inRoom(`flow-${spid}`, async (sql) => {
      const { vault } = await connectSeller(sql, spid);
      const client = await vault.client(settings());
      const deliveries = new Map<string, number>();
      const batches: Order[][] = [];
      const importer = new Importer({
        sql,
        client,
        onOrders: async (orders) => {
          batches.push(orders);
          for (const o of orders) deliveries.set(o.orderId, (deliveries.get(o.orderId) ?? 0) + 1);
        },
        options: { pollIntervalMs: 60 * 60_000 },
      });
      const connectedAt = Date.now();
      importer.start(connectedAt);
      const first = await importer.runOnce(Date.now());
      console.log(
        `import of 500 orders: ${Date.now() - connectedAt} ms (workerd, sandbox at rateScale ${RATE_SCALE})`,
      );
      expect(first.delivered).toBe(500);
      // The team can start packing at once: the first batches are the orders awaiting dispatch.
      expect(batches[0]?.every((o) => o.amazonStatus === "UNSHIPPED" && o.state === "new")).toBe(true);
      expect(batches.slice(0, 3).flat().length).toBe(250);
      expect(batches[0]?.[0]?.recipient?.postcode).toBeTruthy();
      expect(batches[0]?.[0]?.buyerName).toBeTruthy();
      expect(deliveries.size).toBe(500);
      expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
      expect(importer.status()).toMatchObject({
        connected: true,
        unshippedComplete: true,
        historyComplete: true,
        ordersKnown: 500,
      });

      // Importing again never duplicates.
      importer.start(Date.now());
      await importer.runOnce(Date.now());
      expect([...deliveries.values()].every((n) => n === 1)).toBe(true);

      // 200 dispatches, with Amazon throttling and failing some calls.
      await control(`${spid}/faults`, {
        throttle: { rate: 0.15, operations: ["confirmShipment"] },
        serverErrors: { rate: 0.1, status: 503, operations: ["confirmShipment"] },
      });
      const results = new Map<string, ConfirmationResult>();
      const queue = new ConfirmationQueue({
        sql,
        client,
        onResult: (orderId, result) => {
          results.set(orderId, result);
        },
        options: { baseRetryMs: 40, maxRetryMs: 400 },
      });
      const toConfirm = batches
        .flat()
        .filter((o) => o.amazonStatus === "UNSHIPPED")
        .slice(0, 200);
      expect(toConfirm.length).toBe(200);
      for (const o of toConfirm) {
        const record = queue.enqueue({
          orderId: o.orderId,
          packageReferenceId: "1",
          carrierCode: "Royal Mail",
          trackingNumber: "GQ660548056GB",
          shipDate: new Date().toISOString(),
          items: o.items.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantityOrdered })),
        });
        expect(record.state).toBe("pending");
      }
      // Enqueuing the same package again changes nothing.
      const again = toConfirm[0] as Order;
      queue.enqueue({
        orderId: again.orderId,
        packageReferenceId: "1",
        carrierCode: "Royal Mail",
        trackingNumber: "GQ660548056GB",
        shipDate: new Date().toISOString(),
        items: again.items.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantityOrdered })),
      });
      const drainStart = Date.now();
      await alarmLoop(
        (now) => queue.drain(now),
        () => queue.counts().pending === 0,
      );
      console.log(`200 confirmations with faults: ${Date.now() - drainStart} ms`);
      expect(queue.counts()).toEqual({ pending: 0, confirmed: 200, failed: 0 });
      expect([...results.values()].filter((r) => r.state === "confirmed").length).toBe(200);

      const seen = await confirmationsAt(spid);
      expect(seen.accepted).toBe(200);
      expect(seen.acceptedTwice).toEqual([]);
      const acceptedOrders = new Set(seen.confirmations.filter((c) => c.accepted).map((c) => c.orderId));
      expect(acceptedOrders).toEqual(new Set(toConfirm.map((o) => o.orderId)));

      // Amazon now shows them shipped: the next poll brings the status change, not new orders.
      await control(`${spid}/faults`, { throttle: { rate: 0 }, serverErrors: { rate: 0 } });
      await control(`${spid}/clock`, { advanceMs: 3 * 60_000 });
      const poller = new Importer({
        sql,
        client,
        onOrders: async (orders) => {
          for (const o of orders) {
            expect(deliveries.has(o.orderId)).toBe(true);
            expect(o.amazonStatus).toBe("SHIPPED");
            expect(o.state).toBe("confirmed");
          }
          batches.push(orders);
        },
        options: { pollIntervalMs: 0 },
      });
      const before = batches.length;
      // The alarm for the next poll (an hour after the first import, as configured above).
      const polled = await poller.runOnce(Date.now() + 2 * 3_600_000);
      expect(polled.delivered).toBe(200);
      expect(batches.length).toBeGreaterThan(before);
    });
  }, 60_000);
});
