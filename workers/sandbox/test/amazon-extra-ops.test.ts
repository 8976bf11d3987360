import { describe, expect, it } from "vitest";
import {
  type BuyerEventsBody,
  extra,
  json,
  quantityPatch,
  seededSeller,
  UK,
} from "./amazon-extra-helpers.ts";

interface Transactions {
  payload: {
    nextToken?: string;
    transactions: {
      transactionType: string;
      description: string;
      relatedIdentifiers: { relatedIdentifierName: string; relatedIdentifierValue: string }[];
    }[];
  };
}

describe("Finances, Listings Items and Solicitations in the sandbox", () => {
  it("pages refunds, claims and chargebacks for the seller's orders with nextToken", async () => {
    const seller = "AEXTRAFIN1";
    const token = await seededSeller(seller, 400);
    await extra(seller, "faults", { financesPageSize: 3 });
    const after = new Date(Date.now() - 90 * 86_400_000).toISOString();
    const seen: Transactions["payload"]["transactions"] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const q = new URLSearchParams({ postedAfter: after, marketplaceId: UK });
      if (next) q.set("nextToken", next);
      const res = await json(`/finances/2024-06-19/transactions?${q}`, token);
      expect(res.status).toBe(200);
      const body = res.body as Transactions;
      seen.push(...body.payload.transactions);
      next = body.payload.nextToken;
      pages++;
    } while (next);
    expect(pages).toBeGreaterThan(2);
    const events = (await extra(seller, "buyer-events", undefined, "GET")) as BuyerEventsBody;
    const orderOf = (t: Transactions["payload"]["transactions"][number]) =>
      t.relatedIdentifiers.find((r) => r.relatedIdentifierName === "ORDER_ID")?.relatedIdentifierValue;
    const refunds = seen
      .filter((t) => t.transactionType === "Refund")
      .map(orderOf)
      .sort();
    expect(refunds).toEqual(events.refunds.map((r) => r.orderId).sort());
    expect(seen.filter((t) => t.transactionType === "Chargeback").map(orderOf)).toEqual(
      events.chargebacks.map((c) => c.orderId),
    );
    expect(seen.some((t) => t.description.includes("Reversal"))).toBe(true);
    const bad = await json("/finances/2024-06-19/transactions", token);
    expect(bad.status).toBe(400);
  });

  it("accepts a quantity patch and refuses a SKU switched to refuse, with Amazon's issue", async () => {
    const seller = "AEXTRALST1";
    const token = await seededSeller(seller, 10);
    await extra(seller, "faults", { refuseSkus: { "MUG-BLUE": "The SKU is not in your inventory." } });
    const patch = (sku: string, quantity: unknown) =>
      json(`/listings/2021-08-01/items/${seller}/${sku}?marketplaceIds=${UK}`, token, {
        method: "PATCH",
        body: quantityPatch(quantity),
      });
    const ok = await patch("TEA-TOWEL", 7);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ sku: "TEA-TOWEL", status: "ACCEPTED" });
    expect(ok.headers.get("x-amzn-RateLimit-Limit")).toBe("5000");
    const refused = await patch("MUG-BLUE", 3);
    expect(refused.body).toMatchObject({
      status: "INVALID",
      issues: [{ message: "The SKU is not in your inventory.", severity: "ERROR" }],
    });
    const negative = await patch("TEA-TOWEL", -1);
    expect((negative.body as { status: string }).status).toBe("INVALID");
    const other = await json(`/listings/2021-08-01/items/SOMEONEELSE/TEA-TOWEL?marketplaceIds=${UK}`, token, {
      method: "PATCH",
      body: JSON.stringify({
        productType: "PRODUCT",
        patches: [{ op: "delete", path: "/attributes/fulfillment_availability" }],
      }),
    });
    expect(other.status).toBe(403);
    const log = (await extra(seller, "listings", undefined, "GET")) as Record<
      string,
      { quantity: number; status: string }[]
    >;
    expect(log["TEA-TOWEL"]?.[0]).toMatchObject({ quantity: 7, status: "ACCEPTED" });
  });

  it("offers a review request only inside the window and refuses a second one for the same order", async () => {
    const seller = "AEXTRASOL1";
    const token = await seededSeller(seller, 300);
    const orders = (
      await json(
        `/orders/2026-01-01/orders?createdAfter=${new Date(Date.now() - 45 * 86_400_000).toISOString()}&includedData=FULFILLMENT&maxResultsPerPage=100&fulfillmentStatuses=SHIPPED`,
        token,
      )
    ).body as { orders: { orderId: string; fulfillment: { deliverByWindow: { latestDateTime: string } } }[] };
    const day = 86_400_000;
    const age = (o: (typeof orders.orders)[number]) =>
      Date.now() - Date.parse(o.fulfillment.deliverByWindow.latestDateTime);
    const inside = orders.orders.find((o) => age(o) > 10 * day && age(o) < 25 * day);
    const tooOld = orders.orders.find((o) => age(o) > 35 * day);
    expect(inside && tooOld).toBeTruthy();
    const actions = async (id: string) =>
      (
        (await json(`/solicitations/v1/orders/${id}?marketplaceIds=${UK}`, token)).body as {
          _links: { actions: { name: string }[] };
        }
      )._links.actions;
    expect(await actions(inside?.orderId as string)).toEqual([
      expect.objectContaining({ name: "productReviewAndSellerFeedback" }),
    ]);
    expect(await actions(tooOld?.orderId as string)).toEqual([]);
    const send = (id: string) =>
      json(
        `/solicitations/v1/orders/${id}/solicitations/productReviewAndSellerFeedback?marketplaceIds=${UK}`,
        token,
        { method: "POST" },
      );
    const first = await send(inside?.orderId as string);
    expect(first.status).toBe(201);
    const second = await send(inside?.orderId as string);
    expect(second.status).toBe(400);
    expect((second.body as { errors: { message: string }[] }).errors[0]?.message).toMatch(
      /already been sent/,
    );
    expect(await actions(inside?.orderId as string)).toEqual([]);
    expect((await send(tooOld?.orderId as string)).status).toBe(400);
    expect(
      (await json(`/solicitations/v1/orders/202-0000000-0000000?marketplaceIds=${UK}`, token)).status,
    ).toBe(404);
  });
});
