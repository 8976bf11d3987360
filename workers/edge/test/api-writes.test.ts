import { HOUR_MS, type Order } from "@consign/domain";
import { makeOrder } from "@consign/domain/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { apiHarness, type ErrorJson, sellerWithKeys } from "./api-harness.ts";
import { addMember } from "./helpers.ts";

const { fakes, request } = apiHarness();
let a: Awaited<ReturnType<typeof sellerWithKeys>>;
let b: Awaited<ReturnType<typeof sellerWithKeys>>;

const A1 = "202-1111111-0000001";
const A2 = "202-1111111-0000002";
const B1 = "202-2222222-0000001";

function labelled(orderId: string, state: Order["state"] = "printed"): Order {
  return makeOrder({
    orderId,
    state,
    shipments: [
      {
        id: `${orderId}:0`,
        courier: "royal-mail",
        serviceCode: "TPN24",
        trackingNumber: "GQ660548056GB",
        amazonCarrierCode: "Royal Mail",
        boughtAt: Date.now() - HOUR_MS,
        labelRef: `labels/${orderId}`,
      },
    ],
  });
}

beforeAll(async () => {
  [a, b] = await Promise.all([sellerWithKeys("writer-a"), sellerWithKeys("writer-b")]);
  fakes.for(a.owner.sellerId).add(makeOrder({ orderId: A1, state: "ready" }), labelled(A2));
  fakes
    .for(a.owner.sellerId)
    .labels.set(A2, { bytes: new TextEncoder().encode("%PDF-1.7 fake"), contentType: "application/pdf" });
  fakes.for(b.owner.sellerId).add(makeOrder({ orderId: B1, state: "ready" }));
});

describe("labels", () => {
  it("starts a label run with 202 and a run id, then reports its progress", async () => {
    const res = await request("/labels/runs", { body: { orderIds: [A1] }, token: a.writeKey });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    const run = await request(`/labels/runs/${runId}`, { token: a.readKey });
    expect(await run.json()).toMatchObject({
      runId,
      state: "running",
      orders: [{ orderId: A1, status: "queued", error: null }],
    });
  });

  it("buys one label run for a repeated Idempotency-Key and replays the first answer", async () => {
    const fake = fakes.for(a.owner.sellerId);
    const before = fake.calls.startLabelRun;
    const send = () =>
      request("/labels/runs", {
        body: { orderIds: [A1] },
        token: a.writeKey,
        headers: { "Idempotency-Key": "buy-once-1" },
      });
    const first = await send();
    const second = await send();
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(await second.json()).toEqual(await first.json());
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect(fake.calls.startLabelRun - before).toBe(1);
    expect(fake.labelRunKeys.at(-1)).toBe("buy-once-1");
  });

  it("refuses the same Idempotency-Key with a different body (422) and while the first is running (409)", async () => {
    const fake = fakes.for(a.owner.sellerId);
    const headers = { "Idempotency-Key": "buy-once-2" };
    expect(
      (await request("/labels/runs", { body: { orderIds: [A1] }, token: a.writeKey, headers })).status,
    ).toBe(202);
    const other = await request("/labels/runs", { body: { orderIds: [A2] }, token: a.writeKey, headers });
    expect(other.status).toBe(422);
    expect(((await other.json()) as ErrorJson).error.message).toMatch(
      /already used with a different request/,
    );

    fake.labelRunDelayMs = 300;
    const slowHeaders = { "Idempotency-Key": "buy-slow" };
    const slow = request("/labels/runs", {
      body: { orderIds: [A1] },
      token: a.writeKey,
      headers: slowHeaders,
    });
    await new Promise((r) => setTimeout(r, 50));
    const meanwhile = await request("/labels/runs", {
      body: { orderIds: [A1] },
      token: a.writeKey,
      headers: slowHeaders,
    });
    fake.labelRunDelayMs = 0;
    expect(meanwhile.status).toBe(409);
    expect(Number(meanwhile.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await slow).status).toBe(202);
  });

  it("lets a caller retry a malformed request with the same key once it is fixed", async () => {
    const headers = { "Idempotency-Key": "fix-and-retry" };
    expect(
      (await request("/labels/runs", { body: { orderIds: [] }, token: a.writeKey, headers })).status,
    ).toBe(400);
    expect(
      (await request("/labels/runs", { body: { orderIds: [A1] }, token: a.writeKey, headers })).status,
    ).toBe(202);
  });

  it("serves the label document and voids the label", async () => {
    const pdf = await request(`/orders/${A2}/label`, { token: a.readKey });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("Content-Type")).toBe("application/pdf");
    expect(new TextDecoder().decode(await pdf.arrayBuffer())).toBe("%PDF-1.7 fake");
    const voided = await request(`/orders/${A2}/void-label`, { method: "POST", token: a.writeKey });
    expect(voided.status).toBe(200);
    expect(await voided.json()).toEqual({ orderId: A2, voidedShipmentId: `${A2}:0` });
    const again = await request(`/orders/${A2}/void-label`, { method: "POST", token: a.writeKey });
    expect(again.status).toBe(409);
    expect((await request(`/orders/${A1}/label`, { token: a.readKey })).status).toBe(404);
  });
});

describe("dispatch", () => {
  it("queues confirmations for dispatched orders and refuses the rest with a reason", async () => {
    const fake = fakes.for(a.owner.sellerId);
    fake.add(labelled("202-1111111-0000009", "printed"));
    const res = await request("/dispatch", {
      body: { orderIds: ["202-1111111-0000009", A1] },
      token: a.writeKey,
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { queued: string[]; refused: { orderId: string; reason: string }[] };
    expect(body.queued).toEqual(["202-1111111-0000009"]);
    expect(body.refused[0]).toMatchObject({ orderId: A1 });
    const conf = await request("/orders/202-1111111-0000009/confirmation", { token: a.readKey });
    expect(await conf.json()).toMatchObject({ state: "pending" });
  });

  it("answers each order, and 409 naming each one when every order was refused", async () => {
    fakes.for(a.owner.sellerId).add(labelled("202-1111111-0000010", "printed"));
    const mixed = await request("/dispatch", {
      body: { orderIds: [A1, "202-1111111-0000010"] },
      token: a.writeKey,
    });
    expect(mixed.status).toBe(202);
    expect(((await mixed.json()) as { results: unknown[] }).results).toEqual([
      { orderId: A1, status: "refused", reason: expect.any(String) },
      { orderId: "202-1111111-0000010", status: "queued", reason: null },
    ]);
    const none = await request("/dispatch", {
      body: { orderIds: [A1, "202-1111111-9999999"] },
      token: a.writeKey,
    });
    expect(none.status).toBe(409);
    const body = (await none.json()) as ErrorJson;
    expect(body.error.fields.map((f) => f.path)).toEqual(["orderIds.0", "orderIds.1"]);
    expect(body.error.fields.every((f) => f.message.length > 0)).toBe(true);
  });
});

describe("who may do what", () => {
  it("refuses every write to a read key with 403 and calls nothing", async () => {
    const fake = fakes.for(a.owner.sellerId);
    const before = { ...fake.calls };
    const writes: [string, string, unknown][] = [
      ["POST", "/labels/runs", { orderIds: [A1] }],
      ["POST", `/orders/${A1}/void-label`, undefined],
      ["POST", "/dispatch", { orderIds: [A1] }],
      ["PUT", "/rules", { rules: [] }],
      ["POST", "/webhooks", { url: "https://example.co.uk/h", events: ["order.created"] }],
    ];
    for (const [method, path, body] of writes) {
      const res = await request(path, { method, body, token: a.readKey });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as ErrorJson).error.code).toBe("forbidden");
    }
    expect(fake.calls).toEqual(before);
  });

  it("keeps webhooks to the owner: a write key and a packer are refused", async () => {
    const packer = await addMember(a.owner, "packer", "hooks-packer");
    expect((await request("/webhooks", { token: a.writeKey })).status).toBe(403);
    expect((await request("/webhooks", { token: packer.accessToken })).status).toBe(403);
    expect((await request("/webhooks", { token: a.owner.accessToken })).status).toBe(200);
  });

  it("never lets seller A's key read or write seller B's orders", async () => {
    const read = await request(`/orders/${B1}`, { token: a.readKey });
    expect(read.status).toBe(404);
    const list = (await (await request("/orders", { token: a.readKey })).json()) as {
      orders: { orderId: string }[];
    };
    expect(list.orders.map((o) => o.orderId)).not.toContain(B1);
    const bBefore = fakes.for(b.owner.sellerId).calls.startLabelRun;
    const buy = await request("/labels/runs", { body: { orderIds: [B1] }, token: a.writeKey });
    expect(buy.status).toBe(404);
    expect(((await buy.json()) as ErrorJson).error.fields).toEqual([
      { path: "orderIds.0", message: "not found" },
    ]);
    expect(fakes.for(b.owner.sellerId).calls.startLabelRun).toBe(bBefore);
    const dispatch = await request("/dispatch", { body: { orderIds: [B1] }, token: a.writeKey });
    expect(dispatch.status).toBe(409);
    expect(((await dispatch.json()) as ErrorJson).error.fields.map((f) => f.path)).toEqual(["orderIds.0"]);
    expect(fakes.for(b.owner.sellerId).orders.get(B1)?.state).toBe("ready");
  });

  it("scopes Idempotency-Keys to the caller: B's key of the same name runs B's own request", async () => {
    const headers = { "Idempotency-Key": "shared-name" };
    expect(
      (await request("/labels/runs", { body: { orderIds: [A1] }, token: a.writeKey, headers })).status,
    ).toBe(202);
    expect(
      (await request("/labels/runs", { body: { orderIds: [B1] }, token: b.writeKey, headers })).status,
    ).toBe(202);
  });
});

describe("malformed bodies", () => {
  it("answers 400 with each field at fault", async () => {
    const res = await request("/labels/runs", {
      body: { orderIds: ["ok-1", "bad id!", "ok-1"], extra: 1 },
      token: a.writeKey,
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe("bad_request");
    expect(body.error.fields.map((f) => f.path)).toEqual(expect.arrayContaining(["orderIds.1", "orderIds"]));
  });

  it("answers a body that is not JSON with 400 naming the body", async () => {
    const res = await request("/dispatch", { body: "{not json", token: a.writeKey });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorJson).error.fields[0]?.path).toBe("(body)");
  });

  it("answers a missing body with 400", async () => {
    const res = await request("/dispatch", {
      method: "POST",
      token: a.writeKey,
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
  });

  it("validates shipping rules with the domain's schema, naming the rule field", async () => {
    const bad = await request("/rules", {
      method: "PUT",
      body: {
        rules: [
          {
            id: "r1",
            when: { weightGrams: { min: 500, max: 100 } },
            use: { courier: "parcelnet", serviceCode: "X" },
          },
        ],
      },
      token: a.writeKey,
    });
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as ErrorJson).error.fields.map((f) => f.path).sort();
    expect(paths).toEqual(["rules.0.use.courier", "rules.0.when.weightGrams.min"]);
  });
});

describe("rules", () => {
  it("replaces and reads back the shipping rules", async () => {
    const rules = [
      {
        id: "small",
        when: { weightGrams: { max: 750 } },
        use: { courier: "royal-mail", serviceCode: "TPN24" },
      },
    ];
    const put = await request("/rules", { method: "PUT", body: { rules }, token: a.writeKey });
    expect(put.status).toBe(200);
    const got = (await (await request("/rules", { token: a.readKey })).json()) as {
      rules: { id: string; enabled: boolean }[];
    };
    expect(got.rules).toEqual([{ ...rules[0], enabled: true }]);
  });
});

describe("metrics", () => {
  it("lists every metric with its window as ISO times", async () => {
    const res = await request("/metrics", { token: a.readKey });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { metrics: { metric: string; from: string; status: string }[] };
    expect(body.metrics.map((m) => m.metric)).toContain("lateDispatchRate10");
    expect(body.metrics[0]!.from).toMatch(/Z$/);
  });

  it("gives seller-fulfilled and FBA figures apart, each window starting at 00:00 UTC", async () => {
    const res = await request("/metrics", { token: a.readKey });
    const body = (await res.json()) as {
      metrics: { metric: string; channel: string; from: string; parts?: Record<string, number> }[];
    };
    const keys = body.metrics.map((m) => `${m.channel}:${m.metric}`);
    expect(keys).toContain("MFN:lateDispatchRate10");
    expect(keys).toContain("MFN:validTrackingRate");
    expect(keys).toContain("AFN:orderDefectRate");
    // Amazon reports only the Order Defect Rate for FBA orders
    expect(keys.filter((k) => k.startsWith("AFN:"))).toEqual(["AFN:orderDefectRate"]);
    for (const m of body.metrics) expect(m.from).toMatch(/T00:00:00\.000Z$/);
    for (const m of body.metrics.filter((x) => x.metric === "orderDefectRate"))
      expect(Object.keys(m.parts ?? {}).sort()).toEqual(["chargebacks", "claims", "negativeFeedback"]);
  });
});
