// Label runs take the domain's eligibility rules (the same the PWA's batch check uses), and an
// order's parcel and service are worked out again whenever SKU weights or rules change: in workerd
// against the real SellerRoom and the sandboxes.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { readOrder, writeOrder } from "@consign/sync";
import { describe, expect, it } from "vitest";
import { call, json } from "./helpers.ts";
import { connectedSeller, drainAlarms } from "./room-helpers.ts";

interface ApiOrder {
  orderId: string;
  state: string;
  cancellationRequested: boolean;
  items: { sku: string }[];
  package: { weightGrams: number } | null;
  service: { courier: string; serviceCode: string } | null;
}
interface ApiError {
  error: { code: string; message: string; fields: { path: string; message: string }[] };
}

const putRules = (token: string, use: Record<string, string>) =>
  call("/api/v1/rules", {
    token,
    method: "PUT",
    headers: { "Idempotency-Key": crypto.randomUUID() },
    body: { rules: [{ id: "all", when: {}, use }] },
  });
const startRun = (token: string, orderIds: string[]) =>
  call("/api/v1/labels/runs", {
    token,
    headers: { "Idempotency-Key": crypto.randomUUID() },
    body: { orderIds },
  });

describe("label eligibility and worked-out parcels in the room", () => {
  // A long journey through one room (2–10 s at load 8–12; it passed 30 s once at load 18).
  it("weighs orders when SKU weights arrive after Amazon, re-chooses services when rules change, and refuses what cannot take a label", {
    timeout: 90_000,
  }, async () => {
    const { owner, token } = await connectedSeller("eligible", { orders: 24, unshipped: 20, historyDays: 2 });
    const open = (
      await json<{ orders: ApiOrder[] }>(await call("/api/v1/orders?state=new&limit=100", { token }))
    ).orders.filter((o) => !o.cancellationRequested);
    expect(open.length).toBeGreaterThanOrEqual(5);
    const [a, b, c] = open as [ApiOrder, ApiOrder, ApiOrder];
    expect(a.package).toBeNull();

    // Rules name only services the courier offers, with the field at fault.
    const bad = await putRules(token, { courier: "royal-mail", serviceCode: "CRL24" });
    expect(bad.status).toBe(400);
    const badBody = await json<ApiError>(bad);
    expect(badBody.error.fields[0]?.path).toMatch(/0\.use\.serviceCode$/);
    expect(badBody.error.fields[0]?.message).toContain("TPN24");
    expect(
      (await putRules(token, { courier: "royal-mail", serviceCode: "TPS48", format: "small-parcel" })).status,
    ).toBe(200);

    // No SKU weights yet: the run is refused, naming the SKU to weigh.
    const unweighed = await startRun(token, [a.orderId]);
    expect(unweighed.status).toBe(409);
    const why = await json<ApiError>(unweighed);
    expect(why.error.fields[0]?.message).toContain(a.items[0]!.sku);
    expect(why.error.fields[0]?.message).toContain("Settings → SKU weights");

    // A sender the couriers would refuse is refused here, each field named.
    const badSender = await call("/api/v1/settings", {
      token,
      method: "PATCH",
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: {
        sender: {
          name: "Despatch",
          line1: "x".repeat(300),
          city: "Paris",
          postcode: "75008",
          countryCode: "FR",
        },
      },
    });
    expect(badSender.status).toBe(400);
    const senderErrors = (await json<ApiError>(badSender)).error.fields.map((f) => f.path);
    expect(senderErrors).toEqual(
      expect.arrayContaining(["sender.line1", "sender.countryCode", "sender.postcode"]),
    );
    const hello = await call("/api/v1/settings", {
      token,
      method: "PATCH",
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: { sender: { name: "Despatch", line1: "1 Mill Lane", city: "Leeds", postcode: "HELLO WORLD" } },
    });
    expect(hello.status).toBe(400);

    // Weights entered after connecting Amazon: every open order is weighed and given a service at once.
    const skus = [...new Set(open.flatMap((o) => o.items.map((i) => i.sku)))];
    const patched = await call("/api/v1/settings", {
      token,
      method: "PATCH",
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: {
        sender: { name: "Despatch", line1: "1 Mill Lane", city: "Leeds", postcode: "LS1 1AA" },
        skuWeights: Object.fromEntries(skus.map((s) => [s, 300])),
      },
    });
    expect(patched.status).toBe(200);
    const weighed = await json<ApiOrder>(await call(`/api/v1/orders/${a.orderId}`, { token }));
    expect(weighed.package?.weightGrams).toBeGreaterThanOrEqual(300);
    expect(weighed.service).toMatchObject({ courier: "royal-mail", serviceCode: "TPS48" });

    // Order a gets its own weight and service by hand; an unknown service is refused.
    const override = (body: unknown) =>
      call(`/api/v1/orders/${a.orderId}/shipping`, {
        token,
        method: "PATCH",
        headers: { "Idempotency-Key": crypto.randomUUID() },
        body,
      });
    const wrong = await override({ service: { courier: "evri", serviceCode: "TPN24" } });
    expect(wrong.status).toBe(400);
    expect((await json<ApiError>(wrong)).error.message).toContain("EVRI24");
    const set = await override({
      package: { weightGrams: 4200 },
      service: { courier: "evri", serviceCode: "EVRI24" },
    });
    expect(set.status, await set.clone().text()).toBe(200);
    expect(await json(set)).toMatchObject({
      package: { weightGrams: 4200, source: "entered" },
      service: { courier: "evri", serviceCode: "EVRI24", source: "override" },
    });

    // A rule change re-chooses the service of orders not yet labelled, not of one chosen by hand.
    expect((await putRules(token, { courier: "dpd", serviceCode: "1^12" })).status).toBe(200);
    const rechosen = await json<ApiOrder>(await call(`/api/v1/orders/${b.orderId}`, { token }));
    expect(rechosen.service).toMatchObject({ courier: "dpd", serviceCode: "1^12" });
    const kept = await json<ApiOrder>(await call(`/api/v1/orders/${a.orderId}`, { token }));
    expect(kept.service).toMatchObject({ courier: "evri", serviceCode: "EVRI24" });
    expect(kept.package?.weightGrams).toBe(4200);
    // Handed back: the rules and SKU weights decide again.
    expect((await override({ package: null, service: null })).status).toBe(200);
    const back = await json<ApiOrder>(await call(`/api/v1/orders/${a.orderId}`, { token }));
    expect(back.service).toMatchObject({ courier: "dpd", serviceCode: "1^12" });
    expect(back.package?.weightGrams).toBe(weighed.package?.weightGrams);

    // A run bought through the API downloads as one PDF, one page a label, in the run's order.
    await call("/api/v1/couriers/dpd", {
      token,
      method: "PUT",
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: { username: "eligible", password: "pw", accountNumber: "1234567" },
    });
    const d = open[3]!;
    const bought = await json<{ runId: string }>(await startRun(token, [b.orderId, d.orderId]));
    await drainAlarms(owner.sellerId, async () => {
      const view = await json<{ state: string }>(
        await call(`/api/v1/labels/runs/${bought.runId}`, { token }),
      );
      return view.state === "finished";
    });
    const file = await call(`/api/v1/labels/runs/${bought.runId}/labels.pdf`, { token });
    expect(file.status, await file.clone().text()).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/pdf");
    expect(file.headers.get("consign-labels-included")).toBe("2");
    expect(file.headers.get("consign-labels-missing")).toBe("0");
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    // Bigger than either label alone: both are in it.
    const one = await call(`/api/v1/orders/${b.orderId}/label`, { token });
    expect(bytes.length).toBeGreaterThan((await one.arrayBuffer()).byteLength);
    // Bought again in a new run: reported as bought before, never bought twice.
    const again = await json<{ runId: string }>(await startRun(token, [b.orderId]));
    await drainAlarms(owner.sellerId, async () => {
      const view = await json<{ state: string }>(await call(`/api/v1/labels/runs/${again.runId}`, { token }));
      return view.state === "finished";
    });
    const view = await json<{ totals: Record<string, number>; orders: { status: string }[] }>(
      await call(`/api/v1/labels/runs/${again.runId}`, { token }),
    );
    expect(view.totals).toEqual({ boughtNow: 0, alreadyBought: 1, failed: 0, pending: 0 });
    // The label's cost as the courier charged it (DPD Next Day).
    expect(view.orders[0]).toMatchObject({
      status: "already_bought",
      cost: { amount: "6.95", currencyCode: "GBP" },
    });

    // The buyer asks to cancel order c: the API refuses a run holding it, with the reason, and buys nothing.
    const stub = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(owner.sellerId));
    await runInDurableObject(stub, (instance) => {
      const core = (
        instance as unknown as { core: { sync: { transact(fn: (d: never) => void, o: string): void } } }
      ).core;
      core.sync.transact(
        (d) => writeOrder(d, { orderId: c.orderId, buyerCancellationRequested: true }),
        "import",
      );
    });
    const refused = await startRun(token, [open[4]!.orderId, c.orderId]);
    expect(refused.status).toBe(409);
    const reason = await json<ApiError>(refused);
    expect(reason.error.message).toContain("nothing was bought");
    expect(reason.error.fields).toEqual([
      { path: "orderIds.1", message: expect.stringContaining("buyer asked to cancel") },
    ]);
    const after = await json<ApiOrder>(await call(`/api/v1/orders/${open[4]!.orderId}`, { token }));
    expect(after.state).toBe("new");
    await runInDurableObject(stub, (instance) => {
      const doc = (instance as unknown as { core: { sync: { doc: never } } }).core.sync.doc;
      expect(readOrder(doc, c.orderId)?.shipments).toEqual([]);
    });
  });
});
