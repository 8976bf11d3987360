// What buyers did after dispatch, decided deterministically per seller from its demo orders:
// feedback (a few negative), A-to-z Guarantee claims (one later reversed, i.e. decided in the
// seller's favour), a chargeback and refunds. The performance report, the feedback report and
// the Finances API all read from this one list, so their figures agree with each other.

import { hashSeed, seededRandom } from "../amazon/random.ts";
import type { SandboxOrder } from "../amazon/wire.ts";

const DAY = 86_400_000;

export interface BuyerEvents {
  feedback: { orderId: string; at: number; rating: 1 | 2 | 3 | 4 | 5; comment: string }[];
  claims: { orderId: string; at: number; amountPence: number; reversedAt?: number }[];
  chargebacks: { orderId: string; at: number; amountPence: number }[];
  refunds: { orderId: string; at: number; amountPence: number }[];
}

const pence = (o: SandboxOrder) => Math.round(Number(o.order.proceeds.grandTotal.amount) * 100);
const shipTime = (o: SandboxOrder) => Date.parse(o.order.packages[0]?.shipTime ?? o.order.createdTime);

export function buyerEvents(sellerId: string, orders: SandboxOrder[], now: number): BuyerEvents {
  const rnd = seededRandom(hashSeed(`${sellerId}:buyer-events`));
  // Shipped orders of the last 60 days whose events have had time to happen (3+ days after dispatch).
  const shipped = orders.filter(
    (o) =>
      o.order.fulfillment.fulfillmentStatus === "SHIPPED" &&
      o.createdMs > now - 60 * DAY &&
      shipTime(o) + 3 * DAY < now,
  );
  const events: BuyerEvents = { feedback: [], claims: [], chargebacks: [], refunds: [] };
  const taken = new Set<string>();
  const pickOrder = (): SandboxOrder | undefined => {
    for (let tries = 0; tries < 50 && shipped.length > 0; tries++) {
      const o = shipped[Math.floor(rnd() * shipped.length)] as SandboxOrder;
      if (!taken.has(o.order.orderId)) {
        taken.add(o.order.orderId);
        return o;
      }
    }
    return undefined;
  };
  const after = (o: SandboxOrder, minDays: number, maxDays: number) =>
    Math.min(now - 3_600_000, shipTime(o) + (minDays + rnd() * (maxDays - minDays)) * DAY);

  const negative = [
    { rating: 1 as const, comment: "Arrived late and the box was crushed." },
    { rating: 2 as const, comment: "Item not as described." },
  ];
  for (const n of negative) {
    const o = pickOrder();
    if (o) events.feedback.push({ orderId: o.order.orderId, at: after(o, 2, 3), ...n });
  }
  for (let i = 0; i < Math.min(12, Math.floor(shipped.length / 10)); i++) {
    const o = pickOrder();
    if (o)
      events.feedback.push({
        orderId: o.order.orderId,
        at: after(o, 2, 3),
        rating: 5,
        comment: "Quick delivery, well packed.",
      });
  }
  for (let i = 0; i < 3; i++) {
    const o = pickOrder();
    if (!o) continue;
    const at = after(o, 2, 3);
    events.claims.push({
      orderId: o.order.orderId,
      at,
      amountPence: pence(o),
      // The first claim was reversed on appeal: Amazon decided for the seller (not a defect).
      ...(i === 0 ? { reversedAt: Math.min(now - 60_000, at + DAY / 2) } : {}),
    });
  }
  const cb = pickOrder();
  if (cb) events.chargebacks.push({ orderId: cb.order.orderId, at: after(cb, 2, 3), amountPence: pence(cb) });
  for (let i = 0; i < Math.max(2, Math.round(shipped.length * 0.03)); i++) {
    const o = pickOrder();
    if (o) events.refunds.push({ orderId: o.order.orderId, at: after(o, 2, 3), amountPence: pence(o) });
  }
  return events;
}
