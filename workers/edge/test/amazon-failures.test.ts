import type { Order } from "@consign/domain";
import { createSpApiClient } from "@consign/sp-api";
import { describe, expect, it } from "vitest";
import { ConfirmationQueue, type DispatchToConfirm, Importer } from "../src/amazon/index.ts";
import {
  confirmationsAt,
  connectSeller,
  control,
  inRoom,
  RATE_SCALE,
  settings,
  uniqueSeller,
} from "./amazon-helpers.ts";

async function seededSeller(prefix: string, orders = 30, unshipped = 20) {
  const spid = uniqueSeller(prefix);
  await control(`${spid}/seed`, { orders, unshipped, historyDays: 30, seed: 5, arrivalsPerHour: 0 });
  await control(`${spid}/faults`, { rateScale: RATE_SCALE });
  return spid;
}

function collector() {
  const orders: Order[] = [];
  return { orders, onOrders: async (batch: Order[]) => void orders.push(...batch) };
}

const dispatchOf = (o: Order, extra: Partial<DispatchToConfirm> = {}): DispatchToConfirm => ({
  orderId: o.orderId,
  packageReferenceId: "1",
  carrierCode: "Royal Mail",
  trackingNumber: "FQ087430672GB",
  shipDate: new Date().toISOString(),
  items: o.items.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantityOrdered })),
  ...extra,
});

describe("Amazon failures the engines survive", () => {
  it("refuses a malformed answer as a whole: a typed error, nothing imported, then recovers", async () => {
    const spid = await seededSeller("AMALF");
    await inRoom(`malformed-${spid}`, async (sql) => {
      const { vault } = await connectSeller(sql, spid);
      const sink = collector();
      const importer = new Importer({ sql, client: await vault.client(settings()), onOrders: sink.onOrders });
      importer.start(Date.now());
      await control(`${spid}/faults`, { malformed: { next: 1, operations: ["searchOrders"] } });
      const failed = await importer.runOnce(Date.now());
      expect(failed.delivered).toBe(0);
      expect(sink.orders).toEqual([]);
      const status = importer.status();
      expect(status.lastErrorCode).toBe("upstream_malformed");
      expect(status.lastError).toMatch(/could not read/);
      expect(status.ordersKnown).toBe(0);
      expect(failed.nextRunAt).toBeGreaterThan(Date.now());
      const retried = await importer.runOnce(Date.now());
      expect(retried.delivered).toBe(30);
      expect(importer.status().lastError).toBeUndefined();
    });
  });

  it("refreshes an expired access token without a person", async () => {
    const spid = await seededSeller("AEXP");
    await inRoom(`expired-${spid}`, async (sql) => {
      const { vault } = await connectSeller(sql, spid);
      const client = await vault.client(settings());
      const sink = collector();
      const importer = new Importer({ sql, client, onOrders: sink.onOrders, options: { pollIntervalMs: 0 } });
      importer.start(Date.now());
      await importer.runOnce(Date.now());
      await control(`${spid}/expire-access-tokens`);
      const order = await client.getOrder(sink.orders[0]?.orderId as string, ["FULFILLMENT"]);
      expect(order.orderId).toBe(sink.orders[0]?.orderId);
      const poll = await importer.runOnce(Date.now() + 10 * 60_000);
      expect(poll.nextRunAt).not.toBeNull();
      expect(importer.status().lastError).toBeUndefined();
    });
  });

  it("stops with a clear error when the seller revoked Consign, and the queue waits for a reconnect", async () => {
    const spid = await seededSeller("AREV");
    await inRoom(`revoked-${spid}`, async (sql) => {
      const { vault } = await connectSeller(sql, spid);
      const client = await vault.client(settings());
      const sink = collector();
      const importer = new Importer({ sql, client, onOrders: sink.onOrders, options: { pollIntervalMs: 0 } });
      importer.start(Date.now());
      await importer.runOnce(Date.now());
      await control(`${spid}/revoke`);
      const run = await importer.runOnce(Date.now() + 10 * 60_000);
      expect(run.nextRunAt).toBeNull();
      const status = importer.status();
      expect(status).toMatchObject({
        connected: false,
        phase: "stopped",
        lastErrorCode: "amazon_credentials_refused",
      });
      expect(status.lastError).toMatch(/^Amazon refused the credentials: reconnect/);

      const queue = new ConfirmationQueue({ sql, client });
      queue.enqueue(dispatchOf(sink.orders[0] as Order));
      expect(await queue.drain()).toBeNull();
      expect(queue.stopped()).toMatch(/reconnect/);
      expect(queue.counts()).toEqual({ pending: 1, confirmed: 0, failed: 0 });
    });
  });

  it("finishes a confirmation queue after a restart in the middle, without a second confirmation", async () => {
    const spid = await seededSeller("ARESTART", 40, 30);
    await inRoom(`restart-${spid}`, async (sql) => {
      const { vault } = await connectSeller(sql, spid);
      const sink = collector();
      const importer = new Importer({ sql, client: await vault.client(settings()), onOrders: sink.onOrders });
      importer.start(Date.now());
      await importer.runOnce(Date.now());
      const unshipped = sink.orders.filter((o) => o.amazonStatus === "UNSHIPPED");
      expect(unshipped.length).toBe(30);

      // The first object dies after its 11th confirmation reached Amazon, before it heard the answer.
      let sent = 0;
      const dying = createSpApiClient({
        ...settings(),
        refreshToken: await refreshTokenOf(spid),
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          if (
            String(typeof input === "string" ? input : input.url).includes("shipmentConfirmation") &&
            ++sent === 11
          ) {
            return new Promise<Response>(() => {});
          }
          return res;
        },
      });
      const first = new ConfirmationQueue({ sql, client: dying });
      for (const o of unshipped) first.enqueue(dispatchOf(o));
      void first.drain();
      for (let i = 0; i < 200 && sent < 11; i++) await new Promise((r) => setTimeout(r, 10));
      expect(sent).toBe(11);
      expect(first.counts().confirmed).toBe(10);

      // A new object over the same storage picks the work up.
      const second = new ConfirmationQueue({ sql, client: await vault.client(settings()) });
      let next = await second.drain();
      for (let i = 0; i < 20 && next !== null; i++) next = await second.drain(Math.max(Date.now(), next));
      expect(second.counts()).toEqual({ pending: 0, confirmed: 30, failed: 0 });
      const seen = await confirmationsAt(spid);
      expect(seen.accepted).toBe(30);
      expect(seen.acceptedTwice).toEqual([]);
      // The resent 11th was refused by Amazon as already fulfilled and counted as confirmed.
      expect(seen.refused).toBe(1);
      const resent = second.list().filter((r) => r.attempts === 2);
      expect(resent).toHaveLength(1);
      expect(resent[0]).toMatchObject({ state: "confirmed" });
      expect(resent[0]?.error).toBeUndefined();
    });
  });

  it("flags a refusal Amazon will repeat for a person, with Amazon's reason", async () => {
    const spid = await seededSeller("AREFUSE");
    await inRoom(`refuse-${spid}`, async (sql) => {
      const { vault } = await connectSeller(sql, spid);
      const client = await vault.client(settings());
      const sink = collector();
      const importer = new Importer({ sql, client, onOrders: sink.onOrders });
      importer.start(Date.now());
      await importer.runOnce(Date.now());
      const order = sink.orders.find((o) => o.amazonStatus === "UNSHIPPED") as Order;
      const results: unknown[] = [];
      const queue = new ConfirmationQueue({ sql, client, onResult: (_id, r) => void results.push(r) });
      queue.enqueue(dispatchOf(order, { carrierCode: "Evri" }));
      expect(await queue.drain()).toBeNull();
      const record = queue.get(order.orderId, "1");
      expect(record).toMatchObject({ state: "failed", needsAttention: true, attempts: 1 });
      expect(record?.error).toMatch(
        /Amazon refused the confirmation: "Evri" is not one of Amazon's carrier codes/,
      );
      expect(record?.error).toContain('Amazon lists Evri as "Hermes UK"');
      expect(() => queue.enqueue(dispatchOf(order, { packageReferenceId: "PKG-1" }))).toThrow(
        /positive number/,
      );
      // Fixed by a person (Evri ships as "Hermes"): the same package goes again and is confirmed.
      queue.enqueue(dispatchOf(order, { carrierCode: "Hermes" }));
      expect(await queue.drain()).toBeNull();
      expect(queue.get(order.orderId, "1")).toMatchObject({ state: "confirmed" });
    });
  });
});

/** The restart test needs a second client for the same seller: exchange a fresh consent code. */
async function refreshTokenOf(spid: string): Promise<string> {
  const consent = await fetch(
    `http://127.0.0.1:8788/apps/authorize/consent?application_id=a&state=s&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&auto=1&sandbox_seller=${spid}`,
    { redirect: "manual" },
  );
  const code = new URL(consent.headers.get("location") as string).searchParams.get(
    "spapi_oauth_code",
  ) as string;
  const res = await fetch("http://127.0.0.1:8788/auth/o2/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      client_id: "amzn1.application-oa2-client.consignsandbox",
      client_secret: "sandbox-client-secret",
    }).toString(),
  });
  return ((await res.json()) as { refresh_token: string }).refresh_token;
}
