import { describe, expect, it } from "vitest";
import { connect, control, daysAgo, sp } from "./amazon-helpers.ts";

interface Order {
  orderId: string;
  orderItems: { orderItemId: string; quantityOrdered: number }[];
  fulfillment: { fulfillmentStatus: string };
  packages?: { trackingNumber: string }[];
}

async function unshippedOrder(seller: string): Promise<{ token: string; order: Order }> {
  const { accessToken } = await connect(seller);
  await control(`${seller}/seed`, { orders: 10, unshipped: 5, historyDays: 30, seed: 3, arrivalsPerHour: 0 });
  const res = await sp(
    `/orders/2026-01-01/orders?createdAfter=${daysAgo(3)}&fulfillmentStatuses=UNSHIPPED&includedData=FULFILLMENT`,
    accessToken,
  );
  const page = (await res.json()) as { orders: Order[] };
  return { token: accessToken, order: page.orders[0] as Order };
}

const confirmBody = (order: Order, pkg = "1", carrierCode = "Royal Mail") => ({
  marketplaceId: "A1F83G8C2ARO7P",
  packageDetail: {
    packageReferenceId: pkg,
    carrierCode,
    trackingNumber: "GQ660548056GB",
    shipDate: new Date().toISOString(),
    orderItems: order.orderItems.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantityOrdered })),
  },
});

describe("confirmShipment in the sandbox", { timeout: 30_000 }, () => {
  it("answers 204, marks the order shipped, and refuses a second confirmation of the same package", async () => {
    const { token, order } = await unshippedOrder("ACONFIRM1");
    const path = `/orders/v0/orders/${order.orderId}/shipmentConfirmation`;
    const first = await sp(path, token, { method: "POST", body: JSON.stringify(confirmBody(order)) });
    expect(first.status).toBe(204);
    expect(first.headers.get("x-amzn-RateLimit-Limit")).toBe("2");
    const again = await sp(path, token, { method: "POST", body: JSON.stringify(confirmBody(order)) });
    expect(again.status).toBe(400);
    const err = (await again.json()) as { errors: { code: string; message: string }[] };
    expect(err.errors[0]?.code).toBe("InvalidInput");
    expect(err.errors[0]?.message).toContain("already fulfilled");

    const got = await sp(
      `/orders/2026-01-01/orders/${order.orderId}?includedData=FULFILLMENT,PACKAGES`,
      token,
    );
    const body = (await got.json()) as { order: Order };
    expect(body.order.fulfillment.fulfillmentStatus).toBe("SHIPPED");
    expect(body.order.packages?.[0]?.trackingNumber).toBe("GQ660548056GB");

    const list = (await control("ACONFIRM1/confirmations", undefined, "GET")) as {
      accepted: number;
      refused: number;
      acceptedTwice: string[];
    };
    expect(list).toMatchObject({ accepted: 1, refused: 1, acceptedTwice: [] });
  });

  it("refuses an unknown carrier code, a non-numeric package id and an unknown order", async () => {
    const { token, order } = await unshippedOrder("ACONFIRM2");
    const path = `/orders/v0/orders/${order.orderId}/shipmentConfirmation`;
    const carrier = await sp(path, token, {
      method: "POST",
      body: JSON.stringify(confirmBody(order, "1", "Evri")),
    });
    expect(carrier.status).toBe(400);
    expect(((await carrier.json()) as { errors: { message: string }[] }).errors[0]?.message).toContain(
      'Amazon lists Evri as "Hermes UK"',
    );
    const wrongCase = await sp(path, token, {
      method: "POST",
      body: JSON.stringify(confirmBody(order, "1", "royal mail")),
    });
    expect(wrongCase.status).toBe(400);
    const pkg = await sp(path, token, { method: "POST", body: JSON.stringify(confirmBody(order, "PKG-1")) });
    expect(pkg.status).toBe(400);
    expect(((await pkg.json()) as { errors: { message: string }[] }).errors[0]?.message).toContain(
      "positive numeric",
    );
    const missing = await sp("/orders/v0/orders/202-0000000-0000000/shipmentConfirmation", token, {
      method: "POST",
      body: JSON.stringify(confirmBody(order)),
    });
    expect(missing.status).toBe(404);
    // Evri as Amazon lists it is accepted.
    const evri = await sp(path, token, {
      method: "POST",
      body: JSON.stringify(confirmBody(order, "1", "Hermes UK")),
    });
    expect(evri.status).toBe(204);
  });

  it("accepts updateShipmentStatus and refuses an unknown marketplace with Amazon's error", async () => {
    const { token, order } = await unshippedOrder("ACONFIRM3");
    const path = `/orders/v0/orders/${order.orderId}/shipment`;
    const ok = await sp(path, token, {
      method: "POST",
      body: JSON.stringify({ marketplaceId: "A1F83G8C2ARO7P", shipmentStatus: "ReadyForPickup" }),
    });
    expect(ok.status).toBe(204);
    const bad = await sp(path, token, {
      method: "POST",
      body: JSON.stringify({ marketplaceId: "1", shipmentStatus: "ReadyForPickup" }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      errors: [{ code: "InvalidInput", message: "Marketplace ID is not defined", details: "1001" }],
    });
  });
});
