import { env } from "cloudflare:test";
import {
  isDpdParcelNumber,
  isEvriTrackingNumber,
  isRoyalMailTrackingNumber,
  isValidTrackingNumber,
} from "@consign/couriers";
import type { CourierId } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { createCourierSet } from "../src/labels/couriers.ts";
import { shipmentOf } from "../src/labels/ledger.ts";
import { createRateLimiter, rateLimitedFetch } from "../src/labels/rate-limit.ts";
import {
  counters,
  credentialsFor,
  fast,
  inSellerRoom,
  newLedger,
  SANDBOX,
  setFaults,
  shipmentFor,
} from "../src/labels/testing.ts";

const cases: {
  courier: CourierId;
  sandbox: string;
  serviceCode: string;
  carrier: string;
  valid: (t: string) => boolean;
}[] = [
  {
    courier: "royal-mail",
    sandbox: "royalmail",
    serviceCode: "TPS48",
    carrier: "Royal Mail",
    valid: isRoyalMailTrackingNumber,
  },
  {
    courier: "amazon-shipping",
    sandbox: "amazon-shipping",
    serviceCode: "SWA-UK-PREM",
    carrier: "Amazon Shipping",
    valid: (t) => isValidTrackingNumber("amazon-shipping", t),
  },
  { courier: "dpd", sandbox: "dpd", serviceCode: "1^12", carrier: "DPD", valid: isDpdParcelNumber },
  {
    courier: "evri",
    sandbox: "evri",
    serviceCode: "EVRI48",
    carrier: "Hermes UK",
    valid: isEvriTrackingNumber,
  },
];

describe("each courier through the ledger against its sandbox", () => {
  for (const c of cases) {
    it(`${c.courier}: buys one label with a valid tracking number, stores the PDF, tracks it to delivered, voids it`, async () => {
      const account = crypto.randomUUID();
      const orderId = `202-${c.courier}-0000001`;
      const out = await inSellerRoom(async (state) => {
        const ledger = newLedger(state, account);
        const request = {
          orderId,
          courier: c.courier,
          shipment: shipmentFor(orderId, { serviceCode: c.serviceCode }),
        };
        const [first, second] = await Promise.all([ledger.buyLabel(request), ledger.buyLabel(request)]);
        const pdf = await ledger.labelPdf(orderId);
        const couriers = createCourierSet(env, credentialsFor(account), { rateLimits: fast });
        const adapter = couriers.adapterFor(c.courier);
        const before = await adapter.track(first.trackingNumber!);
        await fetch(
          `${SANDBOX}/_sandbox/couriers/${c.sandbox}/accounts/${encodeURIComponent(account)}/deliver/${first.trackingNumber}`,
          { method: "POST" },
        );
        const after = await adapter.track(first.trackingNumber!);
        const voided = await ledger.voidLabel(orderId);
        return { first, second, pdf, before, after, voided };
      });
      expect(out.second).toEqual(out.first);
      expect(c.valid(out.first.trackingNumber!)).toBe(true);
      expect(shipmentOf(out.first)).toMatchObject({
        id: `${orderId}:1`,
        courier: c.courier,
        amazonCarrierCode: c.carrier,
        serviceCode: c.serviceCode,
      });
      expect(new TextDecoder().decode(out.pdf!.subarray(0, 5))).toBe("%PDF-");
      expect(new TextDecoder().decode(out.pdf!)).toContain(out.first.trackingNumber);
      expect(out.before.delivered).toBe(false);
      expect(out.after).toMatchObject({ delivered: true, status: "delivered" });
      expect(out.voided.state).toBe("voided");
      expect((await counters(c.sandbox, account)).purchases).toBe(1);
    });
  }

  it("amazon-shipping: a timed-out purchase is resolved by replaying it with the same idempotency key", async () => {
    const account = crypto.randomUUID();
    await setFaults("amazon-shipping", account, { timeoutMs: 1500, timeouts: 1 });
    const orderId = "202-amazon-timeout-1";
    const record = await inSellerRoom(async (state) =>
      newLedger(state, account, 300).buyLabel({
        orderId,
        courier: "amazon-shipping",
        shipment: shipmentFor(orderId, { serviceCode: "SWA-UK-STD" }),
      }),
    );
    expect(record.state).toBe("bought");
    expect(record.labelKey).toBeDefined();
    // Two requests reached Amazon (the purchase and its replay) but only one shipment was bought.
    expect(await counters("amazon-shipping", account)).toEqual({ purchases: 1, purchaseRequests: 2 });
  });

  it("a ZPL printer gets Amazon Shipping's own ZPL (asked once, then kept); PDF-only couriers answer null", async () => {
    const account = crypto.randomUUID();
    const out = await inSellerRoom(async (state) => {
      const ledger = newLedger(state, account);
      const got: Record<
        string,
        { tracking: string; zpl203: string | null | undefined; zpl300?: string | null }
      > = {};
      for (const c of cases) {
        const orderId = `202-${c.courier}-zpl0001`;
        const bought = await ledger.buyLabel({
          orderId,
          courier: c.courier,
          shipment: shipmentFor(orderId, { serviceCode: c.serviceCode }),
        });
        got[c.courier] = { tracking: bought.trackingNumber!, zpl203: await ledger.labelZpl(orderId, 203) };
      }
      const amazonId = "202-amazon-shipping-zpl0001";
      got["amazon-shipping"]!.zpl300 = await ledger.labelZpl(amazonId, 300);
      // Kept beside the PDF: a second ask is the stored document.
      const kept = await env.LABELS.list({ prefix: `seller-${account}/labels/${amazonId}/` });
      const again = await ledger.labelZpl(amazonId, 203);
      await ledger.voidLabel(amazonId);
      const afterVoid = await ledger.labelZpl(amazonId, 203);
      return { got, again, afterVoid, kept: kept.objects.map((o) => o.key.split("/").pop()).sort() };
    });
    const amazon = out.got["amazon-shipping"]!;
    expect(amazon.zpl203).toMatch(/^\^XA\n/);
    expect(amazon.zpl203).toContain("^PW812");
    expect(amazon.zpl203).toContain(`^FD${amazon.tracking}^FS`);
    expect(amazon.zpl300).toContain("^PW1200");
    expect(out.kept).toEqual(["1.203dpi.zpl", "1.300dpi.zpl", "1.pdf"]);
    expect(out.again).toBe(amazon.zpl203);
    expect(out.afterVoid).toBeUndefined();
    for (const c of ["royal-mail", "dpd", "evri"]) expect(out.got[c]?.zpl203).toBeNull();
  });

  it("names the courier that is not connected", async () => {
    const couriers = createCourierSet(env, {});
    expect(() => couriers.adapterFor("dpd")).toThrow("DPD is not connected");
  });
});

describe("courier rate limiter", () => {
  it("lets a burst through, then spaces calls at the courier's rate", async () => {
    let now = 0;
    const slept: number[] = [];
    const limiter = createRateLimiter(
      { perSecond: 5, burst: 5 },
      {
        now: () => now,
        sleep: async (ms) => {
          slept.push(ms);
          now += ms;
        },
      },
    );
    const times: number[] = [];
    await Promise.all(Array.from({ length: 12 }, () => limiter.acquire().then(() => times.push(now))));
    expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(times.slice(5)).toEqual([200, 400, 600, 800, 1000, 1200, 1400]);
    expect(slept.every((ms) => ms === 200)).toBe(true);
  });

  it("starts the courier's timeout when the call leaves the limiter, not while it waits its turn", async () => {
    // Two calls a second, one at a time: the third waits about a second for its turn, far past the
    // 250 ms the courier is given to answer. Counted from the queue, it would time out unsent.
    const limiter = createRateLimiter({ perSecond: 2, burst: 1 });
    const sent: boolean[] = [];
    const limited = rateLimitedFetch(
      async (_input, init) => {
        sent.push(init?.signal?.aborted === false);
        return new Response("ok");
      },
      limiter,
      250,
    );
    const answers = await Promise.all([1, 2, 3].map((i) => limited(`https://courier.test/${i}`)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(sent).toEqual([true, true, true]);
  });

  it("waits out a courier's 429 for its Retry-After, holding every queued call, then sends the same call again", async () => {
    let now = 0;
    const clock = {
      now: () => now,
      sleep: async (ms: number) => {
        now += ms;
      },
    };
    const limiter = createRateLimiter({ perSecond: 5, burst: 5 }, clock);
    const seen: { url: string; at: number; body: string }[] = [];
    let refusals = 2;
    const limited = rateLimitedFetch(
      async (input, init) => {
        seen.push({ url: input, at: now, body: String(init?.body) });
        if (input.endsWith("/a") && refusals-- > 0)
          return new Response('{"code":"429"}', { status: 429, headers: { "Retry-After": "2" } });
        return new Response("ok");
      },
      limiter,
      undefined,
      clock,
    );
    const [a, b] = await Promise.all([
      limited("https://courier.test/a", { method: "POST", body: '{"items":[1]}' }),
      limited("https://courier.test/b"),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    // The purchase was sent three times with the same body: refused at 0 and at 2 s, served at 4 s.
    const sends = seen.filter((s) => s.url.endsWith("/a"));
    expect(sends.map((s) => s.at)).toEqual([0, 2000, 4000]);
    expect(new Set(sends.map((s) => s.body))).toEqual(new Set(['{"items":[1]}']));
    // The call queued behind it went out before the first refusal came back, never inside a hold.
    expect(seen.find((s) => s.url.endsWith("/b"))?.at).toBe(0);
  });

  it("gives the 429 back when the courier asks for a wait longer than a label run can hold", async () => {
    const limited = rateLimitedFetch(
      async () => new Response("", { status: 429, headers: { "Retry-After": "3600" } }),
      createRateLimiter({ perSecond: 5, burst: 5 }),
    );
    expect((await limited("https://courier.test/x")).status).toBe(429);
  });
});
