// The simulated seller's world as Amazon knows it at the seller's clock: every order's fate (its
// confirmation, its parcel's delivery from the courier sandbox's scans, what its buyer did after),
// read by the month simulation's controls (./control.ts) and, for a simulated seller, by the
// sandbox's reports and Finances (../amazon-extra), so the buyers Consign reads about are the ones
// the world made.

import type { SandboxOrder } from "../amazon/wire.ts";
import type { BuyerEvents } from "../amazon-extra/buyer-events.ts";
import { carrierJourneys } from "../couriers/register.ts";
import type { SandboxEnv } from "../env.ts";
import { type OrderOutcome, outcomes } from "./world.ts";

const seller = (env: SandboxEnv, id: string) => env.AMAZON_SELLER.get(env.AMAZON_SELLER.idFromName(id));

/** The seller's orders, the confirmations Amazon received and its clock (one call to its Durable Object). */
export type SimSnapshot = Awaited<ReturnType<ReturnType<typeof seller>["simSnapshot"]>>;

export function simSnapshot(env: SandboxEnv, id: string): Promise<SimSnapshot> {
  return seller(env, id).simSnapshot();
}

/** Every order's fate now, each parcel's delivery read from its carrier's scans (../couriers/register.ts). */
export async function outcomesOf(env: SandboxEnv, snap: SimSnapshot) {
  const parcels = snap.confirmations.flatMap((c) => {
    if (!c.accepted) return [];
    const d = (JSON.parse(c.body) as { packageDetail?: Record<string, unknown> }).packageDetail ?? {};
    const text = (k: string) => (typeof d[k] === "string" ? (d[k] as string) : null);
    const trackingNumber = text("trackingNumber");
    return trackingNumber
      ? [{ trackingNumber, carrierCode: text("carrierCode"), carrierName: text("carrierName") }]
      : [];
  });
  const journeys = await carrierJourneys(env, parcels);
  return {
    now: snap.now,
    rows: snap.rows,
    outcomes: outcomes(snap.rows, snap.confirmations, snap.now, journeys),
    withdrawn: snap.withdrawn,
  };
}

/** The same, read now. */
export async function sellerOutcomes(env: SandboxEnv, id: string) {
  return outcomesOf(env, await simSnapshot(env, id));
}

const pence = (o: SandboxOrder) => Math.round(Number(o.order.proceeds.grandTotal.amount) * 100);

/**
 * What the simulated buyers did, in the shape the reports and Finances read (./buyer-events.ts): each
 * negative feedback (rated 1, worded by what went wrong), each A-to-z claim and refund, at its time.
 * The world makes no chargebacks and no positive feedback.
 */
export function simBuyerEvents(all: readonly OrderOutcome[], orders: readonly SandboxOrder[]): BuyerEvents {
  const byId = new Map(orders.map((o) => [o.order.orderId, o]));
  const amount = (orderId: string) => {
    const o = byId.get(orderId);
    return o ? pence(o) : 0;
  };
  const events: BuyerEvents = { feedback: [], claims: [], chargebacks: [], refunds: [] };
  for (const o of all) {
    if (o.negativeFeedbackMs !== null)
      events.feedback.push({
        orderId: o.orderId,
        at: o.negativeFeedbackMs,
        rating: 1,
        comment: o.lost
          ? "Never arrived."
          : o.onTimeDelivery === false || o.lateDispatch
            ? "Arrived late."
            : "Not what I expected.",
      });
    if (o.claimMs !== null)
      events.claims.push({ orderId: o.orderId, at: o.claimMs, amountPence: amount(o.orderId) });
    if (o.refundMs !== null)
      events.refunds.push({ orderId: o.orderId, at: o.refundMs, amountPence: amount(o.orderId) });
  }
  return events;
}
