// Rotating a webhook endpoint's signing secret and retrying deliveries, as an integrator sees them:
// a receiver that holds only the old secret, or only the new one, keeps verifying through the grace
// period and only the new one verifies after it; a delivery given up on is sent again with its
// first webhook-id. Time is the room's clock (the `now` the room hands the outbox), never a sleep.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { WebhookOutbox } from "../src/api/webhooks/outbox.ts";
import type { ErrorJson } from "./api-harness.ts";
import { apiKey } from "./api-harness.ts";
import { call, json, signUp } from "./helpers.ts";
import { KEY, type Received, resolve, verify } from "./webhook-receiver.ts";

const HOUR = 60 * 60 * 1000;

function room(name: string) {
  return env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(name));
}

/** A receiver that answers `status()` and records every delivery. */
function endpoint(status: () => number = () => 200) {
  const got: Received[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    const headers = new Headers(init.headers);
    got.push({ url, headers, body: String(init.body), verified: false });
    return new Response(null, { status: status() });
  };
  return { got, fetch };
}

const signatures = (r: Received) => (r.headers.get("webhook-signature") ?? "").split(" ");

describe("rotating a webhook secret (in the seller's Durable Object)", () => {
  it("signs with the old and the new secret for 24 hours, then with the new one only", async () => {
    await runInDurableObject(room("rotate-grace"), async (_instance, state) => {
      const outbox = new WebhookOutbox(state.storage.sql, KEY, { resolve });
      const t0 = Date.now();
      const { id, secret: old } = await outbox.endpoints.create(
        { url: "https://receiver.example/hooks", events: ["order.dispatched"] },
        "u",
        t0,
      );
      const rotated = await outbox.endpoints.rotate(id, t0);
      expect(rotated.secret).toMatch(/^whsec_/);
      expect(rotated.secret).not.toBe(old);
      expect(rotated).toMatchObject({ secretRotatedAt: t0, previousSecretExpiresAt: t0 + 24 * HOUR });
      expect(await outbox.endpoints.secretOf(id)).toBe(rotated.secret);

      const { got, fetch } = endpoint();
      // During the grace period: two signatures, and a receiver with either secret accepts.
      outbox.enqueue({ type: "order.dispatched", occurredAt: t0, data: { orderId: "202-1" } });
      await outbox.deliverDue(t0, fetch);
      const during = got[0]!;
      expect(signatures(during)).toHaveLength(2);
      expect(await verify(old, during.headers, during.body)).toBe(true);
      expect(await verify(rotated.secret, during.headers, during.body)).toBe(true);
      expect(
        await verify("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", during.headers, during.body),
      ).toBe(false);
      // The Standard Webhooks library, as an integrator would run it, accepts it with either secret.
      const headers = Object.fromEntries(during.headers);
      expect(new Webhook(old).verify(during.body, headers)).toMatchObject({ type: "order.dispatched" });
      expect(new Webhook(rotated.secret).verify(during.body, headers)).toMatchObject({
        type: "order.dispatched",
      });

      // An hour before the end of the grace period: still both.
      const late = t0 + 23 * HOUR;
      outbox.enqueue({ type: "order.dispatched", occurredAt: late, data: {} });
      await outbox.deliverDue(late, fetch);
      expect(await verify(old, got[1]!.headers, got[1]!.body)).toBe(true);

      // After it: only the new secret signs, and the old one is forgotten.
      const after = t0 + 24 * HOUR;
      outbox.enqueue({ type: "order.dispatched", occurredAt: after, data: {} });
      await outbox.deliverDue(after, fetch);
      const later = got[2]!;
      expect(signatures(later)).toHaveLength(1);
      expect(await verify(old, later.headers, later.body)).toBe(false);
      expect(await verify(rotated.secret, later.headers, later.body)).toBe(true);
      expect(outbox.endpoints.get(id, after)?.previousSecretExpiresAt).toBeNull();
      const kept = state.storage.sql
        .exec<{ previous_secret: string | null }>(
          "SELECT previous_secret FROM webhook_endpoints WHERE id = ?",
          id,
        )
        .one();
      expect(kept.previous_secret).toBeNull();
    });
  });

  it("stops the old secret at once with a grace of 0, and never lets more than two secrets sign", async () => {
    await runInDurableObject(room("rotate-now"), async (_instance, state) => {
      const outbox = new WebhookOutbox(state.storage.sql, KEY, { resolve });
      const t0 = 1_800_000_000_000;
      const { id, secret: first } = await outbox.endpoints.create(
        { url: "https://r.example/", events: ["order.created"] },
        "u",
        t0,
      );
      const second = await outbox.endpoints.rotate(id, t0 + 1000, 2 * HOUR);
      const third = await outbox.endpoints.rotate(id, t0 + 2000);
      const { got, fetch } = endpoint();
      outbox.enqueue({ type: "order.created", occurredAt: t0 + 3000, data: {} });
      await outbox.deliverDue(t0 + 3000, fetch);
      expect(signatures(got[0]!)).toHaveLength(2);
      expect(await verify(third.secret, got[0]!.headers, got[0]!.body)).toBe(true);
      expect(await verify(second.secret, got[0]!.headers, got[0]!.body)).toBe(true);
      expect(await verify(first, got[0]!.headers, got[0]!.body)).toBe(false);

      // A leaked secret: rotated with no grace, it stops at once.
      const fourth = await outbox.endpoints.rotate(id, t0 + 4000, 0);
      expect(fourth.previousSecretExpiresAt).toBeNull();
      outbox.enqueue({ type: "order.created", occurredAt: t0 + 5000, data: {} });
      await outbox.deliverDue(t0 + 5000, fetch);
      expect(signatures(got[1]!)).toHaveLength(1);
      expect(await verify(third.secret, got[1]!.headers, got[1]!.body)).toBe(false);
      expect(await verify(fourth.secret, got[1]!.headers, got[1]!.body)).toBe(true);

      await expect(outbox.endpoints.rotate("whep_nope", t0)).rejects.toThrow(/No webhook endpoint whep_nope/);
      await expect(outbox.endpoints.rotate(id, t0, 200 * HOUR)).rejects.toThrow(/0 to 168 hours/);
    });
  });
});

describe("retrying webhook deliveries (in the seller's Durable Object)", () => {
  it("sends a delivery given up on again with its first webhook-id, and the endpoint recovers", async () => {
    await runInDurableObject(room("retry-backlog"), async (_instance, state) => {
      const outbox = new WebhookOutbox(state.storage.sql, KEY, {
        resolve,
        maxAttempts: 2,
        backoffMs: () => 1000,
      });
      const { id, secret } = await outbox.endpoints.create(
        { url: "https://down.example/", events: ["order.dispatched", "order.cancelled"] },
        "u",
        0,
      );
      let up = false;
      const { got, fetch } = endpoint(() => (up ? 204 : 503));
      outbox.enqueue({ type: "order.dispatched", occurredAt: 0, data: { orderId: "202-7" } });
      outbox.enqueue({ type: "order.cancelled", occurredAt: 0, data: { orderId: "202-8" } });
      // After the first attempts: both wait for their next one, and a retry would send them now.
      expect(await outbox.deliverDue(0, fetch)).toBe(1000);
      expect(outbox.endpoints.get(id)).toMatchObject({ failedDeliveries: 0, waitingDeliveries: 2 });
      let at: number | null = 1000;
      while (at !== null) at = await outbox.deliverDue(at, fetch);
      expect(got).toHaveLength(4);
      expect(outbox.endpoints.get(id)).toMatchObject({
        status: "failing",
        failedDeliveries: 2,
        waitingDeliveries: 0,
      });
      const log = outbox.deliveries(id) ?? [];
      expect(log.every((d) => d.messageState === "failed")).toBe(true);
      const firstIds = [...new Set(got.map((g) => g.headers.get("webhook-id")))];
      expect(firstIds).toHaveLength(2);

      // Nothing more is sent on its own.
      expect(outbox.nextDueAt()).toBeNull();

      // The receiver is mended; the owner retries the backlog.
      up = true;
      const now = 50_000;
      const retried = outbox.retry(id, now);
      expect(retried.retried).toBe(2);
      expect(new Set(retried.messageIds)).toEqual(new Set(firstIds));
      expect(outbox.nextDueAt()).toBe(now);
      expect(await outbox.deliverDue(now, fetch)).toBeNull();
      const resent = got.slice(4);
      expect(resent.map((g) => g.headers.get("webhook-id")).sort()).toEqual([...firstIds].sort());
      for (const g of resent) expect(await verify(secret, g.headers, g.body)).toBe(true);
      expect(resent.map((g) => g.headers.get("webhook-timestamp"))).toEqual(["50", "50"]);
      expect(outbox.endpoints.get(id)).toMatchObject({
        status: "active",
        failedDeliveries: 0,
        waitingDeliveries: 0,
      });
      expect(outbox.deliveries(id)?.[0]).toMatchObject({
        attempt: 3,
        statusCode: 204,
        messageState: "delivered",
      });

      // A delivered message is not sent twice; an unknown one is named.
      expect(() => outbox.retry(id, now, firstIds[0]!)).toThrow(/already reached the endpoint/);
      expect(() => outbox.retry(id, now, "msg_unknown")).toThrow(/No delivery msg_unknown/);
      expect(() => outbox.retry("whep_gone", now)).toThrow(/No webhook endpoint whep_gone/);
      expect(outbox.retry(id, now)).toEqual({ retried: 0, messageIds: [] });
    });
  });

  it("retries one message now, and a retried message that fails again gets a fresh round of attempts", async () => {
    await runInDurableObject(room("retry-one"), async (_instance, state) => {
      const outbox = new WebhookOutbox(state.storage.sql, KEY, {
        resolve,
        maxAttempts: 2,
        backoffMs: () => 1000,
      });
      const { id } = await outbox.endpoints.create(
        { url: "https://x.example/", events: ["order.created"] },
        "u",
        0,
      );
      const { got, fetch } = endpoint(() => 500);
      outbox.enqueue({ type: "order.created", occurredAt: 0, data: { n: 1 } });
      outbox.enqueue({ type: "order.created", occurredAt: 0, data: { n: 2 } });
      let at: number | null = 0;
      while (at !== null) at = await outbox.deliverDue(at, fetch);
      const one = got[0]!.headers.get("webhook-id")!;
      expect(outbox.retry(id, 10_000, one)).toEqual({ retried: 1, messageIds: [one] });
      at = 10_000;
      while (at !== null) at = await outbox.deliverDue(at, fetch);
      const again = got.slice(4);
      // Two more attempts (a fresh round), only of that message, the same id each time.
      expect(again.map((g) => g.headers.get("webhook-id"))).toEqual([one, one]);
      expect(outbox.deliveries(id)?.[0]).toMatchObject({ attempt: 4, gaveUp: true, messageState: "failed" });
      expect(outbox.endpoints.get(id)?.lastError).toMatch(/Gave up after 2 attempts/);
    });
  });
});

describe("rotation and retry over the API (the real Worker and room)", () => {
  type Endpoint = {
    id: string;
    secretRotatedAt: string | null;
    previousSecretExpiresAt: string | null;
    failedDeliveries: number;
  };

  it("rotates for the owner, shows the new secret once and when the old one stops", async () => {
    const owner = await signUp("rotate-api");
    const made = await json<{ endpoint: Endpoint; secret: string }>(
      await call("/api/v1/webhooks", {
        body: { url: "https://hooks.example.co.uk/consign", events: ["order.created"] },
        token: owner.accessToken,
      }),
    );
    expect(made.endpoint).toMatchObject({
      secretRotatedAt: null,
      previousSecretExpiresAt: null,
      failedDeliveries: 0,
    });

    const before = Date.now();
    const res = await call(`/api/v1/webhooks/${made.endpoint.id}/rotate-secret`, {
      method: "POST",
      token: owner.accessToken,
      headers: { "Idempotency-Key": "rotate-1" },
    });
    expect(res.status).toBe(200);
    const rotated = await json<{ endpoint: Endpoint; secret: string }>(res);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(made.secret);
    const until = Date.parse(rotated.endpoint.previousSecretExpiresAt ?? "");
    expect(until - before).toBeGreaterThanOrEqual(24 * HOUR - 1000);
    expect(until - before).toBeLessThanOrEqual(24 * HOUR + 60_000);

    // A retried tap with the same key gets the same answer, not a third secret.
    const replay = await call(`/api/v1/webhooks/${made.endpoint.id}/rotate-secret`, {
      method: "POST",
      token: owner.accessToken,
      headers: { "Idempotency-Key": "rotate-1" },
    });
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await json<{ secret: string }>(replay)).secret).toBe(rotated.secret);

    const list = await (await call("/api/v1/webhooks", { token: owner.accessToken })).text();
    expect(list).not.toContain("whsec_");
    expect(list).toContain(rotated.endpoint.previousSecretExpiresAt!);

    const now = await json<{ endpoint: Endpoint }>(
      await call(`/api/v1/webhooks/${made.endpoint.id}/rotate-secret`, {
        body: { graceHours: 0 },
        token: owner.accessToken,
      }),
    );
    expect(now.endpoint.previousSecretExpiresAt).toBeNull();

    const tooLong = await call(`/api/v1/webhooks/${made.endpoint.id}/rotate-secret`, {
      body: { graceHours: 500 },
      token: owner.accessToken,
    });
    expect(tooLong.status).toBe(400);
    expect((await json<ErrorJson>(tooLong)).error.fields.map((f) => f.path)).toEqual(["graceHours"]);

    const unknown = await call("/api/v1/webhooks/whep_nope/rotate-secret", {
      method: "POST",
      token: owner.accessToken,
    });
    expect(unknown.status).toBe(404);
  });

  it("retries from the API: nothing to send is said, an unknown delivery is 404, and keys may not", async () => {
    const owner = await signUp("retry-api");
    const { endpoint: made } = await json<{ endpoint: Endpoint }>(
      await call("/api/v1/webhooks", {
        body: { url: "https://hooks.example.co.uk/consign", events: ["order.created"] },
        token: owner.accessToken,
      }),
    );
    const all = await call(`/api/v1/webhooks/${made.id}/retry`, { method: "POST", token: owner.accessToken });
    expect(all.status).toBe(200);
    expect(await all.json()).toEqual({ retried: 0, messageIds: [] });

    const one = await call(`/api/v1/webhooks/${made.id}/messages/msg_nope/retry`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(one.status).toBe(404);
    expect((await json<ErrorJson>(one)).error.message).toMatch(/delivery log/);

    const key = await apiKey(owner, "write");
    for (const path of [`/api/v1/webhooks/${made.id}/retry`, `/api/v1/webhooks/${made.id}/rotate-secret`]) {
      const refused = await call(path, { method: "POST", token: key });
      expect(refused.status, path).toBe(403);
    }
  });
});
