// The simulated month's Amazon reads each parcel's delivery from the carrier's scans for the
// tracking number the seller confirmed, as real Amazon does: its delivered date is the courier
// sandbox's delivered scan, whatever ship date or service the confirmation carried.
import { describe, expect, it } from "vitest";
import { call as courierCall, jsonInit } from "../src/couriers/testing.ts";
import { call, connect, control, sp } from "./amazon-helpers.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Order {
  orderId: string;
  orderItems: { orderItemId: string; quantityOrdered: number }[];
}

interface Outcome {
  orderId: string;
  trackingNumber: string | null;
  deliveredMs: number | null;
  onTimeDelivery: boolean | null;
  latestDeliveryMs: number;
  lost: boolean;
}

async function buyRoyalMail(key: string, ref: string): Promise<string> {
  const res = await courierCall(
    "/royalmail/api/v1/orders",
    jsonInit(
      "POST",
      {
        items: [
          {
            orderReference: ref,
            recipient: {
              address: {
                fullName: "Ada Lovelace",
                addressLine1: "10 Downing Street",
                city: "London",
                postcode: "SW1A 2AA",
                countryCode: "GB",
              },
            },
            packages: [{ weightInGrams: 500, packageFormatIdentifier: "smallParcel" }],
            orderDate: new Date().toISOString(),
            subtotal: 9.99,
            shippingCostCharged: 2.5,
            total: 12.49,
            postageDetails: { serviceCode: "TPN24" },
          },
        ],
      },
      { Authorization: `Bearer ${key}` },
    ),
  );
  expect(res.status).toBe(200);
  const body = (await res.json()) as { createdOrders: { trackingNumber: string }[] };
  return body.createdOrders[0]!.trackingNumber;
}

/** The delivered scan Royal Mail's Tracking API shows for the parcel, or null. */
async function royalMailDelivered(key: string, trackingNumber: string): Promise<number | null> {
  const res = await courierCall(`/royalmail/mailpieces/v2/${trackingNumber}/events`, {
    headers: { "X-IBM-Client-Id": key, "X-IBM-Client-Secret": "secret", "X-Accept-RMG-Terms": "yes" },
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as {
    mailPieces: { events: { eventCode: string; eventDateTime: string }[] };
  };
  const delivered = body.mailPieces.events.find((e) => e.eventCode === "EVKSP");
  return delivered ? Date.parse(delivered.eventDateTime) : null;
}

async function moveClocks(seller: string, key: string, ms: number): Promise<void> {
  await control(`${seller}/clock`, { advanceMs: ms });
  const res = await courierCall(
    `/_sandbox/couriers/royalmail/accounts/${key}/clock`,
    jsonInit("POST", { advanceMs: ms }),
  );
  expect(res.status).toBe(200);
}

async function outcomesOf(seller: string): Promise<Outcome[]> {
  const res = await call(`/_sandbox/sim/sellers/${seller}/outcomes`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { outcomes: Outcome[] }).outcomes;
}

describe("the simulated Amazon's delivery facts", { timeout: 60_000 }, () => {
  it("are the courier's delivered scans for the confirmed tracking numbers", async () => {
    const seller = "ASIMDELIVERY1";
    const key = `rm-${crypto.randomUUID()}`;
    const { accessToken } = await connect(seller);
    const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
    const planned = await call(`/_sandbox/sim/sellers/${seller}/days`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ day: yesterday, seed: "delivery", averagePerDay: 6 }),
    });
    expect(planned.status).toBe(200);
    const list = await sp(
      `/orders/2026-01-01/orders?createdAfter=${yesterday}T00:00:00Z&fulfillmentStatuses=UNSHIPPED`,
      accessToken,
    );
    const orders = ((await list.json()) as { orders: Order[] }).orders;
    expect(orders.length).toBeGreaterThanOrEqual(3);
    const [handed, ...rest] = orders.slice(0, 3);
    if (!handed) throw new Error("no order");

    const tracking = new Map<string, string>();
    for (const o of [handed, ...rest]) {
      const tn = await buyRoyalMail(key, o.orderId);
      tracking.set(o.orderId, tn);
      // The confirmation's ship date is two days back and it names no service: Amazon must not
      // plan the delivery from them.
      const confirmed = await sp(`/orders/v0/orders/${o.orderId}/shipmentConfirmation`, accessToken, {
        method: "POST",
        body: JSON.stringify({
          marketplaceId: "A1F83G8C2ARO7P",
          packageDetail: {
            packageReferenceId: "1",
            carrierCode: "Royal Mail",
            trackingNumber: tn,
            shipDate: new Date(Date.now() - 2 * DAY).toISOString(),
            orderItems: o.orderItems.map((i) => ({
              orderItemId: i.orderItemId,
              quantity: i.quantityOrdered,
            })),
          },
        }),
      });
      expect(confirmed.status).toBe(204);
    }
    // One parcel the courier delivers at a time of its own (a test's hand delivery), 26 h 13 min on.
    const handedAt = Date.now() + 26 * HOUR + 13 * 60_000;
    const deliver = await courierCall(
      `/_sandbox/couriers/royalmail/accounts/${key}/deliver/${tracking.get(handed.orderId)}`,
      jsonInit("POST", { at: new Date(handedAt).toISOString() }),
    );
    expect(deliver.status).toBe(200);

    // Before anything is delivered, Amazon knows of no delivery.
    for (const o of await outcomesOf(seller)) {
      if (tracking.has(o.orderId)) expect(o.deliveredMs).toBeNull();
    }

    // A week on, on both clocks: every parcel the courier delivered is delivered on Amazon at the
    // courier's scan, to the millisecond; one the courier never delivered is not.
    await moveClocks(seller, key, 7 * DAY);
    const after = await outcomesOf(seller);
    for (const [orderId, tn] of tracking) {
      const amazon = after.find((o) => o.orderId === orderId);
      expect(amazon?.trackingNumber).toBe(tn);
      const courier = await royalMailDelivered(key, tn);
      expect(amazon?.deliveredMs, tn).toBe(courier);
      if (courier === null) expect(amazon?.lost).toBe(true);
      else expect(amazon?.onTimeDelivery).toBe(courier <= (amazon?.latestDeliveryMs ?? 0));
    }
    expect(after.find((o) => o.orderId === handed.orderId)?.deliveredMs).toBe(handedAt);
  });
});
