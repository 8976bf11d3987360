// Returns labels in workerd against the Evri sandbox (Hermes' return orders): refused for an order
// not yet sent and for a courier without returns (Amazon Shipping), bought for a dispatched order, linked to it and
// its original parcel, with the return's own tracking number, listed, and its label downloadable.
import { describe, expect, it } from "vitest";
import { call, json } from "./helpers.ts";
import { buyAndDispatch, connectedSeller, makeLabelReady, writeApi } from "./room-helpers.ts";

interface ApiOrder {
  orderId: string;
  cancellationRequested: boolean;
  items: { sku: string }[];
  shipments: { trackingNumber: string; voidedAt: string | null }[];
}
interface ApiReturn {
  id: string;
  orderId: string;
  courier: string;
  trackingNumber: string | null;
  originalTrackingNumber: string | null;
  format: string;
  reason: string | null;
  labelUrl: string;
}
interface ApiError {
  error: { code: string; message: string; fields: { path: string; message: string }[] };
}

const write = writeApi;

describe("returns labels", { timeout: 90_000 }, () => {
  it("buys an Evri returns label for a dispatched order, linked to it, with its own tracking number", async () => {
    const { owner, token } = await connectedSeller("returns", { orders: 12, unshipped: 10, historyDays: 1 });
    const open = (
      await json<{ orders: ApiOrder[] }>(await call("/api/v1/orders?state=new&limit=100", { token }))
    ).orders.filter((o) => !o.cancellationRequested);
    const [sent, notSent] = open as [ApiOrder, ApiOrder];
    const skus = [...new Set(open.flatMap((o) => o.items.map((i) => i.sku)))];
    await makeLabelReady(token, skus, `ret-${crypto.randomUUID()}`);

    // Not sent yet: no returns label.
    const early = await write(token, `/api/v1/orders/${notSent.orderId}/returns`, {});
    expect(early.status).toBe(409);
    expect((await json<ApiError>(early)).error.message).toContain("Dispatch it first");

    await buyAndDispatch(token, owner.sellerId, sent.orderId);
    const original = (
      await json<ApiOrder>(await call(`/api/v1/orders/${sent.orderId}`, { token }))
    ).shipments.find((s) => s.voidedAt === null)!.trackingNumber;

    // Evri not connected yet: the reason says where to connect it.
    const unconnected = await write(token, `/api/v1/orders/${sent.orderId}/returns`, {});
    expect(unconnected.status).toBe(409);
    expect((await json<ApiError>(unconnected)).error.message).toContain("Evri is not connected");
    // A courier without returns in Consign: told which to use.
    const amazon = await write(token, `/api/v1/orders/${sent.orderId}/returns`, {
      courier: "amazon-shipping",
    });
    expect(amazon.status).toBe(400);
    expect((await json<ApiError>(amazon)).error.message).toContain("choose Royal Mail, DPD or Evri");

    await write(
      token,
      "/api/v1/couriers/evri",
      { username: `ret-${crypto.randomUUID()}`, password: "pw", clientId: "123", clientName: "Acme" },
      "PUT",
    );
    const refundRate = async () =>
      (
        await json<{
          metrics: { metric: string; channel: string; numerator: number; denominator: number }[];
        }>(await call("/api/v1/metrics", { token }))
      ).metrics.find((m) => m.metric === "refundRate" && m.channel === "MFN")!;
    const before = await refundRate();
    const made = await write(token, `/api/v1/orders/${sent.orderId}/returns`, { reason: "Wrong size" });
    expect(made.status, await made.clone().text()).toBe(201);
    // The return counts in the refund rate at once: one more refunded order, the same orders in all.
    const after = await refundRate();
    expect(after).toMatchObject({ numerator: before.numerator + 1, denominator: before.denominator });
    const ret = await json<ApiReturn>(made);
    expect(ret).toMatchObject({
      orderId: sent.orderId,
      courier: "evri",
      originalTrackingNumber: original,
      format: "pdf",
      reason: "Wrong size",
    });
    expect(ret.trackingNumber).toMatch(/^H\d{19}$/);

    const label = await call(ret.labelUrl, { token });
    expect(label.status).toBe(200);
    expect(label.headers.get("content-type")).toBe("application/pdf");
    const text = new TextDecoder().decode(await label.arrayBuffer());
    expect(text.startsWith("%PDF-")).toBe(true);
    expect(text).toContain("RETURN");
    expect(text).toContain("LS1 1AA");

    // A QR code instead, for a buyer without a printer; both listed for the order, oldest first.
    const qr = await json<ApiReturn>(
      await write(token, `/api/v1/orders/${sent.orderId}/returns`, { format: "qr" }),
    );
    expect(qr.format).toBe("qr");
    const png = await call(qr.labelUrl, { token });
    expect(png.headers.get("content-type")).toBe("image/png");
    const listed = await json<{ returns: ApiReturn[] }>(
      await call(`/api/v1/returns?orderId=${sent.orderId}`, { token }),
    );
    expect(listed.returns.map((r) => r.id)).toEqual([ret.id, qr.id]);
    // A second return for the same order is still one refunded order.
    expect(await refundRate()).toMatchObject({ numerator: after.numerator, denominator: after.denominator });
    const all = await json<{ returns: ApiReturn[] }>(await call("/api/v1/returns", { token }));
    expect(all.returns[0]?.id).toBe(qr.id);
  });
});
