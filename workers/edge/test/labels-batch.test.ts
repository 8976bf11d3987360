// Royal Mail Click & Drop takes many orders a call (POST /orders `items`): label runs send up to 25
// a call, and the ledger keeps its promise for every order of a batch: one purchase per order
// however the call ends, each refused order with its own reason, a call that times out after the
// courier created the orders reconciled by looking them up, never bought twice.
import { env } from "cloudflare:test";
import type { CourierAdapter, FetchFunction } from "@consign/couriers";
import {
  AMAZON_SHIPPING_RATE_LIMIT,
  DPD_RATE_LIMIT,
  EVRI_RATE_LIMIT,
  isRoyalMailTrackingNumber,
  ROYAL_MAIL_RATE_LIMIT,
} from "@consign/couriers";
import type { CourierId } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { buyLabelsInBulk } from "../src/labels/bulk.ts";
import { createCourierSet } from "../src/labels/couriers.ts";
import { LabelLedger, type LabelRecord } from "../src/labels/ledger.ts";
import {
  counters,
  credentialsFor,
  fast,
  inSellerRoom,
  royalMailOrders,
  sandboxAccessToken,
  setFaults,
  shipmentFor,
} from "../src/labels/testing.ts";

/**
 * A ledger over the room's storage whose Royal Mail calls are counted (and can be broken once). Its
 * limiter runs fast, so the sandbox's real limit (5 calls a second) answers some calls 429, which
 * the courier set waits out and sends again.
 */
function countingLedger(state: DurableObjectState, account: string, timeoutMs = 5000) {
  const wire = { posts: [] as number[], postMarks: [] as number[][], lookups: 0, labels: 0, failLookups: 0 };
  const counted: FetchFunction = async (input, init) => {
    const url = new URL(String(input));
    // A call Click & Drop refused as over its rate limit (429) did nothing: it is not counted.
    const served = async (uncount: () => void) => {
      const res = await fetch(input, init);
      if (res.status === 429) uncount();
      return res;
    };
    if (url.pathname.endsWith("/royalmail/api/v1/orders") && init?.method === "POST") {
      const entry = (JSON.parse(String(init.body)) as { items: unknown[] }).items.length;
      const mark = [entry];
      wire.posts.push(entry);
      wire.postMarks.push(mark);
      return served(() => {
        const k = wire.postMarks.indexOf(mark);
        wire.postMarks.splice(k, 1);
        wire.posts.splice(k, 1);
      });
    }
    if (url.pathname.endsWith("/label")) {
      wire.labels++;
      return served(() => wire.labels--);
    }
    if (url.pathname.includes("/royalmail/api/v1/orders/") && (init?.method ?? "GET") === "GET") {
      wire.lookups++;
      if (wire.failLookups > 0) {
        wire.failLookups--;
        throw new TypeError("connection reset");
      }
      return served(() => wire.lookups--);
    }
    return fetch(input, init);
  };
  const couriers = createCourierSet(env, credentialsFor(account), {
    fetch: counted,
    timeoutMs,
    rateLimits: fast,
  });
  const ledger = new LabelLedger({
    sql: state.storage.sql,
    labels: env.LABELS,
    adapterFor: (c) => couriers.adapterFor(c),
    labelPrefix: `seller-${account}`,
  });
  return { ledger, wire };
}

const settled = (promises: Promise<LabelRecord>[]) =>
  Promise.all(
    promises.map((p) =>
      p.then(
        (record) => ({ record, error: undefined }),
        (e: Error) => ({ record: undefined, error: e.message }),
      ),
    ),
  );

describe("Click & Drop batches: 25 orders a call, exactly once each", () => {
  it("a batch of 25 with 2 bad orders buys 23 in one call and names each refusal; the retry buys nothing twice", async () => {
    const account = crypto.randomUUID();
    await setFaults("royalmail", account, { rejectPostcodes: ["SW1A 1ZZ"] });
    const orders = royalMailOrders(25, (i) => (i === 6 ? "SW1A 1ZZ" : i === 17 ? "SW1A" : "SW1A 2AA"));
    const out = await inSellerRoom(async (state) => {
      const { ledger, wire } = countingLedger(state, account);
      const first = await settled(ledger.buyLabels(orders));
      const postsAfterFirst = [...wire.posts];
      const again = await settled(ledger.buyLabels(orders));
      return { first, again, postsAfterFirst, wire, records: orders.map((o) => ledger.current(o.orderId)) };
    });
    expect(out.postsAfterFirst).toEqual([25]);
    expect(out.first.filter((r) => r.record?.state === "bought")).toHaveLength(23);
    expect(out.first[6]?.error).toBe(
      "Royal Mail refused the label: Recipient postcode is not recognised (postcode SW1A 1ZZ)",
    );
    expect(out.first[17]?.error).toMatch(
      /^Royal Mail refused the label: Recipient postcode is not a valid UK postcode \(postcode S ?W1A\)$/,
    );
    expect(out.records[6]).toMatchObject({ state: "failed", error: out.first[6]?.error });
    const tracking = out.first.flatMap((r) => (r.record?.trackingNumber ? [r.record.trackingNumber] : []));
    expect(new Set(tracking).size).toBe(23);
    expect(tracking.every(isRoyalMailTrackingNumber)).toBe(true);
    // Every bought label's PDF is stored from the batch's answer: no label fetch per order.
    expect(out.records.filter((r) => r?.labelKey)).toHaveLength(23);
    // The retry sends only the two refused orders (refused again, same reasons); the 23 are kept.
    expect(out.wire.posts).toEqual([25, 2]);
    expect(out.again[6]?.error).toBe(out.first[6]?.error);
    expect(
      out.again.filter((r) => r.record?.state === "bought").map((r) => r.record?.trackingNumber),
    ).toEqual(tracking);
    expect(await counters("royalmail", account)).toEqual({ purchases: 23, purchaseRequests: 23 });
  });

  it("a batch call that times out after Royal Mail created the orders is looked up, never bought again", async () => {
    const account = crypto.randomUUID();
    // Royal Mail creates the orders, then holds its answer past our 300 ms timeout.
    await setFaults("royalmail", account, { timeoutMs: 1500, timeouts: 1, rejectPostcodes: ["SW1A 1ZZ"] });
    const orders = royalMailOrders(25, (i) => (i === 3 || i === 20 ? "SW1A 1ZZ" : "SW1A 2AA"));
    const out = await inSellerRoom(async (state) => {
      const { ledger, wire } = countingLedger(state, account, 300);
      // The lookup after the timeout fails too: nothing can be known, every order stays uncertain.
      wire.failLookups = 1;
      const first = await settled(ledger.buyLabels(orders));
      const uncertain = orders.map((o) => ledger.current(o.orderId)?.state);
      // The run again: the courier is asked first (one lookup for all 25), then only what it lacks is sent.
      const retry = await settled(ledger.buyLabels(orders));
      return { first, uncertain, retry, wire: { ...wire, posts: [...wire.posts] } };
    });
    expect(out.first.every((r) => r.error?.includes("did not answer in time"))).toBe(true);
    expect(new Set(out.uncertain)).toEqual(new Set(["failed"]));
    expect(out.wire.posts).toEqual([25, 2]);
    expect(out.wire.lookups).toBe(2);
    // Orders found by the lookup carry no label: each PDF is fetched once.
    expect(out.wire.labels).toBe(23);
    expect(out.retry.filter((r) => r.record?.state === "bought")).toHaveLength(23);
    expect(out.retry[3]?.error).toBe(
      "Royal Mail refused the label: Recipient postcode is not recognised (postcode SW1A 1ZZ)",
    );
    expect(out.retry[20]?.error).toBe(out.retry[3]?.error);
    // 23 shipments at Royal Mail, each created once: the retry found them instead of buying again.
    expect(await counters("royalmail", account)).toEqual({ purchases: 23, purchaseRequests: 23 });
  });

  it("a call that times out and is looked up at once settles the run with no retry needed", async () => {
    const account = crypto.randomUUID();
    await setFaults("royalmail", account, { timeoutMs: 1500, timeouts: 1 });
    const orders = royalMailOrders(25);
    const out = await inSellerRoom(async (state) => {
      const { ledger, wire } = countingLedger(state, account, 300);
      const first = await settled(ledger.buyLabels(orders));
      return { first, wire };
    });
    expect(out.first.filter((r) => r.record?.state === "bought")).toHaveLength(25);
    // Found by the lookup, each still carries what the label cost (the account's price for it).
    expect(out.first.map((r) => r.record?.cost)).toEqual(
      Array.from({ length: 25 }, () => ({
        amount: expect.stringMatching(/^\d+\.\d\d$/),
        currencyCode: "GBP",
      })),
    );
    expect(out.wire.posts).toEqual([25]);
    expect(out.wire.lookups).toBe(1);
    expect(await counters("royalmail", account)).toEqual({ purchases: 25, purchaseRequests: 25 });
  });

  it("after a restart mid-batch, the 25 'buying' orders are looked up in one call and none is bought again", async () => {
    const account = crypto.randomUUID();
    const orders = royalMailOrders(25);
    const out = await inSellerRoom(async (state) => {
      const couriers = createCourierSet(env, credentialsFor(account), { rateLimits: fast });
      const real = couriers.adapterFor("royal-mail");
      // Before the restart: Royal Mail creates the 25 orders, then the room is evicted mid-call.
      const dying: CourierAdapter = {
        ...real,
        batch: {
          ...real.batch!,
          createShipments: async (items) => {
            await real.batch!.createShipments(items);
            return new Promise(() => undefined);
          },
        },
      };
      const before = new LabelLedger({
        sql: state.storage.sql,
        labels: env.LABELS,
        adapterFor: () => dying,
        labelPrefix: "s",
      });
      void before.buyLabels(orders);
      for (let i = 0; i < 200 && (await counters("royalmail", account)).purchases < 25; i++)
        await new Promise((r) => setTimeout(r, 20));
      const buying = orders.map((o) => before.current(o.orderId)?.state);
      // After the restart: a new ledger over the same storage, nothing in memory.
      const { ledger, wire } = countingLedger(state, account);
      const after = await settled(ledger.buyLabels(orders));
      return { buying, after, wire };
    });
    expect(new Set(out.buying)).toEqual(new Set(["buying"]));
    expect(out.after.filter((r) => r.record?.state === "bought")).toHaveLength(25);
    expect(out.wire.posts).toEqual([]);
    expect(out.wire.lookups).toBe(1);
    expect(await counters("royalmail", account)).toEqual({ purchases: 25, purchaseRequests: 25 });
  });

  it("a run of 60 Royal Mail orders takes three calls (25, 25, 10); concurrent runs of the same orders buy each once", async () => {
    const account = crypto.randomUUID();
    const orders = royalMailOrders(60);
    const out = await inSellerRoom(async (state) => {
      const { ledger, wire } = countingLedger(state, account);
      const [a, b] = await Promise.all([
        buyLabelsInBulk(orders, { ledger, onProgress: () => undefined }),
        buyLabelsInBulk([...orders].reverse(), { ledger, onProgress: () => undefined }),
      ]);
      return { a, b, wire };
    });
    expect(out.a.bought).toBe(60);
    expect(out.b.bought).toBe(60);
    expect(out.wire.posts.reduce((s, n) => s + n, 0)).toBe(60);
    expect(Math.max(...out.wire.posts)).toBe(25);
    for (const order of orders)
      expect(out.b.results.get(order.orderId)?.trackingNumber).toBe(
        out.a.results.get(order.orderId)?.trackingNumber,
      );
    expect(await counters("royalmail", account)).toEqual({ purchases: 60, purchaseRequests: 60 });
  });
});

describe("every courier at once, each at its own rate limit", () => {
  it("a run over Royal Mail, Amazon Shipping, DPD and Evri calls them side by side, none faster than its documented limit", async () => {
    const account = crypto.randomUUID();
    const services: Record<CourierId, string> = {
      "royal-mail": "TPS48",
      "amazon-shipping": "SWA-UK-PREM",
      dpd: "1^12",
      evri: "EVRI48",
    };
    const orders = (Object.keys(services) as CourierId[]).flatMap((courier, c) =>
      Array.from({ length: 12 }, (_, i) => {
        const orderId = `203-${account.slice(0, 7)}-${c}0000${String(i).padStart(2, "0")}`;
        return {
          orderId,
          courier,
          shipment: shipmentFor(orderId, { serviceCode: services[courier] }),
        };
      }),
    );
    const seen = new Map<string, number[]>();
    // Amazon's sign-in (the sandbox's consent and LWA token) first, so the run's calls are compared alone.
    await sandboxAccessToken(account);
    const out = await inSellerRoom(async (state) => {
      const timed: FetchFunction = (input, init) => {
        const first = new URL(String(input)).pathname.split("/")[1] ?? "";
        // Amazon Shipping's API sits at the sandbox's root (/shipping/v2/…), like SP-API's.
        const courier = first === "shipping" ? "amazon-shipping" : first;
        seen.set(courier, [...(seen.get(courier) ?? []), performance.now()]);
        return fetch(input, init);
      };
      // The couriers' own limits (no test override): Click & Drop, DPD and Evri 5 calls a second.
      const couriers = createCourierSet(env, credentialsFor(account), { fetch: timed, timeoutMs: 20_000 });
      const ledger = new LabelLedger({
        sql: state.storage.sql,
        labels: env.LABELS,
        adapterFor: (c) => couriers.adapterFor(c),
        labelPrefix: `seller-${account}`,
      });
      return buyLabelsInBulk(orders, { ledger, onProgress: () => undefined });
    });
    expect(out.bought, JSON.stringify([...out.results].filter(([, r]) => r.state === "failed"))).toBe(48);
    const span = (courier: string) => {
      const t = seen.get(courier) ?? [];
      return { first: Math.min(...t), last: Math.max(...t), calls: t };
    };
    const sandboxes = ["royalmail", "amazon-shipping", "dpd", "evri"];
    // Side by side: every courier's first call came before the last call of each courier that
    // took several (one after another, a courier would start only once the one before had finished).
    const where = JSON.stringify(sandboxes.map((c) => [c, span(c).first, span(c).last]));
    for (const b of ["amazon-shipping", "dpd", "evri"])
      for (const a of sandboxes) if (a !== b) expect(span(a).first, where).toBeLessThan(span(b).last);
    // Never faster than its limit: a token bucket of `burst` at `perSecond` lets k+1 calls through
    // in no less than (k + 1 - burst) / perSecond seconds (a busy machine only makes calls later).
    const limits: Record<string, { perSecond: number; burst: number }> = {
      royalmail: ROYAL_MAIL_RATE_LIMIT,
      "amazon-shipping": AMAZON_SHIPPING_RATE_LIMIT,
      dpd: DPD_RATE_LIMIT,
      evri: EVRI_RATE_LIMIT,
    };
    for (const courier of ["dpd", "evri"]) {
      const { calls } = span(courier);
      const { perSecond, burst } = limits[courier]!;
      const k = 2 * burst;
      expect(calls.length).toBeGreaterThan(k);
      for (let i = k; i < calls.length; i++)
        expect(calls[i]! - calls[i - k]!).toBeGreaterThanOrEqual(((k + 1 - burst) / perSecond) * 1000 - 15);
    }
    // Royal Mail's 12 orders went in one call; Amazon's limit (80 a second) is far above 12 labels.
    expect(span("royalmail").calls.length).toBe(1);
  });
});
