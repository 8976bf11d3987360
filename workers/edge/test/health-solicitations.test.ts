import { createHealthClient } from "@consign/sp-api";
import { describe, expect, it } from "vitest";
import { Solicitations } from "../src/health/solicitations.ts";
import { inRoom, RATE_SCALE, SANDBOX } from "./amazon-helpers.ts";
import { extra, sandboxSeller } from "./health-helpers.ts";

const DAY = 86_400_000;
const MINUTE = 60_000;
const SEND = "createProductReviewAndSellerFeedbackSolicitation";

interface Seen {
  sent: { orderId: string }[];
  refused: { orderId: string; reason: string }[];
}
const seenBy = async (seller: string) => (await extra(seller, "solicitations", undefined, "GET")) as Seen;

/** A seeded seller, one dispatched order inside Amazon's review window, and clients for it. */
async function sellerWithOrderInWindow(prefix: string) {
  const { seller, token, client } = await sandboxSeller(prefix, 300);
  const res = await fetch(
    `${SANDBOX}/orders/2026-01-01/orders?createdAfter=${new Date(Date.now() - 45 * DAY).toISOString()}&fulfillmentStatuses=SHIPPED&includedData=FULFILLMENT,PACKAGES&maxResultsPerPage=100`,
    { headers: { "x-amz-access-token": token } },
  );
  const { orders } = (await res.json()) as {
    orders: {
      orderId: string;
      packages: { shipTime: string }[];
      fulfillment: { deliverByWindow: { latestDateTime: string } };
    }[];
  };
  const target = orders.find((o) => {
    const since = Date.now() - Date.parse(o.fulfillment.deliverByWindow.latestDateTime);
    return since > 8 * DAY && since < 20 * DAY;
  });
  if (!target) throw new Error("the demo seed has no order inside the review window");
  const orderId = target.orderId;
  const dispatchedAt = Date.parse(target.packages[0]?.shipTime ?? "");
  // The engine that "crashes": one attempt per call, so a lost answer is the end of it.
  const crashing = createHealthClient({
    fetch: (input, init) => fetch(input, init),
    baseUrl: SANDBOX,
    accessToken: async () => token,
    rateScale: RATE_SCALE,
    retry: { maxAttempts: 1 },
  });
  const candidates = () => [{ orderId, dispatchedAt }];
  return { seller, orderId, dispatchedAt, client, crashing, candidates };
}

describe("review requests left without an answer", () => {
  it("a send Amazon took but whose answer was lost is marked sent later, and Amazon has exactly one", async () => {
    const s = await sellerWithOrderInWindow("HRECA");
    await extra(s.seller, "faults", { lostAnswers: { next: 1, operations: [SEND] } });
    await inRoom(`health-rec-a-${s.seller}`, async (sql) => {
      const crashed = new Solicitations({ sql, client: s.crashing, candidates: s.candidates });
      crashed.setEnabled(true);
      const now = Date.now();
      expect(await crashed.requestFor(s.orderId, now, s.dispatchedAt)).toBe("sending");
      // Too soon to tell the send is lost: no second look yet, and the next run comes when it can.
      const restarted = new Solicitations({ sql, client: s.client, candidates: s.candidates });
      const next = await restarted.runOnce(now + MINUTE);
      expect(restarted.stateOf(s.orderId)?.state).toBe("sending");
      expect(next).toBeLessThanOrEqual(now + 6 * MINUTE);
      // Later: Amazon no longer offers the request, so it has ours.
      await restarted.runOnce(now + 10 * MINUTE);
      expect(restarted.stateOf(s.orderId)).toEqual({ state: "sent" });
      await restarted.runOnce(now + 20 * MINUTE);
    });
    const seen = await seenBy(s.seller);
    expect(seen.sent.map((x) => x.orderId)).toEqual([s.orderId]);
    expect(seen.refused).toEqual([]);
  });

  it("a send that never reached Amazon is sent again once, and lands", async () => {
    const s = await sellerWithOrderInWindow("HRECB");
    await extra(s.seller, "faults", { lostRequests: { next: 1, operations: [SEND] } });
    await inRoom(`health-rec-b-${s.seller}`, async (sql) => {
      const crashed = new Solicitations({ sql, client: s.crashing, candidates: s.candidates });
      crashed.setEnabled(true);
      const now = Date.now();
      expect(await crashed.requestFor(s.orderId, now, s.dispatchedAt)).toBe("sending");
      expect((await seenBy(s.seller)).sent).toEqual([]);
      const restarted = new Solicitations({ sql, client: s.client, candidates: s.candidates });
      await restarted.runOnce(now + 10 * MINUTE);
      expect(restarted.stateOf(s.orderId)).toEqual({ state: "sent" });
      await restarted.runOnce(now + 2 * DAY);
    });
    const seen = await seenBy(s.seller);
    expect(seen.sent.map((x) => x.orderId)).toEqual([s.orderId]);
    expect(seen.refused).toEqual([]);
  });

  it("two devices and a restart reconciling the same lost send still send it once", async () => {
    const s = await sellerWithOrderInWindow("HRECC");
    await extra(s.seller, "faults", { lostRequests: { next: 1, operations: [SEND] } });
    await inRoom(`health-rec-c-${s.seller}`, async (sql) => {
      const crashed = new Solicitations({ sql, client: s.crashing, candidates: s.candidates });
      crashed.setEnabled(true);
      const now = Date.now();
      expect(await crashed.requestFor(s.orderId, now, s.dispatchedAt)).toBe("sending");
      const a = new Solicitations({ sql, client: s.client, candidates: s.candidates });
      const b = new Solicitations({ sql, client: s.client, candidates: s.candidates });
      const later = now + 10 * MINUTE;
      const states = await Promise.all([
        a.requestFor(s.orderId, later, s.dispatchedAt),
        b.requestFor(s.orderId, later, s.dispatchedAt),
        a.runOnce(later),
        b.runOnce(later),
      ]);
      expect(states.slice(0, 2).sort()).toEqual(["sending", "sent"]);
      const restarted = new Solicitations({ sql, client: s.client, candidates: s.candidates });
      await restarted.runOnce(later + 10 * MINUTE);
      expect(restarted.stateOf(s.orderId)).toEqual({ state: "sent" });
    });
    const seen = await seenBy(s.seller);
    expect(seen.sent.map((x) => x.orderId)).toEqual([s.orderId]);
    expect(seen.refused).toEqual([]);
  });

  it("closes a lost send whose window has passed, with the reason, without asking Amazon", async () => {
    const s = await sellerWithOrderInWindow("HRECD");
    await extra(s.seller, "faults", { lostAnswers: { next: 1, operations: [SEND] } });
    await inRoom(`health-rec-d-${s.seller}`, async (sql) => {
      const crashed = new Solicitations({ sql, client: s.crashing, candidates: s.candidates });
      crashed.setEnabled(true);
      const now = Date.now();
      expect(await crashed.requestFor(s.orderId, now, s.dispatchedAt)).toBe("sending");
      const asked: string[] = [];
      const watching = {
        ...s.client,
        canRequestReview: async (id: string) => {
          asked.push(id);
          return s.client.canRequestReview(id);
        },
      };
      // The order has left the live document; only the ledger remembers when its window closes.
      const restarted = new Solicitations({ sql, client: watching, candidates: () => [] });
      await restarted.runOnce(s.dispatchedAt + 40 * DAY);
      expect(restarted.stateOf(s.orderId)).toEqual({
        state: "not_offered",
        error: expect.stringMatching(/window closed.*may have been sent/),
      });
      expect(asked).toEqual([]);
      await restarted.runOnce(s.dispatchedAt + 41 * DAY);
      expect(restarted.stateOf(s.orderId)?.state).toBe("not_offered");
    });
  });
});
