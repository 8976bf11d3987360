// Click & Drop allows 5 calls a second per API key and answers 429 above it (the spec's "Rate
// Limits"; the sandbox enforces it). The room's limiter keeps a label run at that rate, and a 429
// (another tool on the same key, or a clock a little off the courier's) is waited out for its
// Retry-After and the same call sent again: the run buys every label, none twice.
import { env } from "cloudflare:test";
import { type FetchFunction, isRoyalMailTrackingNumber } from "@consign/couriers";
import { describe, expect, it } from "vitest";
import { buyLabelsInBulk } from "../src/labels/bulk.ts";
import { createCourierSet } from "../src/labels/couriers.ts";
import { LabelLedger } from "../src/labels/ledger.ts";
import { counters, credentialsFor, inSellerRoom, royalMailOrders } from "../src/labels/testing.ts";

const SANDBOX = "http://127.0.0.1:8788/royalmail/api/v1";

describe("a label run at Click & Drop's real limit", () => {
  it("buys all 100 Royal Mail orders through the sandbox's 429s, each once", async () => {
    const account = crypto.randomUUID();
    const orders = royalMailOrders(100);
    const wire = { calls: 0, refused: 0, retryAfter: new Set<string | null>() };
    const counted: FetchFunction = async (input, init) => {
      wire.calls++;
      const res = await fetch(input, init);
      if (res.status === 429) {
        wire.refused++;
        wire.retryAfter.add(res.headers.get("Retry-After"));
      }
      return res;
    };
    const out = await inSellerRoom(async (state) => {
      // No rate-limit override: the courier set runs at Royal Mail's documented 5 calls a second.
      const couriers = createCourierSet(env, credentialsFor(account), { fetch: counted });
      const ledger = new LabelLedger({
        sql: state.storage.sql,
        labels: env.LABELS,
        adapterFor: (c) => couriers.adapterFor(c),
        labelPrefix: `seller-${account}`,
      });
      // Another tool on the seller's key takes this second's five calls just as the run starts.
      const other = await Promise.all(
        Array.from({ length: 5 }, () =>
          fetch(`${SANDBOX}/orders/1`, { headers: { Authorization: `Bearer ${account}` } }),
        ),
      );
      const run = await buyLabelsInBulk(orders, { ledger, onProgress: () => undefined });
      // The same run again (a second press of Buy): everything is already bought.
      const again = await buyLabelsInBulk(orders, { ledger, onProgress: () => undefined });
      return { other: other.map((r) => r.status), run, again };
    });
    expect(out.other.every((s) => s !== 429)).toBe(true);
    // The sandbox did refuse the run at first, saying when to come back.
    expect(wire.refused).toBeGreaterThan(0);
    expect([...wire.retryAfter]).toEqual(["1"]);
    const failures = [...out.run.results].filter(([, r]) => r.state === "failed");
    expect(out.run.bought, JSON.stringify(failures.slice(0, 3))).toBe(100);
    const tracking = orders.map((o) => out.run.results.get(o.orderId)?.trackingNumber);
    expect(new Set(tracking).size).toBe(100);
    expect(tracking.every((t) => t !== undefined && isRoyalMailTrackingNumber(t))).toBe(true);
    expect(orders.map((o) => out.again.results.get(o.orderId)?.trackingNumber)).toEqual(tracking);
    // Royal Mail sold exactly 100 labels and was asked for each order once: none bought twice.
    expect(await counters("royalmail", account)).toEqual({ purchases: 100, purchaseRequests: 100 });
  });
});
