import { describe, expect, it } from "vitest";
import type { OrderRow, ReceivedConfirmation } from "../amazon/store.ts";
import { isUkPostcode } from "../couriers/rules.ts";
import { accountHealth, dayVolume, HOURLY_WEIGHT, outcomes, planDay } from "./world.ts";

const MONDAY = Date.UTC(2027, 0, 4);
const TUESDAY = MONDAY + 86_400_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("the simulated buyers' day", () => {
  it("has ~1,000 orders on an average day, Mondays 40% above it and the peak day three times normal", () => {
    const week = Array.from({ length: 7 }, (_, i) => dayVolume(MONDAY + i * 86_400_000, 1000));
    expect(week.reduce((a, b) => a + b, 0) / 7).toBeCloseTo(1000, -1);
    expect(week[0]).toBe(1400);
    expect(dayVolume(TUESDAY, 1000, true)).toBe(3 * dayVolume(TUESDAY, 1000));
  });

  it("arrives mostly in the evening peak, 30% Prime with earlier ship-by dates, some multi-item, a few problems", () => {
    const { orders, traits } = planDay({
      sellingPartnerId: "A1SIM",
      dayStartMs: TUESDAY,
      seed: "t",
      averagePerDay: 1000,
    });
    expect(orders).toHaveLength(950);
    expect(new Set(orders.map((o) => o.order.orderId)).size).toBe(950);
    const evening = orders.filter((o) => {
      const h = new Date(o.createdMs).getUTCHours();
      return h >= 15 && h < 22;
    }).length;
    const eveningWeight = HOURLY_WEIGHT.slice(15, 22).reduce((a, b) => a + b, 0);
    // The 15:00–22:00 hours are 7 of 24 but carry about half the day's orders.
    expect(evening / orders.length).toBeGreaterThan(0.45);
    expect(eveningWeight).toBeGreaterThan(12);
    const t = Object.values(traits);
    const prime = t.filter((x) => x.prime).length / t.length;
    expect(prime).toBeGreaterThan(0.26);
    expect(prime).toBeLessThan(0.34);
    expect(t.filter((x) => x.items > 1).length).toBeGreaterThan(100);
    expect(t.filter((x) => x.cancelRequest).length).toBeGreaterThan(3);
    const primeSlack = orders
      .filter((o) => o.order.programs.includes("PRIME"))
      .map((o) => Date.parse(o.order.fulfillment.shipByWindow.latestDateTime ?? "") - o.createdMs);
    const standardSlack = orders
      .filter((o) => o.order.fulfillment.fulfillmentServiceLevel === "STANDARD")
      .map((o) => Date.parse(o.order.fulfillment.shipByWindow.latestDateTime ?? "") - o.createdMs);
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(avg(primeSlack)).toBeLessThan(avg(standardSlack));
    // The same seed gives the same day.
    const again = planDay({ sellingPartnerId: "A1SIM", dayStartMs: TUESDAY, seed: "t", averagePerDay: 1000 });
    expect(again.orders.map((o) => o.order.orderId)).toEqual(orders.map((o) => o.order.orderId));
  });

  it("gives a few orders a postcode no courier takes, and keeps the full one the owner can find", () => {
    const { orders, traits } = planDay({
      sellingPartnerId: "A1SIM",
      dayStartMs: TUESDAY,
      seed: "t",
      averagePerDay: 1000,
      addressProblemShare: 0.01,
    });
    const bad = orders.filter((o) => traits[o.order.orderId]?.addressProblem);
    expect(bad.length).toBeGreaterThan(3);
    for (const o of bad) {
      const sent = o.order.recipient.deliveryAddress?.postalCode ?? "";
      const full = traits[o.order.orderId]?.fullPostcode ?? "";
      expect(isUkPostcode(sent), sent).toBe(false);
      expect(isUkPostcode(full), full).toBe(true);
      expect(full.startsWith(`${sent} `)).toBe(true);
    }
    // Every other order's postcode is whole, and has no "full postcode" beside it.
    const good = orders.filter((o) => !traits[o.order.orderId]?.addressProblem);
    expect(good.every((o) => isUkPostcode(o.order.recipient.deliveryAddress?.postalCode ?? ""))).toBe(true);
    expect(good.some((o) => traits[o.order.orderId]?.fullPostcode !== undefined)).toBe(false);
  });
});

describe("Amazon's side after despatch", () => {
  const { orders } = planDay({
    sellingPartnerId: "A1SIM",
    dayStartMs: TUESDAY,
    seed: "h",
    averagePerDay: 40,
  });
  const rows: OrderRow[] = orders.map((o) => ({ ...o, cancelRequestMs: null }));
  const confirm = (orderId: string, at: number, seq: number): ReceivedConfirmation => ({
    seq,
    orderId,
    packageReferenceId: "1",
    accepted: true,
    httpStatus: 204,
    error: null,
    receivedAt: new Date(at).toISOString(),
    body: JSON.stringify({
      packageDetail: {
        trackingNumber: `TT${String(10_000_000 + seq)}GB`,
        carrierCode: "Royal Mail",
        carrierName: "Royal Mail",
        shippingMethod: "TPN24",
        shipDate: new Date(at).toISOString(),
      },
    }),
  });

  it("counts a confirmation after the latest ship date, and an order never confirmed once it passed, as late", () => {
    const [a, b, c] = rows;
    if (!a || !b || !c) throw new Error("plan too small");
    const shipBy = (r: OrderRow) => Date.parse(r.order.fulfillment.shipByWindow.latestDateTime ?? "");
    const now = Math.max(shipBy(a), shipBy(b), shipBy(c)) + 2 * HOUR;
    const all = outcomes(
      [a, b, c],
      [confirm(a.order.orderId, a.createdMs + HOUR, 1), confirm(b.order.orderId, shipBy(b) + HOUR, 2)],
      now,
    );
    expect(all.map((o) => o.lateDispatch)).toEqual([false, true, true]);
    expect(all.map((o) => o.validTracking)).toEqual([true, true, false]);
    const health = accountHealth(all, now);
    expect(health.lateDispatch10).toMatchObject({ numerator: 2, denominator: 3 });
    expect(health.validTracking30).toMatchObject({ numerator: 2, denominator: 2 });
  });

  it("delivers confirmed parcels on the courier's own journey, on time for most", () => {
    const now = TUESDAY + 12 * 86_400_000;
    const all = outcomes(
      rows,
      rows.map((r, i) => confirm(r.order.orderId, r.createdMs + HOUR, i + 1)),
      now,
    );
    const delivered = all.filter((o) => o.deliveredMs !== null);
    expect(delivered.length).toBeGreaterThan(rows.length * 0.9);
    expect(delivered.filter((o) => o.onTimeDelivery).length / delivered.length).toBeGreaterThan(0.8);
    expect(all.every((o) => !o.lateDispatch)).toBe(true);
  });

  it("takes each parcel's delivery from its carrier's scans, whatever ship date and service the confirmation gave", () => {
    const [a] = rows;
    if (!a) throw new Error("plan too small");
    const confirmedAt = a.createdMs + HOUR;
    const scanned = confirmedAt + 30 * HOUR + 17 * 60_000;
    const journeys = new Map([
      [
        `TT${String(10_000_001)}GB`,
        [
          { at: confirmedAt + 5 * HOUR, stage: "collected" as const },
          { at: scanned, stage: "delivered" as const },
        ],
      ],
    ]);
    const [o] = outcomes([a], [confirm(a.order.orderId, confirmedAt, 1)], scanned + DAY, journeys);
    expect(o?.deliveredMs).toBe(scanned);
    // Before the scan's time Amazon knows of no delivery.
    const [early] = outcomes([a], [confirm(a.order.orderId, confirmedAt, 1)], scanned - 1, journeys);
    expect(early?.deliveredMs).toBeNull();
  });

  it("counts on-time delivery over parcels whose latest delivery date fell in the last 14 days, an undelivered one as late", () => {
    const latest = (r: OrderRow) => Date.parse(r.order.fulfillment.deliverByWindow.latestDateTime ?? "");
    const sorted = [...rows].sort((x, y) => latest(x) - latest(y));
    const [a, b] = sorted;
    const c = sorted.at(-1);
    if (!a || !b || !c) throw new Error("plan too small");
    const now = latest(b) + HOUR;
    expect(latest(c)).toBeGreaterThan(now);
    const tn = (seq: number) => `TT${String(10_000_000 + seq)}GB`;
    const journeys = new Map([
      // a: delivered an hour before its latest delivery date.
      [tn(1), [{ at: latest(a) - HOUR, stage: "delivered" as const }]],
      // b: collected, never delivered by its latest delivery date.
      [tn(2), [{ at: b.createdMs + 3 * HOUR, stage: "collected" as const }]],
      // c: delivered already, but its latest delivery date is still to come.
      [tn(3), [{ at: now - HOUR, stage: "delivered" as const }]],
    ]);
    const all = outcomes(
      [a, b, c],
      [a, b, c].map((r, i) => confirm(r.order.orderId, r.createdMs + HOUR, i + 1)),
      now,
      journeys,
    );
    expect(all.map((o) => o.onTimeDelivery)).toEqual([true, false, true]);
    // Amazon's denominator: a and b (their latest delivery dates fell in the window), not c.
    expect(accountHealth(all, now).onTimeDelivery14).toMatchObject({ numerator: 1, denominator: 2 });
  });
});
