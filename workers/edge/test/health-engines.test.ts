import { describe, expect, it } from "vitest";
import { AccountHealthSync } from "../src/health/account-health-sync.ts";
import { compare } from "../src/health/compare.ts";
import { ListingsPush } from "../src/health/listings-push.ts";
import { type DefectUpdate, RefundSync } from "../src/health/refund-sync.ts";
import { Solicitations } from "../src/health/solicitations.ts";
import { inRoom, SANDBOX } from "./amazon-helpers.ts";
import { type BuyerEvents, extra, sandboxSeller, UK } from "./health-helpers.ts";

const DAY = 86_400_000;

describe("account health engines against the sandbox", () => {
  it("shows a listing quantity Amazon refused per SKU and tries it again later", async () => {
    const { seller, client } = await sandboxSeller("HLIST", 10);
    await extra(seller, "faults", { refuseSkus: { "MUG-BLUE": "The SKU is not in your inventory." } });
    await inRoom(`health-list-${seller}`, async (sql) => {
      const push = new ListingsPush({
        sql,
        client,
        sellerId: seller,
        options: { debounceMs: 30_000, baseRetryMs: 60_000 },
      });
      const now = Date.now();
      push.setQuantity("TEA-TOWEL", 12, now);
      push.setQuantity("TEA-TOWEL", 11, now + 1_000); // debounced: one push of the latest figure
      push.setQuantity("MUG-BLUE", 0, now);
      // The SKU at zero is due at once; the other waits for the debounce.
      expect(await push.runOnce(now)).toBeLessThanOrEqual(now + 31_000);
      let status = new Map(push.status().map((s) => [s.sku, s]));
      expect(status.get("MUG-BLUE")).toMatchObject({
        state: "refused",
        issue: "The SKU is not in your inventory.",
        attempts: 1,
      });
      expect(status.get("TEA-TOWEL")).toMatchObject({ state: "pending", quantity: 11 });
      await push.runOnce(now + 31_000);
      status = new Map(push.status().map((s) => [s.sku, s]));
      expect(status.get("TEA-TOWEL")).toMatchObject({ state: "accepted", pushedQuantity: 11 });
      // Amazon fixed the listing: the retry goes through.
      await extra(seller, "faults", { refuseSkus: {} });
      await push.runOnce(now + 61_000);
      expect(push.status().find((s) => s.sku === "MUG-BLUE")).toMatchObject({
        state: "accepted",
        pushedQuantity: 0,
      });
      const received = (await extra(seller, "listings", undefined, "GET")) as Record<
        string,
        { quantity: number }[]
      >;
      expect(received["TEA-TOWEL"]?.map((r) => r.quantity)).toEqual([11]);
      expect(received["MUG-BLUE"]?.map((r) => r.quantity)).toEqual([0, 0]);
    });
  });

  it("pushes a restocked quantity once its debounce is over, however often the same figure is recorded again", async () => {
    // The room records every tracked SKU's quantity on each change to the orders; the same figure
    // again must not restart the wait (it kept a restock from Amazon for 18 simulated days).
    const { seller, client } = await sandboxSeller("HLISTRE", 10);
    await inRoom(`health-list-re-${seller}`, async (sql) => {
      const push = new ListingsPush({ sql, client, sellerId: seller, options: { debounceMs: 30_000 } });
      const now = Date.now();
      expect(push.setQuantity("TEA-TOWEL", 1219, now)).toBe(now + 30_000);
      for (let s = 5; s <= 60; s += 5)
        expect(push.setQuantity("TEA-TOWEL", 1219, now + s * 1_000)).toBe(now + 30_000);
      await push.runOnce(now + 30_000);
      expect(push.status().find((x) => x.sku === "TEA-TOWEL")).toMatchObject({
        state: "accepted",
        pushedQuantity: 1219,
      });
      // Pushed: the same figure again waits for nothing and sends nothing.
      expect(push.setQuantity("TEA-TOWEL", 1219, now + 90_000)).toBeNull();
      const received = (await extra(seller, "listings", undefined, "GET")) as Record<
        string,
        { quantity: number }[]
      >;
      expect(received["TEA-TOWEL"]?.map((r) => r.quantity)).toEqual([1219]);
    });
  });

  it("never sends a review request twice for one order: two callers at once, then a restart", async () => {
    const { seller, token, client } = await sandboxSeller("HSOL", 300);
    const res = await fetch(
      `${SANDBOX}/orders/2026-01-01/orders?createdAfter=${new Date(Date.now() - 45 * DAY).toISOString()}&fulfillmentStatuses=SHIPPED&includedData=FULFILLMENT,PACKAGES&maxResultsPerPage=100`,
      { headers: { "x-amz-access-token": token } },
    );
    const orders = (
      (await res.json()) as {
        orders: {
          orderId: string;
          packages: { shipTime: string }[];
          fulfillment: { deliverByWindow: { latestDateTime: string } };
        }[];
      }
    ).orders;
    const target = orders.find((o) => {
      const since = Date.now() - Date.parse(o.fulfillment.deliverByWindow.latestDateTime);
      return since > 8 * DAY && since < 20 * DAY;
    });
    expect(target).toBeDefined();
    const candidates = () => [
      { orderId: target?.orderId as string, dispatchedAt: Date.parse(target?.packages[0]?.shipTime ?? "") },
    ];
    await inRoom(`health-sol-${seller}`, async (sql) => {
      const a = new Solicitations({ sql, client, candidates });
      const b = new Solicitations({ sql, client, candidates });
      a.setEnabled(true);
      const now = Date.now();
      const [x, y, z] = await Promise.all([
        a.requestFor(target?.orderId as string, now),
        a.requestFor(target?.orderId as string, now),
        b.requestFor(target?.orderId as string, now),
      ]);
      expect([x, y]).toEqual(["sent", "sent"]);
      expect(["sent", "checking"]).toContain(z);
      // A new engine over the same SQLite (a restart) does not ask again.
      const restarted = new Solicitations({ sql, client, candidates });
      expect(await restarted.runOnce(now + 60_000)).toBeGreaterThan(now);
      expect(restarted.stateOf(target?.orderId as string)).toEqual({ state: "sent" });
    });
    const sent = (await extra(seller, "solicitations", undefined, "GET")) as { sent: { orderId: string }[] };
    expect(sent.sent.map((s) => s.orderId)).toEqual([target?.orderId]);
  });

  it("hands refunds, claims and chargebacks over with the right order ids, once", async () => {
    const { seller, client } = await sandboxSeller("HFIN", 400);
    await extra(seller, "faults", { financesPageSize: 4 });
    const events = (await extra(seller, "buyer-events", undefined, "GET")) as BuyerEvents;
    await inRoom(`health-fin-${seller}`, async (sql) => {
      const refunds: { orderId: string; refundedAt: number }[] = [];
      const defects: DefectUpdate[] = [];
      const sync = new RefundSync({
        sql,
        client,
        onRefunds: (r) => void refunds.push(...r),
        onDefects: (d) => void defects.push(...d),
      });
      const next = await sync.runOnce(Date.now());
      expect(next).toBeGreaterThan(Date.now());
      expect(refunds.map((r) => r.orderId).sort()).toEqual(events.refunds.map((r) => r.orderId).sort());
      const claims = defects.filter((d) => d.defects.azClaim);
      expect(claims.map((d) => d.orderId).sort()).toEqual(events.claims.map((c) => c.orderId).sort());
      const reversed = events.claims.find((c) => c.reversedAt)?.orderId;
      expect(claims.find((d) => d.orderId === reversed)?.defects.azClaim?.denied).toBe(true);
      expect(claims.filter((d) => d.defects.azClaim?.denied === false)).toHaveLength(2);
      expect(defects.filter((d) => d.defects.chargebackAt).map((d) => d.orderId)).toEqual(
        events.chargebacks.map((c) => c.orderId),
      );
      // A second run passes nothing on twice.
      refunds.length = 0;
      defects.length = 0;
      await sync.runOnce(Date.now());
      expect(refunds).toEqual([]);
      expect(defects).toEqual([]);
    });
  });

  it("requests, polls and stores the performance report, and passes negative feedback by order id", async () => {
    const { seller, client } = await sandboxSeller("HREP", 400);
    await extra(seller, "faults", { reportProcessingMs: 0 });
    const events = (await extra(seller, "buyer-events", undefined, "GET")) as BuyerEvents;
    await inRoom(`health-rep-${seller}`, async (sql) => {
      const defects: DefectUpdate[] = [];
      const sync = new AccountHealthSync({
        sql,
        client,
        onDefects: (d) => void defects.push(...d),
        options: { pollMs: 1_000 },
      });
      const now = Date.now();
      expect(await sync.runOnce(now)).toBe(now + 1_000);
      expect(sync.official()).toBeUndefined();
      const next = await sync.runOnce(now + 1_000);
      expect(next).toBe(now + 6 * 3_600_000);
      const official = sync.official()?.health;
      expect(official?.marketplaceId).toBe(UK);
      expect(official?.lateDispatchRate?.total).toBeGreaterThan(50);
      expect(official?.orderDefectRate?.target).toBe(0.01);
      expect(defects.map((d) => d.orderId).sort()).toEqual(
        events.feedback
          .filter((f) => f.rating <= 2)
          .map((f) => f.orderId)
          .sort(),
      );
      expect(defects.every((d) => typeof d.defects.negativeFeedbackAt === "number")).toBe(true);
      const lsr = official?.lateDispatchRate;
      const explained = compare(lsr, {
        from: Date.parse(lsr?.from ?? "") - DAY,
        to: Date.parse(lsr?.to ?? ""),
        total: (lsr?.total ?? 0) + 2,
        count: (lsr?.count ?? 0) + 1,
        recent: 1,
      });
      expect(explained.reasons).toEqual([
        expect.stringMatching(/^Different window/),
        "Differs by 2 orders counted (we count more).",
        "Not yet reported by Amazon: 1 recent order.",
      ]);
    });
  });
});
