// Delivery tracking in workerd against the sandbox couriers (their own tracking wire formats):
// parcels that left are asked about, deliveries are recorded per parcel, on-time delivery moves
// from "no delivery data yet" to a rate, a late delivery counts as late, and a courier whose
// tracking is down loses nothing: its parcels are asked again once it answers.
import { env } from "cloudflare:test";
import type { CourierAdapter } from "@consign/couriers";
import { type CourierId, computeMetrics, noRateReason, type Order } from "@consign/domain";
import { makeOrder } from "@consign/domain/testing";
import { describe, expect, it } from "vitest";
import { createCourierSet } from "../src/labels/couriers.ts";
import {
  credentialsFor,
  fast,
  inSellerRoom,
  SANDBOX,
  setFaults,
  shipmentFor,
} from "../src/labels/testing.ts";
import { courierBackoff, DeliveryTracking } from "../src/room/deliveries.ts";

const SANDBOX_NAME: Record<CourierId, string> = {
  "royal-mail": "royalmail",
  "amazon-shipping": "amazon-shipping",
  dpd: "dpd",
  evri: "evri",
};
const SERVICE: Record<CourierId, string> = {
  "royal-mail": "TPN24",
  "amazon-shipping": "SWA-UK-PREM",
  dpd: "1^12",
  evri: "EVRI24",
};
const CARRIER: Record<CourierId, string> = {
  "royal-mail": "Royal Mail",
  "amazon-shipping": "Amazon Shipping",
  dpd: "DPD",
  evri: "Hermes UK",
};

async function deliver(courier: CourierId, account: string, trackingNumber: string, at: number) {
  const res = await fetch(
    `${SANDBOX}/_sandbox/couriers/${SANDBOX_NAME[courier]}/accounts/${encodeURIComponent(account)}/deliver/${trackingNumber}`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ at: new Date(at).toISOString() }),
    },
  );
  expect(res.status).toBe(200);
}

/** A seller-fulfilled order that left with one label, confirmed at `confirmedAt`. */
function leftOrder(
  orderId: string,
  courier: CourierId,
  trackingNumber: string,
  confirmedAt: number,
  latestDeliveryDate: number,
): Order {
  return makeOrder({
    orderId,
    purchaseDate: confirmedAt - 86_400_000,
    latestShipDate: confirmedAt + 3_600_000,
    latestDeliveryDate,
    state: "confirmed",
    amazonStatus: "SHIPPED",
    dispatchedAt: confirmedAt,
    confirmation: { state: "confirmed", confirmedAt, attempts: 1 },
    shipments: [
      {
        id: `${orderId}:1`,
        courier,
        serviceCode: SERVICE[courier],
        trackingNumber,
        amazonCarrierCode: CARRIER[courier],
        boughtAt: confirmedAt,
      },
    ],
  });
}

const sleepUntil = async (at: number) => {
  while (Date.now() < at) await new Promise((r) => setTimeout(r, Math.max(5, at - Date.now())));
};

describe("delivery tracking", { timeout: 90_000 }, () => {
  it("records deliveries per parcel from each courier's tracking, and on-time delivery moves from no data to a rate", async () => {
    const account = crypto.randomUUID();
    const couriers = createCourierSet(env, credentialsFor(account), { rateLimits: fast });
    const adapterFor = async (c: CourierId): Promise<CourierAdapter> => couriers.adapterFor(c);

    // One parcel each: Royal Mail on time, Evri late, DPD never delivered yet, Amazon Shipping on time.
    const plan: { id: string; courier: CourierId }[] = [
      { id: "202-0000001-0000001", courier: "royal-mail" },
      { id: "202-0000001-0000002", courier: "evri" },
      { id: "202-0000001-0000003", courier: "dpd" },
      { id: "202-0000001-0000004", courier: "amazon-shipping" },
    ];
    const tracking: Record<string, string> = {};
    for (const p of plan) {
      const bought = await couriers
        .adapterFor(p.courier)
        .createShipment(shipmentFor(p.id, { serviceCode: SERVICE[p.courier] }), {
          idempotencyKey: `${p.id}:1`,
        });
      tracking[p.id] = bought.trackingNumber;
    }
    // Confirmed to Amazon just now; Amazon promised each buyer delivery within 2 seconds of that.
    const confirmedAt = Date.now();
    const ldd = confirmedAt + 2_000;
    const orders = new Map<string, Order>(
      plan.map((p) => [p.id, leftOrder(p.id, p.courier, tracking[p.id]!, confirmedAt, ldd)]),
    );
    await deliver("royal-mail", account, tracking[plan[0]!.id]!, confirmedAt + 1_000); // on time
    await deliver("evri", account, tracking[plan[1]!.id]!, ldd + 1_000); // a second late
    await deliver("amazon-shipping", account, tracking[plan[3]!.id]!, ldd); // on the dot: on time

    await inSellerRoom(async (state) => {
      const deliveries = new DeliveryTracking({
        sql: state.storage.sql,
        adapterFor,
        write: (orderId, update) => {
          const order = orders.get(orderId);
          const fields = order && update(order);
          if (!order || !fields) return false;
          orders.set(orderId, { ...order, ...fields });
          return true;
        },
      });
      await sleepUntil(ldd + 1_100);
      await setFaults("dpd", account, { down: true });

      // Before any courier has answered: no delivery data yet, not 0%.
      const before = computeMetrics([...orders.values()], Date.now()).mfn.onTimeDeliveryRate;
      expect(before).toMatchObject({ numerator: 0, denominator: 0, rate: null, status: "no_data" });
      expect(noRateReason(before)).toBe(
        "No delivery data yet: no courier has reported on the 4 parcels due in this window.",
      );

      expect(deliveries.enrol([...orders.values()], Date.now())).toBe(4);
      const first = await deliveries.poll(Date.now());
      expect(first).toMatchObject({ asked: 4, delivered: 3, failed: 1 });

      // Delivered parcels carry the courier's delivery and are no longer asked about.
      const rm = orders.get(plan[0]!.id)!;
      expect(rm.deliveredAt).toBe(confirmedAt + 1_000);
      expect(rm.tracking).toMatchObject({ status: "delivered", event: { description: "Delivered" } });
      expect(orders.get(plan[1]!.id)!.deliveredAt).toBe(ldd + 1_000);
      expect(orders.get(plan[3]!.id)!.deliveredAt).toBe(ldd);
      // DPD's tracking is down: its parcel is still followed, and DPD is rested a minute.
      expect(deliveries.watched().map((w) => w.orderId)).toEqual([plan[2]!.id]);
      const [dpdState] = deliveries.couriers();
      expect(dpdState).toMatchObject({ courier: "dpd", failures: 1 });
      expect(dpdState!.lastError).toMatch(/DPD|dpd/);

      // On time 2 of 3 known parcels (Evri's was a second late); DPD's still awaits data.
      const after = computeMetrics([...orders.values()], Date.now()).mfn.onTimeDeliveryRate;
      expect(after).toMatchObject({ numerator: 2, denominator: 3, awaitingDeliveryData: 1 });
      expect(noRateReason(after)).toBeNull();

      // Asked again while DPD rests: nothing is sent to DPD, nothing is dropped.
      const resting = await deliveries.poll(Date.now());
      expect(resting).toMatchObject({ asked: 0, failed: 0 });
      expect(resting.nextAt).toBeGreaterThanOrEqual(dpdState!.resumeAt);

      // DPD answers again after its rest: the parcel is asked about and recorded, not yet delivered.
      await setFaults("dpd", account, { down: false });
      const later = dpdState!.resumeAt;
      const third = await deliveries.poll(later);
      expect(third).toMatchObject({ asked: 1, delivered: 0, failed: 0 });
      expect(deliveries.couriers()).toEqual([]);
      const dpdOrder = orders.get(plan[2]!.id)!;
      expect(dpdOrder.deliveredAt).toBeUndefined();
      expect(dpdOrder.tracking).toMatchObject({ checkedAt: later, status: "pre_transit" });
      // Its courier answered after the latest delivery date without a delivery: now known, and late.
      expect(computeMetrics([...orders.values()], later).mfn.onTimeDeliveryRate).toMatchObject({
        numerator: 2,
        denominator: 4,
        awaitingDeliveryData: 0,
      });
      // Still followed, next asked in hours, not minutes.
      const [w] = deliveries.watched();
      expect(w!.nextCheckAt - later).toBeGreaterThanOrEqual(60 * 60_000);

      // Delivered at last: the next poll records it; the parcel leaves the watch.
      await deliver("dpd", account, tracking[plan[2]!.id]!, Date.now());
      const fourth = await deliveries.poll(w!.nextCheckAt);
      expect(fourth).toMatchObject({ asked: 1, delivered: 1, nextAt: null });
      expect(orders.get(plan[2]!.id)!.tracking?.status).toBe("delivered");
    });
  });

  it("rests a failing courier longer each time, at most an hour", () => {
    expect([1, 2, 3, 7, 20].map(courierBackoff)).toEqual([60_000, 120_000, 240_000, 3_600_000, 3_600_000]);
  });

  it("takes up only parcels that have left with a label, and follows a new label's number after a void", async () => {
    await inSellerRoom(async (state) => {
      const deliveries = new DeliveryTracking({
        sql: state.storage.sql,
        adapterFor: async () => {
          throw new Error("not asked");
        },
        write: () => true,
      });
      const now = Date.now();
      const left = leftOrder("202-0000002-0000001", "royal-mail", "GQ660548056GB", now, now + 86_400_000);
      const notLeft = { ...left, orderId: "202-0000002-0000002", state: "printed" as const };
      const fba = { ...left, orderId: "202-0000002-0000003", fulfilmentChannel: "AFN" as const };
      const delivered = { ...left, orderId: "202-0000002-0000004", deliveredAt: now };
      expect(deliveries.enrol([left, notLeft, fba, delivered], now)).toBe(1);
      expect(deliveries.enrol([left], now)).toBe(0);
      const relabelled: Order = {
        ...left,
        shipments: [
          { ...left.shipments[0]!, voidedAt: now },
          { ...left.shipments[0]!, id: `${left.orderId}:2`, trackingNumber: "FQ087430672GB" },
        ],
      };
      expect(deliveries.enrol([relabelled], now)).toBe(1);
      expect(deliveries.watched()).toMatchObject([
        { orderId: left.orderId, trackingNumber: "FQ087430672GB" },
      ]);
    });
  });
});
