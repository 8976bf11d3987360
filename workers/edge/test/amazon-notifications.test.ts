// ORDER_CHANGE end to end in workerd: the sandbox's Amazon places an order or a buyer asks to cancel,
// the notification goes through the sandbox's SQS queue, the one poller routes it to the seller's
// room, which reads the order and stores it in the live document before the message is deleted.
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { Order } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { notificationsPoller, setUpOrderChange } from "../src/amazon/notifications.ts";
import { unwrap } from "../src/http/result.ts";
import { control, SANDBOX, sleep, uniqueSeller } from "./amazon-helpers.ts";
import { BASE, call, json, signUp } from "./helpers.ts";

const QUEUE = "consign-order-change";

async function queue(path = "", body?: unknown, method = "PUT") {
  const res = await fetch(`${SANDBOX}/_sandbox/sqs/queues/${QUEUE}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`queue control ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

/** A Consign seller whose room is connected to a fresh sandbox selling partner, subscribed to ORDER_CHANGE. */
async function connectedSeller(prefix: string) {
  await queue("", {});
  const partner = uniqueSeller(prefix);
  const sellerId = `seller-${partner.toLowerCase()}`;
  await control(`${partner}/seed`, { orders: 3, unshipped: 1, historyDays: 5, seed: 1, arrivalsPerHour: 0 });
  await control(`${partner}/faults`, { rateScale: 200 });
  const consent = await fetch(
    `${SANDBOX}/apps/authorize/consent?application_id=a&state=s&redirect_uri=${encodeURIComponent("http://127.0.0.1:8787/connect/amazon/callback")}&auto=1&sandbox_seller=${partner}`,
    { redirect: "manual" },
  );
  const code = new URL(consent.headers.get("location") as string).searchParams.get(
    "spapi_oauth_code",
  ) as string;
  const room = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(sellerId));
  unwrap(await room.amazonFinishConnect(code, partner));
  const subscriptionId = await setUpOrderChange(env, sellerId, partner);
  expect(subscriptionId).toBeTruthy();
  return { partner, sellerId, room };
}

const placeOrder = async (partner: string) =>
  (await control(`${partner}/orders`, {})) as { orderId: string; notificationId: string };

async function orderInRoom(
  room: ReturnType<typeof env.SELLER_ROOM.get>,
  orderId: string,
): Promise<Order | null> {
  const r = await room.getOrder(orderId);
  return r.ok ? (r.value as Order) : null;
}

/** Polls until the queue is empty of what this test sent (other tests share the queue). */
async function drain(until: () => Promise<boolean>, rounds = 20) {
  for (let i = 0; i < rounds && !(await until()); i++)
    await notificationsPoller(env).pollOnce({ visibilitySeconds: 1 });
}

describe("ORDER_CHANGE through SQS to the seller's document", { timeout: 60_000 }, () => {
  it("an order placed at Amazon is in the seller's document within seconds, before any poll could see it", async () => {
    const s = await connectedSeller("ANOTE");
    const placedAt = Date.now();
    const { orderId } = await placeOrder(s.partner);
    await drain(async () => (await orderInRoom(s.room, orderId)) !== null);
    const order = await orderInRoom(s.room, orderId);
    const took = Date.now() - placedAt;
    console.log(`order placed → in the seller's document: ${took} ms (workerd, sandbox queue)`);
    expect(order?.orderId).toBe(orderId);
    expect(order?.recipient?.postcode).toBeTruthy();
    // searchOrders only shows orders two minutes old: this one came through the queue.
    expect(took).toBeLessThan(20_000);
  });

  it("flags a buyer's cancellation request at once", async () => {
    const s = await connectedSeller("ANOTC");
    const { orderId } = await placeOrder(s.partner);
    await drain(async () => (await orderInRoom(s.room, orderId)) !== null);
    expect((await orderInRoom(s.room, orderId))?.items.some((i) => i.cancellationRequested)).toBe(false);
    await control(`${s.partner}/orders/${orderId}/cancel-request`, {});
    await drain(
      async () => !!(await orderInRoom(s.room, orderId))?.items.some((i) => i.cancellationRequested),
    );
    expect((await orderInRoom(s.room, orderId))?.items.every((i) => i.cancellationRequested)).toBe(true);
  });

  it("applies duplicates and redeliveries once, and deletes them", async () => {
    const s = await connectedSeller("ANOTD");
    await queue("/faults", { duplicates: 1 });
    const { orderId } = await placeOrder(s.partner);
    const poller = notificationsPoller(env);
    let applied = 0;
    let duplicates = 0;
    for (let i = 0; i < 10 && applied + duplicates < 2; i++) {
      const r = await poller.pollOnce({ visibilitySeconds: 1 });
      applied += r.applied;
      duplicates += r.duplicates;
    }
    expect(applied).toBe(1);
    expect(duplicates).toBe(1);
    expect((await orderInRoom(s.room, orderId))?.orderId).toBe(orderId);
    const left = await queue("", undefined, "GET");
    expect(Number(left.visible) + Number(left.inFlight)).toBe(0);
  });

  it("a notification that comes back while its first copy is still being applied is not deleted, so a failed apply loses nothing", async () => {
    const s = await connectedSeller("ANOTS");
    const poller = notificationsPoller(env);
    // Amazon answers getOrder slowly (2.5 s) and the first answer is unusable: the first apply
    // outlasts the 1 s visibility timeout it was received with, then fails.
    await control(`${s.partner}/faults`, {
      delayMs: 2_500,
      malformed: { next: 1, operations: ["getOrder"] },
    });
    const { orderId, notificationId } = await placeOrder(s.partner);
    const first = poller.pollOnce({ visibilitySeconds: 1 });
    await sleep(1_300);
    // A second receiver meanwhile: the message must still be hidden (the poller keeps it so), and
    // whatever it gets, it must not delete this notification while the first apply is undecided.
    const second = await poller.pollOnce({ visibilitySeconds: 1 });
    const firstResult = await first;
    expect(firstResult.failed).toBeGreaterThanOrEqual(1);
    await control(`${s.partner}/faults`, { delayMs: 0 });
    await drain(async () => (await orderInRoom(s.room, orderId)) !== null);
    // The order arrives all the same: the notification was still on the queue.
    expect((await orderInRoom(s.room, orderId))?.orderId, `notification ${notificationId}`).toBe(orderId);
    expect(second.duplicates).toBe(0);
  });

  it("loses nothing when the poller stops mid-batch: the rest comes back and lands once", async () => {
    const s = await connectedSeller("ANOTR");
    const orders = [await placeOrder(s.partner), await placeOrder(s.partner), await placeOrder(s.partner)];
    const poller = notificationsPoller(env);
    // A crash after the first message of the batch: the others are neither applied nor deleted.
    const crashed = await poller.pollOnce({ stopAfter: 1, visibilitySeconds: 1 });
    expect(crashed.received).toBe(3);
    expect(crashed.applied).toBe(1);
    await sleep(1_200);
    await drain(async () => {
      const found = await Promise.all(orders.map((o) => orderInRoom(s.room, o.orderId)));
      return found.every((o) => o !== null);
    });
    for (const o of orders) expect((await orderInRoom(s.room, o.orderId))?.orderId).toBe(o.orderId);
    const left = await queue("", undefined, "GET");
    expect(Number(left.visible) + Number(left.inFlight)).toBe(0);
  });

  it("during a queue outage the order still arrives by the regular poll, and the poller says why", async () => {
    const s = await connectedSeller("ANOTO");
    await queue("/faults", { down: true });
    try {
      const { orderId } = await placeOrder(s.partner);
      const r = await notificationsPoller(env).pollOnce();
      expect(r.error).toMatch(/could not be read: SQS ReceiveMessage answered HTTP 500/);
      expect(r.error).toContain("Orders still arrive by the regular poll");
      expect((await notificationsPoller(env).stats()).lastError).toContain("HTTP 500");
      expect(await orderInRoom(s.room, orderId)).toBeNull();
      // Three minutes on at Amazon (searchOrders shows orders two minutes old) and at the room's
      // next poll: the backup poll brings the order.
      await control(`${s.partner}/clock`, { advanceMs: 3 * 60_000 });
      const core = (instance: unknown) =>
        (instance as { core: { amazon: { runImport(now: number): Promise<number | null> } } }).core;
      await runInDurableObject(s.room, async (instance) => {
        await core(instance).amazon.runImport(Date.now() + 4 * 60_000);
      });
      expect((await orderInRoom(s.room, orderId))?.orderId).toBe(orderId);
    } finally {
      await queue("/faults", {});
    }
  });
});

/** A seller's owner connects Amazon as the app does: the API's consent link, Amazon's consent, our callback. */
async function connectThroughApi(partner: string, accessToken: string) {
  const start = await call("/api/v1/amazon/connect", { method: "POST", body: {}, token: accessToken });
  expect(start.status).toBe(200);
  const consent = new URL((await json<{ url: string }>(start)).url);
  consent.searchParams.set("auto", "1");
  consent.searchParams.set("sandbox_seller", partner);
  const back = await fetch(consent, { redirect: "manual" });
  const callback = new URL(back.headers.get("location") as string);
  const done = await exports.default.fetch(`${BASE}${callback.pathname}${callback.search}`, {
    redirect: "manual",
  });
  expect(done.headers.get("location")).toContain("amazon=connected");
}

const subscriptionAt = async (partner: string) =>
  (
    (await control(`${partner}/subscriptions`, undefined, "GET")) as {
      ORDER_CHANGE: { subscriptionId: string; destinationId: string } | null;
    }
  ).ORDER_CHANGE;

describe("the order world's own arrivals (the demo seller's new orders) notify like any other order", {
  timeout: 90_000,
}, () => {
  it("orders that arrive as time passes reach the document through the queue, each notified once", async () => {
    await queue("", {});
    const partner = uniqueSeller("AARRV");
    // The demo seller's kind of world: a schedule of future orders that appear as time passes.
    await control(`${partner}/seed`, {
      orders: 3,
      unshipped: 1,
      historyDays: 5,
      seed: 7,
      arrivalsPerHour: 30,
    });
    await control(`${partner}/faults`, { rateScale: 200 });
    const sellerId = `seller-${partner.toLowerCase()}`;
    const consent = await fetch(
      `${SANDBOX}/apps/authorize/consent?application_id=a&state=s&redirect_uri=${encodeURIComponent("http://127.0.0.1:8787/connect/amazon/callback")}&auto=1&sandbox_seller=${partner}`,
      { redirect: "manual" },
    );
    const code = new URL(consent.headers.get("location") as string).searchParams.get(
      "spapi_oauth_code",
    ) as string;
    const room = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(sellerId));
    unwrap(await room.amazonFinishConnect(code, partner));
    expect(await setUpOrderChange(env, sellerId, partner)).toBeTruthy();

    // Ten minutes pass at Amazon: the arrivals due by then go out as ORDER_CHANGE, nothing older.
    const moved = (await control(`${partner}/clock`, { advanceMs: 10 * 60_000 })) as {
      notified: { orderId: string; kind: string; notificationId: string }[];
    };
    const arrived = moved.notified.filter((n) => n.kind === "placed");
    expect(arrived.length).toBeGreaterThanOrEqual(2);
    await drain(async () => {
      const found = await Promise.all(arrived.map((a) => orderInRoom(room, a.orderId)));
      return found.every((o) => o !== null);
    });
    // In the seller's document well before the backup poll (searchOrders shows orders 2 minutes old,
    // and the room's poll has not run since the connect).
    for (const a of arrived) expect((await orderInRoom(room, a.orderId))?.orderId).toBe(a.orderId);

    // Nothing is notified twice: no time passing sends nothing, and a new order sends only its own.
    const again = (await control(`${partner}/clock`, { advanceMs: 0 })) as { notified: unknown[] };
    expect(again.notified).toEqual([]);
    const placed = await placeOrder(partner);
    expect(placed.notificationId).toBeTruthy();
    const cancel = (await control(`${partner}/orders/${placed.orderId}/cancel-request`, {})) as {
      notificationId: string;
    };
    expect(cancel.notificationId).toBeTruthy();
    await sleep(5); // the catch-up comes later than the request: it must not send it again
    const after = (await control(`${partner}/clock`, { advanceMs: 0 })) as { notified: unknown[] };
    expect(after.notified).toEqual([]);
  });
});

describe("disconnecting Amazon ends its live order updates; connecting again starts them", {
  timeout: 90_000,
}, () => {
  it("deletes the seller's ORDER_CHANGE subscription at Amazon, stops routing, and subscribes again on reconnect", async () => {
    await queue("", {});
    const partner = uniqueSeller("ADISC");
    await control(`${partner}/seed`, {
      orders: 3,
      unshipped: 1,
      historyDays: 5,
      seed: 1,
      arrivalsPerHour: 0,
    });
    await control(`${partner}/faults`, { rateScale: 200 });
    const owner = await signUp("Disconnect");
    const room = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(owner.sellerId));
    await connectThroughApi(partner, owner.accessToken);
    const first = await subscriptionAt(partner);
    expect(first?.subscriptionId).toBeTruthy();

    // Live: an order placed at Amazon reaches the room through the queue.
    const live = await placeOrder(partner);
    expect(live.notificationId).toBeTruthy();
    await drain(async () => (await orderInRoom(room, live.orderId)) !== null);
    expect((await orderInRoom(room, live.orderId))?.orderId).toBe(live.orderId);

    // A notification Amazon sent just before the owner disconnects is on the queue.
    const late = await placeOrder(partner);
    expect(late.notificationId).toBeTruthy();

    const res = await call("/api/v1/amazon", { method: "DELETE", token: owner.accessToken });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ connected: false, liveUpdates: { subscription: "deleted" } });
    // Amazon shows no subscription for the seller any more, and sends nothing for a new order.
    expect(await subscriptionAt(partner)).toBeNull();
    const after = await placeOrder(partner);
    expect(after.notificationId).toBeNull();
    // What was already on the queue no longer reaches the seller's document, and is not kept.
    let unroutable = 0;
    for (let i = 0; i < 10; i++) {
      const r = await notificationsPoller(env).pollOnce({ visibilitySeconds: 1 });
      unroutable += r.unroutable;
      const left = await queue("", undefined, "GET");
      if (Number(left.visible) + Number(left.inFlight) === 0) break;
    }
    expect(unroutable).toBeGreaterThanOrEqual(1);
    expect(await orderInRoom(room, late.orderId)).toBeNull();
    const status = await call("/api/v1/amazon/status", { token: owner.accessToken });
    expect((await json<{ connected: boolean }>(status)).connected).toBe(false);

    // Connecting again subscribes again: a new subscription, and orders are live once more.
    await connectThroughApi(partner, owner.accessToken);
    const second = await subscriptionAt(partner);
    expect(second?.subscriptionId).toBeTruthy();
    expect(second?.subscriptionId).not.toBe(first?.subscriptionId);
    const again = await placeOrder(partner);
    expect(again.notificationId).toBeTruthy();
    await drain(async () => (await orderInRoom(room, again.orderId)) !== null);
    expect((await orderInRoom(room, again.orderId))?.orderId).toBe(again.orderId);
  });

  it("when Amazon cannot be reached at disconnect, the subscription's deletion is kept and done on a later try", async () => {
    const s = await connectedSeller("ADRTY");
    const subscriptionId = (await subscriptionAt(s.partner))?.subscriptionId as string;
    expect(subscriptionId).toBeTruthy();
    const poller = notificationsPoller(env);
    type Poller = {
      env: typeof env;
      unsubscribe(p: string, s: string, id: string): Promise<{ subscription: string; message?: string }>;
    };
    // Login with Amazon does not answer the grantless token request at this moment.
    const first = await runInDurableObject(poller, async (instance) => {
      const p = instance as unknown as Poller;
      const real = p.env;
      p.env = { ...real, LWA_TOKEN_URL: `${SANDBOX}/auth/o2/unavailable` };
      try {
        return await p.unsubscribe(s.partner, s.sellerId, subscriptionId);
      } finally {
        p.env = real;
      }
    });
    expect(first.subscription).toBe("retrying");
    expect(first.message).toMatch(/tries again/);
    expect((await subscriptionAt(s.partner))?.subscriptionId).toBe(subscriptionId);
    expect((await poller.stats()).pendingUnsubscribes).toBeGreaterThanOrEqual(1);
    // Routing stopped at once: an order Amazon still notifies never reaches the document.
    const { orderId } = await placeOrder(s.partner);
    for (let i = 0; i < 5; i++) await poller.pollOnce({ visibilitySeconds: 1 });
    expect(await orderInRoom(s.room, orderId)).toBeNull();
    // The next try (a minute on) reaches Amazon: the subscription is gone.
    const retried = await poller.retryUnsubscribes(Date.now() + 2 * 60_000);
    expect(retried.deleted).toBeGreaterThanOrEqual(1);
    expect(await subscriptionAt(s.partner)).toBeNull();
  });
});
