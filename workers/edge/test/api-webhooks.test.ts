import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { WebhookOutbox } from "../src/api/webhooks/outbox.ts";
import { deliveryFetch } from "../src/api/webhooks/target.ts";
import { apiHarness, type ErrorJson } from "./api-harness.ts";
import { signUp } from "./helpers.ts";
import { KEY, receiver, resolve } from "./webhook-receiver.ts";

function room(name: string) {
  return env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(name));
}

describe("webhook outbox (in the seller's Durable Object)", () => {
  it("signs each delivery, retries with backoff after a 500 and logs every attempt", async () => {
    await runInDurableObject(room("webhooks-retry"), async (_instance, state) => {
      const outbox = new WebhookOutbox(state.storage.sql, KEY, { resolve });
      const { secret, id } = await outbox.endpoints.create(
        { url: "https://receiver.example/hooks", events: ["order.created", "order.dispatched"] },
        "user_1",
        1_000_000,
      );
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      const { got, fetch } = receiver(() => secret, 1);
      const t0 = 1_700_000_000_000;
      expect(outbox.enqueue({ type: "order.created", occurredAt: t0, data: { orderId: "202-1" } })).toBe(1);
      expect(outbox.nextDueAt()).toBe(t0);

      const next = await outbox.deliverDue(t0, fetch);
      expect(got).toHaveLength(1);
      expect(got[0]!.verified).toBe(true);
      expect(got[0]!.url).toBe("https://receiver.example/hooks");
      expect(got[0]!.headers.get("webhook-timestamp")).toBe(String(t0 / 1000));
      expect(JSON.parse(got[0]!.body)).toEqual({
        type: "order.created",
        timestamp: new Date(t0).toISOString(),
        data: { orderId: "202-1" },
      });
      expect(next).toBe(t0 + 60_000);

      expect(await outbox.deliverDue(t0 + 30_000, fetch)).toBe(t0 + 60_000); // not due yet: nothing sent
      expect(got).toHaveLength(1);

      expect(await outbox.deliverDue(t0 + 60_000, fetch)).toBeNull();
      expect(got).toHaveLength(2);
      expect(got[1]!.verified).toBe(true);
      expect(got[1]!.headers.get("webhook-id")).toBe(got[0]!.headers.get("webhook-id"));
      expect(got[1]!.headers.get("webhook-timestamp")).toBe(String((t0 + 60_000) / 1000));

      const log = outbox.deliveries(id) ?? [];
      expect(log.map((d) => [d.attempt, d.statusCode, d.error === null])).toEqual([
        [2, 200, true],
        [1, 500, false],
      ]);
      expect(log[1]!.error).toMatch(/HTTP 500/);
      expect(outbox.endpoints.get(id)?.status).toBe("active");
    });
  });

  it("stores the signing secret encrypted, seals an old plain-text one when read, and still signs with it", async () => {
    await runInDurableObject(room("webhooks-sealed"), async (_instance, state) => {
      const outbox = new WebhookOutbox(state.storage.sql, KEY, { resolve });
      const { secret, id } = await outbox.endpoints.create(
        { url: "https://r.example/", events: ["order.created"] },
        "u",
        0,
      );
      const stored = () =>
        state.storage.sql
          .exec<{ secret: string }>("SELECT secret FROM webhook_endpoints WHERE id = ?", id)
          .one().secret;
      expect(stored()).not.toContain(secret.slice(6));
      expect(stored()).toMatch(/^enc1\./);
      expect(await outbox.endpoints.secretOf(id)).toBe(secret);
      // A row from before encryption: read, used, and sealed in place.
      state.storage.sql.exec("UPDATE webhook_endpoints SET secret = ? WHERE id = ?", "whsec_old", id);
      const { got, fetch } = receiver(() => "whsec_old", 0);
      outbox.enqueue({ type: "order.created", occurredAt: 0, data: {} });
      await outbox.deliverDue(0, fetch);
      expect(got[0]?.verified).toBe(true);
      expect(stored()).toMatch(/^enc1\./);
      expect(await outbox.endpoints.secretOf(id)).toBe("whsec_old");
      // With another key the secret cannot be read: the attempt says what to do.
      const other = new WebhookOutbox(state.storage.sql, btoa(String.fromCharCode(...new Uint8Array(32))), {
        resolve,
      });
      other.enqueue({ type: "order.created", occurredAt: 0, data: {} });
      await other.deliverDue(10_000_000, fetch);
      expect(other.deliveries(id)?.[0]?.error).toMatch(/encryption key changed\): delete the endpoint/);
    });
  });

  it("gives up after the last attempt and marks the endpoint failing", async () => {
    await runInDurableObject(room("webhooks-give-up"), async (_instance, state) => {
      const outbox = new WebhookOutbox(state.storage.sql, KEY, {
        resolve,
        maxAttempts: 3,
        backoffMs: (n) => 1000 * 2 ** n,
      });
      const { secret, id } = await outbox.endpoints.create(
        { url: "https://down.example/", events: ["order.cancelled"] },
        "u",
        0,
      );
      const { got, fetch } = receiver(() => secret, 99);
      outbox.enqueue({ type: "order.cancelled", occurredAt: 0, data: {} });
      let at: number | null = 0;
      while (at !== null) at = await outbox.deliverDue(at, fetch);
      expect(got).toHaveLength(3);
      const endpoint = outbox.endpoints.get(id);
      expect(endpoint?.status).toBe("failing");
      expect(endpoint?.lastError).toMatch(/Gave up after 3 attempts/);
      expect(outbox.deliveries(id)?.[0]).toMatchObject({ attempt: 3, gaveUp: true, statusCode: 500 });
    });
  });

  it("keeps the delivery log 30 days: older delivered and given-up messages go with their attempts, pending ones stay", async () => {
    await runInDurableObject(room("webhooks-prune"), async (_instance, state) => {
      const outbox = new WebhookOutbox(state.storage.sql, KEY, { resolve, maxAttempts: 1 });
      const ok = await outbox.endpoints.create(
        { url: "https://r.example/", events: ["order.created"] },
        "u",
        0,
      );
      const down = await outbox.endpoints.create(
        { url: "https://down.example/", events: ["order.cancelled"] },
        "u",
        0,
      );
      const good = receiver(() => ok.secret, 0);
      const bad = receiver(() => down.secret, 99);
      const fetch = (url: string, init: RequestInit) =>
        url.startsWith("https://r.example") ? good.fetch(url, init) : bad.fetch(url, init);
      const DAY = 86_400_000;
      const t0 = 1_700_000_000_000;
      // Day 0: one delivered, one given up on. Day 20: one delivered. Day 29: one that keeps failing
      // with a second endpoint whose attempts are not exhausted.
      outbox.enqueue({ type: "order.created", occurredAt: t0, data: { n: 1 } });
      outbox.enqueue({ type: "order.cancelled", occurredAt: t0, data: { n: 2 } });
      await outbox.deliverDue(t0, fetch);
      outbox.enqueue({ type: "order.created", occurredAt: t0 + 20 * DAY, data: { n: 3 } });
      await outbox.deliverDue(t0 + 20 * DAY, fetch);
      expect(outbox.deliveries(ok.id)).toHaveLength(2);
      expect(outbox.deliveries(down.id)).toHaveLength(1);

      // Day 31: the day-0 messages are past 30 days and leave the log; day 20's stays.
      expect(outbox.prune(t0 + 31 * DAY)).toEqual({ messages: 2, attempts: 2 });
      expect(outbox.deliveries(ok.id)?.map((d) => d.at)).toEqual([t0 + 20 * DAY]);
      expect(outbox.deliveries(down.id)).toEqual([]);
      // A pruned message is no longer there to retry: the endpoint's retry finds nothing.
      expect(outbox.retry(down.id, t0 + 31 * DAY)).toEqual({ retried: 0, messageIds: [] });

      // A message still being delivered is never pruned, however old.
      const slow = new WebhookOutbox(state.storage.sql, KEY, { resolve, maxAttempts: 5 });
      slow.enqueue({ type: "order.cancelled", occurredAt: t0 + 32 * DAY, data: { n: 4 } });
      await slow.deliverDue(t0 + 32 * DAY, fetch);
      slow.prune(t0 + 100 * DAY);
      expect(slow.nextDueAt()).not.toBeNull();
      expect(slow.retry(down.id, t0 + 100 * DAY).retried).toBe(1);
    });
  });

  it("records an unreachable endpoint's error and delivers only subscribed events", async () => {
    await runInDurableObject(room("webhooks-filter"), async (_instance, state) => {
      const outbox = new WebhookOutbox(state.storage.sql, KEY, { resolve });
      const { id } = await outbox.endpoints.create(
        { url: "https://x.example/", events: ["order.confirmed"] },
        "u",
        0,
      );
      expect(outbox.enqueue({ type: "order.created", occurredAt: 5, data: {} })).toBe(0);
      expect(outbox.enqueue({ type: "order.confirmed", occurredAt: 5, data: {} })).toBe(1);
      await outbox.deliverDue(5, async () => {
        throw new Error("connection refused");
      });
      expect(outbox.deliveries(id)?.[0]).toMatchObject({
        statusCode: null,
        error: expect.stringMatching(/connection refused/),
      });
      expect(outbox.deleteEndpoint(id)).toBe(true);
      expect(outbox.nextDueAt()).toBeNull();
      expect(outbox.deliveries(id)).toBeNull();
    });
  });
});

describe("webhook endpoints over the API", () => {
  it("lets the owner register, list, read deliveries of and delete an endpoint; the secret is shown once", async () => {
    const { request } = apiHarness();
    const owner = await signUp("hooks-owner");
    const created = await request("/webhooks", {
      body: {
        url: "https://example.co.uk/consign",
        events: ["order.created", "order.created", "shipment.created"],
      },
      token: owner.accessToken,
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as {
      endpoint: { id: string; events: string[]; status: string };
      secret: string;
    };
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.endpoint).toMatchObject({ events: ["order.created", "shipment.created"], status: "active" });

    const list = await (await request("/webhooks", { token: owner.accessToken })).text();
    expect(list).toContain(body.endpoint.id);
    expect(list).not.toContain("whsec_");

    const log = await request(`/webhooks/${body.endpoint.id}/deliveries`, { token: owner.accessToken });
    expect(await log.json()).toEqual({ deliveries: [] });

    expect(
      (await request(`/webhooks/${body.endpoint.id}`, { method: "DELETE", token: owner.accessToken })).status,
    ).toBe(200);
    expect(
      (await request(`/webhooks/${body.endpoint.id}`, { method: "DELETE", token: owner.accessToken })).status,
    ).toBe(404);
    expect(
      (await request(`/webhooks/${body.endpoint.id}/deliveries`, { token: owner.accessToken })).status,
    ).toBe(404);
  });

  it("refuses plain-http URLs and unknown events, naming the fields", async () => {
    const { request } = apiHarness();
    const owner = await signUp("hooks-bad");
    const res = await request("/webhooks", {
      body: { url: "http://example.co.uk/h", events: ["order.exploded"] },
      token: owner.accessToken,
    });
    expect(res.status).toBe(400);
    const fields = ((await res.json()) as ErrorJson).error.fields.map((f) => f.path).sort();
    expect(fields).toEqual(["events.0", "url"]);
  });
});

describe("ApiRoomServices", () => {
  it("emits an order event carrying the order as the API shows it, due at once", async () => {
    const { ApiRoomServices, orderEvent } = await import("../src/api/room-services.ts");
    const { makeOrder } = await import("@consign/domain/testing");
    await runInDurableObject(room("room-services"), async (_instance, state) => {
      const services = new ApiRoomServices(state.storage.sql, KEY, { resolve });
      const { secret } = await services.webhooks.endpoints.create(
        { url: "https://r.example/", events: ["order.dispatched"] },
        "u",
        0,
      );
      const now = Date.UTC(2026, 10, 25, 12);
      const due = services.emit(
        orderEvent("order.dispatched", makeOrder({ orderId: "202-5", state: "dispatched" }), {
          now,
          cutoff: "17:00",
        }),
      );
      expect(due).toBe(now);
      const { got, fetch } = receiver(() => secret, 0);
      expect(await services.webhooks.deliverDue(now, fetch)).toBeNull();
      expect(JSON.parse(got[0]!.body).data).toMatchObject({
        orderId: "202-5",
        state: "dispatched",
        purchasedAt: expect.any(String),
      });
      expect(services.rate.consume("key:k", now).allowed).toBe(true);
      services.prune(now);
    });
  });
});

describe("an order event's risk", () => {
  it("reads the seller's own cut-off, as GET /orders/{id} does, not the default 17:00", async () => {
    const { orderEvent } = await import("../src/api/room-services.ts");
    const { makeOrder } = await import("@consign/domain/testing");
    const now = Date.UTC(2026, 10, 25, 12); // 12:00 UK
    const order = makeOrder({ orderId: "202-6", state: "new", latestShipDate: now + 2 * 3_600_000 });
    // Collected at 13:00, before its ship-by at 14:00: nothing to warn of. With the default 17:00
    // collection it would miss it, and the integrator would be told so wrongly.
    const risk = (cutoff: string) =>
      (orderEvent("order.created", order, { now, cutoff }).data as { shipBy: { risk: string | null } }).shipBy
        .risk;
    expect(risk("13:00")).toBeNull();
    expect(risk("17:00")).toBe("misses_collection");
  });
});

describe("deliveryFetch (local stacks' stand-in receiver)", () => {
  it("sends a webhook for the named host to the local base with its path and query, every other URL as registered", async () => {
    const seen: string[] = [];
    const record = async (url: string) => {
      seen.push(url);
      return new Response(null, { status: 204 });
    };
    const local = deliveryFetch(
      { WEBHOOK_DELIVER_VIA: JSON.stringify({ "Receiver.Consign.example": "http://127.0.0.1:8788/" }) },
      record,
    );
    await local("https://receiver.consign.example/_sandbox/receiver/a?x=1", {});
    await local("https://hooks.example.co.uk/in", {});
    expect(seen).toEqual(["http://127.0.0.1:8788/_sandbox/receiver/a?x=1", "https://hooks.example.co.uk/in"]);
    // Unset (production): the very fetch it was given.
    expect(deliveryFetch({}, record)).toBe(record);
  });
});
