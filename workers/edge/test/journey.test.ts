import { listOrders, readOrder } from "@consign/sync";
import { describe, expect, it } from "vitest";
import { confirmationsAt, control, uniqueSeller } from "./amazon-helpers.ts";
import { syncClient, until } from "./edge-socket.ts";
import { call, json, signUp } from "./helpers.ts";
import { connectAmazon, drainAlarms } from "./room-helpers.ts";

interface ApiOrder {
  orderId: string;
  state: string;
  cancellationRequested: boolean;
  items: { sku: string }[];
  confirmation: { state: string };
  shipments: { trackingNumber: string }[];
}

describe("a seller's despatch day, end to end in workerd", () => {
  it("connects Amazon, imports, buys and prints labels in bulk, dispatches and gets each confirmed once", async () => {
    const owner = await signUp("journey");
    const token = owner.accessToken;
    const partner = uniqueSeller("A1JOURNEY");
    await control(`${partner}/seed`, { orders: 40, historyDays: 5, unshipped: 30, seed: "journey" });

    // Connect: the owner is sent to Seller Central, consents, and comes back to our callback.
    expect(await connectAmazon(token, partner)).toBe("/settings?amazon=connected");

    // Import runs on the room's alarm: the orders awaiting dispatch arrive.
    const tablet = syncClient(owner.sellerId, token);
    await drainAlarms(owner.sellerId, async () => {
      const status = await json<{ import: { unshippedComplete: boolean } | null }>(
        await call("/api/v1/amazon/status", { token }),
      );
      return status.import?.unshippedComplete === true;
    });
    const page = await json<{ orders: ApiOrder[] }>(
      await call("/api/v1/orders?state=new&limit=100", { token }),
    );
    expect(page.orders.length).toBeGreaterThanOrEqual(20);
    await until(() => listOrders(tablet.doc).length >= page.orders.length, "the tablet to see the import");

    // The owner sets up: dispatch address, SKU weights, one rule, a Royal Mail account.
    const skus = [...new Set(page.orders.flatMap((o) => o.items.map((i) => i.sku)))];
    const settings = await call("/api/v1/settings", {
      token,
      method: "PATCH",
      body: {
        sender: { name: "Despatch", line1: "1 Mill Lane", city: "Leeds", postcode: "LS1 1AA" },
        skuWeights: Object.fromEntries(skus.map((s) => [s, 300])),
      },
    });
    expect(settings.status, await settings.clone().text()).toBe(200);
    const rules = await call("/api/v1/rules", {
      token,
      method: "PUT",
      headers: { "Idempotency-Key": crypto.randomUUID() },
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
    expect(rules.status, await rules.clone().text()).toBe(200);
    const key = `journey-${crypto.randomUUID()}`;
    expect(
      (await call("/api/v1/couriers/royal-mail", { token, method: "PUT", body: { apiKey: key } })).status,
    ).toBe(200);
    const couriers = await json<{ courier: string; connected: boolean }[]>(
      await call("/api/v1/couriers", { token }),
    );
    expect(JSON.stringify(couriers)).not.toContain(key);

    // Buy labels for 12 orders in one run, twice with the same key: one run.
    // Only orders no buyer has asked to cancel: the API refuses those (label eligibility).
    const chosen = page.orders
      .filter((o) => !o.cancellationRequested)
      .slice(0, 12)
      .map((o) => o.orderId);
    expect(chosen).toHaveLength(12);
    const idem = crypto.randomUUID();
    const start = () =>
      call("/api/v1/labels/runs", {
        token,
        body: { orderIds: chosen },
        headers: { "Idempotency-Key": idem },
      });
    const run = await json<{ runId: string }>(await start());
    expect((await json<{ runId: string }>(await start())).runId).toBe(run.runId);
    await drainAlarms(owner.sellerId, async () => {
      const view = await json<{ state: string }>(await call(`/api/v1/labels/runs/${run.runId}`, { token }));
      return view.state === "finished";
    });
    const view = await json<{ orders: { status: string; trackingNumber?: string }[] }>(
      await call(`/api/v1/labels/runs/${run.runId}`, { token }),
    );
    expect(view.orders.map((o) => o.status)).toEqual(chosen.map(() => "bought"));
    const purchases = await json<{ purchases: number }>(
      await fetch(`http://127.0.0.1:8788/_sandbox/couriers/royalmail/accounts/${key}/purchases`),
    );
    expect(purchases.purchases).toBe(12);
    const pdf = await call(`/api/v1/orders/${chosen[0]}/label`, { token });
    expect(pdf.headers.get("content-type")).toContain("application/pdf");
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
    await until(
      () => readOrder(tablet.doc, chosen[0]!)?.state === "label_bought",
      "the tablet to see the label",
    );

    // An integrator listens for dispatches and confirmations (Standard Webhooks).
    const inbox = `journey-${crypto.randomUUID()}`;
    const hook = await json<{ secret: string }>(
      await call("/api/v1/webhooks", {
        token,
        headers: { "Idempotency-Key": crypto.randomUUID() },
        body: {
          // The tests resolve hooks.example.co.uk to a public address; every outbound fetch reaches the sandbox.
          url: `https://hooks.example.co.uk/_sandbox/receiver/${inbox}`,
          events: ["order.dispatched", "order.confirmed"],
        },
      }),
    );
    expect(hook.secret).toMatch(/^whsec_/);

    // Dispatch: the room queues the confirmations and Amazon accepts each exactly once.
    const dispatched = await json<{ queued: string[] }>(
      await call("/api/v1/dispatch", {
        token,
        body: { orderIds: chosen },
        headers: { "Idempotency-Key": crypto.randomUUID() },
      }),
    );
    expect(dispatched.queued).toEqual(chosen);
    await drainAlarms(owner.sellerId, async () => {
      return (await confirmationsAt(partner)).accepted >= chosen.length;
    });
    await drainAlarms(owner.sellerId, async () => {
      const o = await json<ApiOrder>(await call(`/api/v1/orders/${chosen.at(-1)}`, { token }));
      return o.confirmation.state === "confirmed";
    });
    const amazon = await confirmationsAt(partner);
    expect(amazon.accepted).toBe(12);
    expect(amazon.acceptedTwice).toEqual([]);
    await until(
      () => readOrder(tablet.doc, chosen[0]!)?.state === "confirmed",
      "the tablet to see confirmed",
    );
    tablet.destroy();
  }, 60_000);
});
