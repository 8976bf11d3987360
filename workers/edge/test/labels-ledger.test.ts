import { env } from "cloudflare:test";
import type { CourierAdapter } from "@consign/couriers";
import { isRoyalMailTrackingNumber } from "@consign/couriers";
import { describe, expect, it } from "vitest";
import { buyLabelsInBulk } from "../src/labels/bulk.ts";
import { createCourierSet } from "../src/labels/couriers.ts";
import { LabelLedger } from "../src/labels/ledger.ts";
import {
  counters,
  credentialsFor,
  fast,
  inSellerRoom,
  newLedger,
  purchases,
  royalMailOrders,
  SANDBOX,
  setFaults,
  shipmentFor,
} from "../src/labels/testing.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("label ledger: exactly one purchase per order and revision", () => {
  it("five clients sending 200 concurrent requests for the same 40 orders buy exactly 40 labels", async () => {
    const account = crypto.randomUUID();
    const orders = royalMailOrders(40);
    const seen = await inSellerRoom(async (state) => {
      const ledger = newLedger(state, account);
      const clients = Array.from({ length: 5 }, (_, client) => {
        const mine = [...orders].sort(() => (client % 2 ? 1 : -1) * (Math.random() - 0.5));
        const progress = new Map<string, string | undefined>();
        return buyLabelsInBulk(mine, {
          ledger,
          onProgress: (id, p) => void progress.set(id, p.trackingNumber),
        }).then((summary) => ({ summary, progress }));
      });
      const results = await Promise.all(clients);
      const pdf = await ledger.labelPdf(orders[7]!.orderId);
      return { results, pdf, record: ledger.current(orders[7]!.orderId) };
    });
    // One purchase request per order reached Royal Mail: the ledger, not the courier, deduplicated.
    expect(await counters("royalmail", account)).toEqual({ purchases: 40, purchaseRequests: 40 });
    for (const { summary, progress } of seen.results) {
      expect(summary.bought).toBe(40);
      expect(progress.size).toBe(40);
      for (const order of orders)
        expect(progress.get(order.orderId)).toBe(seen.results[0]?.progress.get(order.orderId));
    }
    const tracking = [...(seen.results[0]?.progress.values() ?? [])];
    expect(new Set(tracking).size).toBe(40);
    expect(tracking.every((t) => t !== undefined && isRoyalMailTrackingNumber(t))).toBe(true);
    expect(seen.record).toMatchObject({ state: "bought", revision: 1, amazonCarrierCode: "Royal Mail" });
    expect(text(seen.pdf!)).toContain(seen.record!.trackingNumber!);
    const stored = await env.LABELS.get(seen.record!.labelKey!);
    expect(stored?.httpMetadata?.contentType).toBe("application/pdf");
  });

  it("when the courier fails some orders mid-batch, reports each reason and buys the rest once", async () => {
    const account = crypto.randomUUID();
    await setFaults("royalmail", account, { rejectPostcodes: ["SW1A 1ZZ"] });
    const orders = royalMailOrders(30, (i) => (i % 6 === 3 ? "SW1A 1ZZ" : "SW1A 2AA"));
    const { first, second } = await inSellerRoom(async (state) => {
      const ledger = newLedger(state, account);
      const failures = new Map<string, string | undefined>();
      const first = await buyLabelsInBulk(orders, {
        ledger,
        onProgress: (id, p) => {
          if (p.state === "failed") failures.set(id, p.error);
        },
      });
      const second = await buyLabelsInBulk(orders, { ledger, onProgress: () => undefined });
      return { first: { ...first, failures }, second };
    });
    expect(first.failed).toBe(5);
    expect(first.bought).toBe(25);
    for (const [orderId, reason] of first.failures) {
      expect(orders.find((o) => o.orderId === orderId)?.shipment.recipient.postcode).toBe("SW1A 1ZZ");
      expect(reason).toBe(
        "Royal Mail refused the label: Recipient postcode is not recognised (postcode SW1A 1ZZ)",
      );
    }
    expect(second.bought).toBe(25);
    // The second run asked again only for the 5 refused orders (refusals are not purchase requests).
    expect(await counters("royalmail", account)).toEqual({ purchases: 25, purchaseRequests: 25 });
  });

  it("a courier 5xx is checked with the courier before being reported, and the retry buys once", async () => {
    const account = crypto.randomUUID();
    await setFaults("royalmail", account, { serverErrors: 1 });
    const [order] = royalMailOrders(1);
    const outcome = await inSellerRoom(async (state) => {
      const ledger = newLedger(state, account);
      const error = await ledger.buyLabel(order!).catch((e: Error) => e.message);
      const failed = ledger.current(order!.orderId);
      const retry = await ledger.buyLabel(order!);
      return { error, failed, retry };
    });
    expect(outcome.error).toContain("Royal Mail had a fault (HTTP 500)");
    expect(outcome.failed?.state).toBe("failed");
    expect(outcome.retry.state).toBe("bought");
    expect(await purchases("royalmail", account)).toBe(1);
  });

  it("a purchase that times out is resolved by looking it up, with no second purchase", async () => {
    const account = crypto.randomUUID();
    await setFaults("royalmail", account, { timeoutMs: 1500, timeouts: 1 });
    const [order] = royalMailOrders(1);
    const record = await inSellerRoom(async (state) => {
      const ledger = newLedger(state, account, 300);
      return ledger.buyLabel(order!);
    });
    expect(record.state).toBe("bought");
    expect(isRoyalMailTrackingNumber(record.trackingNumber!)).toBe(true);
    expect(record.labelKey).toBeDefined();
    expect(await counters("royalmail", account)).toEqual({ purchases: 1, purchaseRequests: 1 });
  });

  it("after a restart, a 'buying' row is resolved by asking the courier, not by buying again", async () => {
    const account = crypto.randomUUID();
    const [order] = royalMailOrders(1);
    const calls = { create: 0, find: 0 };
    const record = await inSellerRoom(async (state) => {
      const couriers = createCourierSet(env, credentialsFor(account), { rateLimits: fast });
      const real = couriers.adapterFor("royal-mail");
      // Before the restart: the purchase reaches Royal Mail, then the room is evicted mid-call.
      const dying: CourierAdapter = {
        ...real,
        createShipment: async (request, options) => {
          await real.createShipment(request, options);
          return new Promise(() => undefined);
        },
      };
      const before = new LabelLedger({
        sql: state.storage.sql,
        labels: env.LABELS,
        adapterFor: () => dying,
        labelPrefix: "s",
      });
      void before.buyLabel(order!);
      for (let i = 0; i < 100 && (await purchases("royalmail", account)) === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(before.current(order!.orderId)?.state).toBe("buying");
      // After the restart: a new ledger over the same storage, with nothing in memory.
      const counting: CourierAdapter = {
        ...real,
        createShipment: (r, o) => {
          calls.create++;
          return real.createShipment(r, o);
        },
        findShipment: (l) => {
          calls.find++;
          return real.findShipment(l);
        },
      };
      const after = new LabelLedger({
        sql: state.storage.sql,
        labels: env.LABELS,
        adapterFor: () => counting,
        labelPrefix: "s",
      });
      return after.buyLabel(order!);
    });
    expect(record.state).toBe("bought");
    expect(calls).toEqual({ create: 0, find: 1 });
    expect(await purchases("royalmail", account)).toBe(1);
  });

  it("voiding and buying again is explicit: revision 2, two purchases in total", async () => {
    const account = crypto.randomUUID();
    const [order] = royalMailOrders(1);
    const out = await inSellerRoom(async (state) => {
      const ledger = newLedger(state, account);
      const first = await ledger.buyLabel(order!);
      const again = await ledger.buyLabel(order!);
      const voided = await ledger.voidLabel(order!.orderId);
      const second = await ledger.buyLabel(order!);
      return { first, again, voided, second, history: ledger.history(order!.orderId) };
    });
    expect(out.again.trackingNumber).toBe(out.first.trackingNumber);
    expect(out.voided).toMatchObject({ key: `${order!.orderId}:1`, state: "voided" });
    expect(out.second).toMatchObject({ key: `${order!.orderId}:2`, revision: 2, state: "bought" });
    expect(out.second.trackingNumber).not.toBe(out.first.trackingNumber);
    expect(out.history.map((h) => h.state)).toEqual(["voided", "bought"]);
    expect(await purchases("royalmail", account)).toBe(2);
    const gone = await fetch(
      `${SANDBOX}/royalmail/api/v1/orders/"${encodeURIComponent(`${order!.orderId}:1`)}"`,
      {
        headers: { Authorization: `Bearer ${account}` },
      },
    );
    expect(gone.status).toBe(404);
  });

  it("refuses to void an order that has no bought label", async () => {
    await inSellerRoom(async (state) => {
      const ledger = newLedger(state, crypto.randomUUID());
      await expect(ledger.voidLabel("202-0000000-0000000")).rejects.toMatchObject({
        code: "illegal_transition",
      });
    });
  });

  it("a service the courier refuses is reported with its reason and nothing is bought", async () => {
    const account = crypto.randomUUID();
    const orderId = "202-refuse-0000001";
    const error = await inSellerRoom(async (state) =>
      newLedger(state, account)
        .buyLabel({
          orderId,
          courier: "royal-mail",
          shipment: shipmentFor(orderId, { package: { weightGrams: 25000 } }),
        })
        .catch((e: Error) => e.message),
    );
    expect(error).toContain("too big or too heavy for Royal Mail");
    expect(await purchases("royalmail", account)).toBe(0);
  });
});

describe("label ledger: courier not connected", () => {
  it("records the failure with the reason instead of leaving the order stuck in 'buying'", async () => {
    const [order] = royalMailOrders(1);
    const out = await inSellerRoom(async (state) => {
      const ledger = new LabelLedger({
        sql: state.storage.sql,
        labels: env.LABELS,
        adapterFor: (c) => createCourierSet(env, {}).adapterFor(c),
        labelPrefix: "s",
      });
      const error = await ledger.buyLabel(order!).catch((e: Error) => e.message);
      return { error, record: ledger.current(order!.orderId) };
    });
    expect(out.error).toBe("Royal Mail is not connected: add the account in Settings → Couriers");
    expect(out.record).toMatchObject({ state: "failed", error: out.error });
  });
});
