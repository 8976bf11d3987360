// A corrected delivery address, in workerd against the sandboxes: it sits beside Amazon's (which
// never changes) with who, on which device, when and why; a label goes to it; it cannot change
// under a label already bought; an address the courier would refuse is named field by field.
import { describe, expect, it } from "vitest";
import { call, json } from "./helpers.ts";
import { connectedSeller, drainAlarms, makeLabelReady } from "./room-helpers.ts";

interface Address {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postcode: string;
}
interface ApiOrder {
  orderId: string;
  state: string;
  cancellationRequested: boolean;
  recipient: Address | null;
  addressCorrection: {
    address: Address;
    by: string;
    device: string | null;
    reason: string | null;
    correctedAt: string;
  } | null;
}
type ErrorBody = { error: { code: string; message: string; fields: { path: string; message: string }[] } };

const idem = () => ({ "Idempotency-Key": crypto.randomUUID() });

describe("correcting a delivery address", { timeout: 180_000 }, () => {
  it("keeps Amazon's address, labels the corrected one, names bad fields and refuses once labelled", async () => {
    const { owner, token } = await connectedSeller("address-fix", {
      orders: 12,
      unshipped: 10,
      historyDays: 1,
    });
    const page = await json<{ orders: (ApiOrder & { items: { sku: string }[] })[] }>(
      await call("/api/v1/orders?state=new&limit=50", { token }),
    );
    const skus = [...new Set(page.orders.flatMap((o) => o.items.map((i) => i.sku)))];
    await makeLabelReady(token, skus, `address-${crypto.randomUUID()}`, { serviceCode: "TPS48" });
    const order = page.orders.find((o) => !o.cancellationRequested && o.recipient)!;
    const amazons = order.recipient!;
    const path = `/api/v1/orders/${order.orderId}/address-correction`;

    // An address Royal Mail would refuse: each field named, nothing kept.
    const bad = await call(path, {
      token,
      method: "PUT",
      headers: idem(),
      body: { address: { name: "A Buyer", line1: "x".repeat(120), city: "Leeds", postcode: "NOT A CODE" } },
    });
    expect(bad.status).toBe(400);
    const refusal = await json<ErrorBody>(bad);
    expect(refusal.error.fields.map((f) => f.path).sort()).toEqual(["address.line1", "address.postcode"]);
    expect(refusal.error.message).toMatch(/Royal Mail/);
    expect(
      (await json<ApiOrder>(await call(`/api/v1/orders/${order.orderId}`, { token }))).addressCorrection,
    ).toBe(null);

    // The buyer wrote: flat 3. The correction sits beside Amazon's, with who, device, why.
    const fixed = await call(path, {
      token,
      method: "PUT",
      headers: idem(),
      body: {
        address: {
          name: amazons.name,
          line1: "Flat 3, Mill House",
          line2: "12 Canal Street",
          city: "Leeds",
          postcode: "ls1 4ab",
        },
        reason: "buyer's message: flat number missing",
      },
    });
    expect(fixed.status, await fixed.clone().text()).toBe(200);
    const corrected = await json<ApiOrder>(fixed);
    expect(corrected.recipient).toEqual(amazons);
    expect(corrected.addressCorrection).toMatchObject({
      address: { line1: "Flat 3, Mill House", line2: "12 Canal Street", postcode: "LS1 4AB" },
      by: "address-fix Owner",
      device: "Office laptop",
      reason: "buyer's message: flat number missing",
    });

    // The label goes to the corrected address.
    const started = await call("/api/v1/labels/runs", {
      token,
      headers: idem(),
      body: { orderIds: [order.orderId] },
    });
    expect(started.status).toBe(202);
    const { runId } = await json<{ runId: string }>(started);
    await drainAlarms(
      owner.sellerId,
      async () =>
        (await json<{ state: string }>(await call(`/api/v1/labels/runs/${runId}`, { token }))).state ===
        "finished",
      60_000,
    );
    const labelled = await json<ApiOrder>(await call(`/api/v1/orders/${order.orderId}`, { token }));
    expect(labelled.state).toBe("label_bought");
    const label = new TextDecoder("latin1").decode(
      await (await call(`/api/v1/orders/${order.orderId}/label`, { token })).arrayBuffer(),
    );
    expect(label).toContain("Flat 3, Mill House");
    expect(label).toContain("LS1 4AB");

    // Under a bought label the address stays: void first.
    const late = await call(path, {
      token,
      method: "PUT",
      headers: idem(),
      body: { address: { name: amazons.name, line1: "Flat 4", city: "Leeds", postcode: "LS1 4AB" } },
    });
    expect(late.status).toBe(409);
    expect((await json<ErrorBody>(late)).error.message).toMatch(/void the label first/);
    const undo = await call(path, { token, method: "DELETE", headers: idem() });
    expect(undo.status).toBe(409);
    expect(
      (await json<ApiOrder>(await call(`/api/v1/orders/${order.orderId}`, { token }))).addressCorrection
        ?.address.line1,
    ).toBe("Flat 3, Mill House");
  });

  it("goes back to Amazon's address on DELETE, and refuses a read key", async () => {
    const { token } = await connectedSeller("address-undo", { orders: 6, unshipped: 5, historyDays: 1 });
    const page = await json<{ orders: ApiOrder[] }>(
      await call("/api/v1/orders?state=new&limit=10", { token }),
    );
    const order = page.orders.find((o) => o.recipient)!;
    const path = `/api/v1/orders/${order.orderId}/address-correction`;
    const body = { address: { name: "A Buyer", line1: "2 New Road", city: "York", postcode: "YO1 7HH" } };
    expect((await call(path, { token, method: "PUT", headers: idem(), body })).status).toBe(200);
    const undone = await call(path, { token, method: "DELETE", headers: idem() });
    expect(undone.status).toBe(200);
    const back = await json<ApiOrder>(undone);
    expect(back.addressCorrection).toBe(null);
    expect(back.recipient).toEqual(order.recipient);

    const created = await call("/api/v1/team/api-keys", { token, body: { name: "reader", scope: "read" } });
    expect(created.status, await created.clone().text()).toBe(201);
    const { key } = await json<{ key: string }>(created);
    const refused = await call(path, { token: key, method: "PUT", headers: idem(), body });
    expect(refused.status).toBe(403);
  });
});
