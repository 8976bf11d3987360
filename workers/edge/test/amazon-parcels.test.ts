// An order sent in two parcels is confirmed to Amazon (the sandbox, true to the wire) once per
// parcel, each with its own packageReferenceId, items, carrier and tracking number; the answers
// fold back into the order, which is confirmed when its last parcel is.
import { confirmPackage, type Order, type ParcelPlan, splitIntoPackages } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { ConfirmationQueue, Importer } from "../src/amazon/index.ts";
import { confirmationsFor } from "../src/amazon/package-confirmations.ts";
import {
  confirmationsAt,
  connectSeller,
  control,
  inRoom,
  RATE_SCALE,
  type SandboxConfirmations,
  settings,
  uniqueSeller,
} from "./amazon-helpers.ts";

const TRACKING = ["GQ660548056GB", "FQ087430672GB"];

/** Two parcels: one line each when the order has two, else the units of its one line split 1 + rest. */
function twoParcels(order: Order): ParcelPlan[] {
  const [a, b] = order.items;
  if (a && b) {
    const rest = order.items
      .slice(1)
      .map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantityOrdered }));
    return [{ items: [{ orderItemId: a.orderItemId, quantity: a.quantityOrdered }] }, { items: rest }];
  }
  return [
    { items: [{ orderItemId: a!.orderItemId, quantity: 1 }] },
    { items: [{ orderItemId: a!.orderItemId, quantity: a!.quantityOrdered - 1 }] },
  ];
}

describe("an order in two parcels, confirmed to Amazon", () => {
  it("sends one confirmShipment per parcel with its own reference and items, each exactly once", async () => {
    const spid = uniqueSeller("PARCEL");
    await control(`${spid}/seed`, {
      orders: 60,
      unshipped: 60,
      historyDays: 2,
      seed: 14,
      arrivalsPerHour: 0,
    });
    await control(`${spid}/faults`, { rateScale: RATE_SCALE });
    await inRoom(`parcels-${spid}`, async (sql) => {
      const { vault } = await connectSeller(sql, spid);
      const client = await vault.client(settings());
      const imported: Order[] = [];
      const importer = new Importer({
        sql,
        client,
        onOrders: async (orders) => void imported.push(...orders),
        options: { pollIntervalMs: 60 * 60_000 },
      });
      importer.start(Date.now());
      await importer.runOnce(Date.now());
      const candidate = imported.find(
        (o) => o.amazonStatus === "UNSHIPPED" && o.items.reduce((n, i) => n + i.quantityOrdered, 0) >= 2,
      );
      expect(candidate, "a seeded order of two or more units").toBeDefined();
      let order = candidate as Order;
      const parcels = splitIntoPackages(order, twoParcels(order))!;
      order = {
        ...order,
        state: "dispatched",
        dispatchedAt: Date.now(),
        packages: parcels.map((p, i) => ({
          ...p,
          shipments: [
            {
              id: `${order.orderId}:${p.packageReferenceId}`,
              courier: "royal-mail",
              serviceCode: "TPN24",
              trackingNumber: TRACKING[i]!,
              amazonCarrierCode: "Royal Mail",
              boughtAt: Date.now(),
            },
          ],
        })),
      };

      const due = confirmationsFor(order, Date.now());
      expect(due.map((d) => [d.packageReferenceId, d.trackingNumber, d.items])).toEqual(
        parcels.map((p, i) => [p.packageReferenceId, TRACKING[i], p.items]),
      );

      const answers: { ref: string; state: string }[] = [];
      const queue = new ConfirmationQueue({
        sql,
        client,
        onResult: (orderId, result, ref) => {
          if (orderId !== order.orderId) return;
          answers.push({ ref, state: result.state });
          const folded = confirmPackage(order, ref, result);
          order = { ...order, packages: folded.packages, confirmation: folded.confirmation };
        },
        options: { baseRetryMs: 40, maxRetryMs: 400 },
      });
      for (const d of due) queue.enqueue(d);
      for (const d of confirmationsFor(order, Date.now())) queue.enqueue(d); // queued twice: still once each
      for (let i = 0; i < 50 && queue.counts().pending > 0; i++) await queue.drain(Date.now());

      expect(queue.counts()).toEqual({ pending: 0, confirmed: 2, failed: 0 });
      expect(
        answers
          .filter((a) => a.state === "confirmed")
          .map((a) => a.ref)
          .sort(),
      ).toEqual(["1", "2"]);
      expect(order.confirmation.state).toBe("confirmed");
      expect(order.confirmation.confirmedAt).toBe(
        Math.max(...order.packages!.map((p) => p.confirmation.confirmedAt!)),
      );
      // Nothing is left to send, so a later pass of the room queues nothing.
      expect(confirmationsFor(order, Date.now())).toEqual([]);

      const seen = await confirmationsAt(spid);
      expect(seen.acceptedTwice).toEqual([]);
      // The sandbox answers each call's body beside it (the helper's type leaves it out).
      const calls = seen.confirmations as (SandboxConfirmations["confirmations"][number] & {
        body: unknown;
      })[];
      const mine = calls.filter((c) => c.orderId === order.orderId && c.accepted);
      expect(mine).toHaveLength(2);
      const bodies = mine
        .map(
          (c) =>
            (
              c.body as {
                packageDetail: { packageReferenceId: string; trackingNumber: string; orderItems: unknown };
              }
            ).packageDetail,
        )
        .sort((x, y) => x.packageReferenceId.localeCompare(y.packageReferenceId));
      expect(bodies.map((b) => [b.packageReferenceId, b.trackingNumber, b.orderItems])).toEqual(
        parcels.map((p, i) => [p.packageReferenceId, TRACKING[i], p.items]),
      );
    });
  }, 60_000);
});
