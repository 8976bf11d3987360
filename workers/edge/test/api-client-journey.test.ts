// An integrator's day with a client generated from our own OpenAPI document: openapi-typescript's
// types (test/generated/consign-api.ts, kept fresh by contract/client-types.test.ts) and openapi-fetch,
// against the edge in workerd with the sandboxes of Amazon and Royal Mail behind it. Every call
// below type-checks against the document, and every answer is checked as an integrator would.
import { exports } from "cloudflare:workers";
import createClient from "openapi-fetch";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { confirmationsAt, control, uniqueSeller } from "./amazon-helpers.ts";
import type { paths } from "./generated/consign-api.ts";
import { signUp } from "./helpers.ts";
import { connectAmazon, drainAlarms } from "./room-helpers.ts";

/** A client as an integrator builds it: the document's server, a Bearer key, our Worker as the network. */
function consignClient(bearer: string) {
  return createClient<paths>({
    baseUrl: "http://edge.test/api/v1",
    headers: { Authorization: `Bearer ${bearer}` },
    fetch: (request: Request) => exports.default.fetch(request),
  });
}

describe("an integrator's journey with a client generated from /api/v1/openapi.json", () => {
  it("lists orders, reads one, buys a label, dispatches, sees it confirmed, follows the change feed and receives a verified webhook", async () => {
    // The seller: signed up, Amazon connected (sandbox), orders imported.
    const owner = await signUp("client-journey");
    const partner = uniqueSeller("A1CLIENT");
    await control(`${partner}/seed`, { orders: 12, historyDays: 2, unshipped: 8, seed: "client-journey" });
    expect(await connectAmazon(owner.accessToken, partner)).toBe("/settings?amazon=connected");
    const ownerApi = consignClient(owner.accessToken);
    await drainAlarms(owner.sellerId, async () => {
      const { data } = await ownerApi.GET("/amazon/status");
      return data?.import?.unshippedComplete === true;
    });

    // The owner makes a write key for the integration: shown once, never listed again.
    const made = await ownerApi.POST("/team/api-keys", {
      body: { name: "Warehouse script", scope: "write" },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(made.response.status, JSON.stringify(made.error)).toBe(201);
    const apiKey = made.data!.key;
    expect(apiKey).toMatch(/^csk_/);
    const listed = await ownerApi.GET("/team/api-keys");
    expect(listed.data!.keys.map((k) => k.name)).toContain("Warehouse script");
    expect(JSON.stringify(listed.data)).not.toContain(apiKey);

    // The owner's set-up the labels need: a dispatch address, SKU weights, a rule, a Royal Mail account.
    const integrator = consignClient(apiKey);
    const first = await integrator.GET("/orders", { params: { query: { state: "new", limit: 50 } } });
    expect(first.response.status, JSON.stringify(first.error)).toBe(200);
    expect(first.response.headers.get("RateLimit-Remaining")).toMatch(/^\d+$/);
    const open = first.data!.orders.filter((o) => !o.cancellationRequested);
    expect(open.length).toBeGreaterThanOrEqual(2);
    const skus = [...new Set(open.flatMap((o) => o.items.map((i) => i.sku)))];
    const settings = await ownerApi.PATCH("/settings", {
      body: {
        sender: { name: "Despatch", line1: "1 Mill Lane", city: "Leeds", postcode: "LS1 1AA" },
        skuWeights: Object.fromEntries(skus.map((s) => [s, 300])),
      },
    });
    expect(settings.response.status, JSON.stringify(settings.error)).toBe(200);
    const rules = await ownerApi.PUT("/rules", {
      body: {
        rules: [
          {
            id: "all",
            when: {},
            use: { courier: "royal-mail", serviceCode: "TPS48", format: "small-parcel" },
          },
        ],
      },
    });
    expect(rules.response.status, JSON.stringify(rules.error)).toBe(200);
    const courierKey = `client-journey-${crypto.randomUUID()}`;
    const courier = await ownerApi.PUT("/couriers/{courier}", {
      params: { path: { courier: "royal-mail" } },
      body: { apiKey: courierKey },
    });
    expect(courier.response.status, JSON.stringify(courier.error)).toBe(200);

    // The integrator listens for labels, dispatches and confirmations (the owner registers the
    // endpoint; the secret is shown once).
    const inbox = `client-journey-${crypto.randomUUID()}`;
    const hook = await ownerApi.POST("/webhooks", {
      body: {
        url: `https://hooks.example.co.uk/_sandbox/receiver/${inbox}`,
        events: ["shipment.created", "order.dispatched", "order.confirmed"],
      },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(hook.response.status, JSON.stringify(hook.error)).toBe(201);
    const secret = hook.data!.secret;

    // Where the feed stands before the integrator does anything.
    let cursor: string | undefined;
    for (;;) {
      const page = await integrator.GET("/changes", { params: { query: { after: cursor, limit: 500 } } });
      expect(page.response.status, JSON.stringify(page.error)).toBe(200);
      cursor = page.data!.nextCursor;
      if (!page.data!.hasMore) break;
    }

    // Read one order in full.
    const orderId = open[0]!.orderId;
    const one = await integrator.GET("/orders/{orderId}", { params: { path: { orderId } } });
    expect(one.response.status, JSON.stringify(one.error)).toBe(200);
    expect(one.data).toMatchObject({ orderId, state: "new", shipments: [] });
    const missing = await integrator.GET("/orders/{orderId}", {
      params: { path: { orderId: "999-0000000-0000000" } },
    });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.error.code).toBe("not_found");
    expect(missing.error?.error.message).toEqual(expect.any(String));

    // Buy its label, twice with the same Idempotency-Key: one run, the second answer replayed.
    const idem = crypto.randomUUID();
    const buy = () =>
      integrator.POST("/labels/runs", {
        body: { orderIds: [orderId] },
        headers: { "Idempotency-Key": idem },
      });
    const run = await buy();
    expect(run.response.status, JSON.stringify(run.error)).toBe(202);
    const again = await buy();
    expect(again.data!.runId).toBe(run.data!.runId);
    expect(again.response.headers.get("Idempotent-Replayed")).toBe("true");
    let finished: { totals: { boughtNow: number }; orders: unknown[] } | undefined;
    await drainAlarms(owner.sellerId, async () => {
      const { data } = await integrator.GET("/labels/runs/{runId}", {
        params: { path: { runId: run.data!.runId } },
      });
      finished = data;
      return data?.state === "finished";
    });
    // A run that finished without its label says why (fresh13 of session 11 once read the order with no shipment).
    expect(finished?.totals.boughtNow, JSON.stringify(finished?.orders)).toBe(1);
    const bought = await integrator.GET("/orders/{orderId}", { params: { path: { orderId } } });
    const tracking = bought.data!.shipments[0]!.trackingNumber;
    expect(tracking).toEqual(expect.any(String));
    expect(bought.data!.revision).toBeGreaterThan(one.data!.revision);
    const label = await integrator.GET("/orders/{orderId}/label", {
      params: { path: { orderId } },
      parseAs: "arrayBuffer",
    });
    expect(label.response.headers.get("content-type")).toContain("application/pdf");
    expect(new TextDecoder().decode(label.data!.slice(0, 5))).toBe("%PDF-");

    // Dispatch it, and follow Amazon's confirmation.
    const dispatched = await integrator.POST("/dispatch", {
      body: { orderIds: [orderId] },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(dispatched.response.status, JSON.stringify(dispatched.error)).toBe(202);
    expect(dispatched.data!.queued).toEqual([orderId]);
    await drainAlarms(owner.sellerId, async () => {
      const { data } = await integrator.GET("/orders/{orderId}/confirmation", {
        params: { path: { orderId } },
      });
      return data?.state === "confirmed";
    });
    expect((await confirmationsAt(partner)).accepted).toBe(1);

    // The change feed has each of our changes to the order, exactly once and in order.
    const feed = await integrator.GET("/changes", { params: { query: { after: cursor, limit: 500 } } });
    expect(feed.response.status, JSON.stringify(feed.error)).toBe(200);
    const ours = feed.data!.changes.filter((c) => c.orderId === orderId);
    const types = ours.map((c) => c.type);
    for (const t of ["shipment.created", "order.dispatched", "order.confirmed"] as const)
      expect(
        types.filter((x) => x === t),
        t,
      ).toHaveLength(1);
    expect(types.indexOf("shipment.created")).toBeLessThan(types.indexOf("order.dispatched"));
    expect(types.indexOf("order.dispatched")).toBeLessThan(types.indexOf("order.confirmed"));
    const revisions = feed.data!.changes.map((c) => c.revision);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    expect(new Set(revisions).size).toBe(revisions.length);
    expect(ours.find((c) => c.type === "shipment.created")!.trackingNumber).toBe(tracking);
    // Read again from where the page ended: nothing new, nothing repeated.
    const after = await integrator.GET("/changes", {
      params: { query: { after: feed.data!.nextCursor, limit: 500 } },
    });
    expect(after.data!.changes.filter((c) => c.orderId === orderId)).toEqual([]);

    // The webhooks arrive, and verify with the Standard Webhooks library and the secret.
    const verifier = new Webhook(secret);
    let received: { type: string; data: { orderId: string; shipments: { trackingNumber: string }[] } }[] = [];
    await drainAlarms(owner.sellerId, async () => {
      const inboxAt = await fetch(`http://127.0.0.1:8788/_sandbox/receiver/${inbox}`);
      const deliveries = (await inboxAt.json()) as { headers: Record<string, string>; body: string }[];
      received = deliveries.map((d) => verifier.verify(d.body, d.headers) as (typeof received)[number]);
      return ["shipment.created", "order.dispatched", "order.confirmed"].every((t) =>
        received.some((r) => r.type === t && r.data.orderId === orderId),
      );
    });
    expect(received.find((r) => r.type === "shipment.created")!.data.shipments[0]!.trackingNumber).toBe(
      tracking,
    );
    // A forged delivery does not verify.
    expect(() =>
      verifier.verify(JSON.stringify({ type: "order.dispatched", data: { orderId } }), {
        "webhook-id": "msg_forged",
        "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
        "webhook-signature": "v1,AAAA",
      }),
    ).toThrow();
    const deliveries = await ownerApi.GET("/webhooks/{id}/deliveries", {
      params: { path: { id: hook.data!.endpoint.id } },
    });
    expect(deliveries.response.status, JSON.stringify(deliveries.error)).toBe(200);

    // Revoked, the key stops at once, with the error shape the document promises.
    const revoked = await ownerApi.DELETE("/team/api-keys/{id}", { params: { path: { id: made.data!.id } } });
    expect(revoked.response.status, JSON.stringify(revoked.error)).toBe(200);
    const refused = await integrator.GET("/orders", { params: { query: {} } });
    expect(refused.response.status).toBe(401);
    expect(refused.error?.error.message).toEqual(expect.any(String));
  }, 90_000);
});
