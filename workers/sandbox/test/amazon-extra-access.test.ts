import { describe, expect, it } from "vitest";
import { extra, json, seededSeller, UK } from "./amazon-extra-helpers.ts";
import { CLIENT, connect, control, lwa } from "./amazon-helpers.ts";

const DAY = 86_400_000;
const forbidden = (details: string) => ({
  errors: [{ code: "Unauthorized", message: "Access to requested resource is denied.", details }],
});
const actionsPath = (id: string) => `/solicitations/v1/orders/${id}?marketplaceIds=${UK}`;
const sendPath = (id: string) =>
  `/solicitations/v1/orders/${id}/solicitations/productReviewAndSellerFeedback?marketplaceIds=${UK}`;

/** A shipped order whose review window is open now. */
async function orderInWindow(token: string): Promise<string> {
  const orders = (
    await json(
      `/orders/2026-01-01/orders?createdAfter=${new Date(Date.now() - 45 * DAY).toISOString()}&includedData=FULFILLMENT&maxResultsPerPage=100&fulfillmentStatuses=SHIPPED`,
      token,
    )
  ).body as { orders: { orderId: string; fulfillment: { deliverByWindow: { latestDateTime: string } } }[] };
  const age = (o: (typeof orders.orders)[number]) =>
    Date.now() - Date.parse(o.fulfillment.deliverByWindow.latestDateTime);
  const inside = orders.orders.find((o) => age(o) > 10 * DAY && age(o) < 25 * DAY);
  if (!inside) throw new Error("the demo seed has no order inside the review window");
  return inside.orderId;
}

describe("who may call the extra operations", { timeout: 20_000 }, () => {
  it("refuses a token the sandbox never issued, even one shaped like the seller's", async () => {
    const seller = "AXACCESS1";
    await seededSeller(seller, 20);
    const res = await json("/reports/2021-06-30/reports/1", `Atza|${seller}|made-up-by-a-caller`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual(forbidden("The access token you provided is revoked, malformed or invalid."));
    const malformed = await json(actionsPath("202-1"), "not-a-token");
    expect(malformed.status).toBe(403);
    expect((malformed.body as { errors: { code: string }[] }).errors[0]?.code).toBe("Unauthorized");
  });

  it("refuses another seller's token for this seller's listings, and a revoked one", async () => {
    const seller = "AXACCESS2";
    const token = await seededSeller(seller, 20);
    const other = await seededSeller("AXACCESS3", 20);
    const body = {
      productType: "PRODUCT",
      patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: [] }],
    };
    const patch = (t: string) =>
      json(`/listings/2021-08-01/items/${seller}/MUG?marketplaceIds=${UK}`, t, {
        method: "PATCH",
        body: JSON.stringify(body),
      });
    expect((await patch(other)).status).toBe(403);
    expect((await patch(token)).status).toBe(200);
    await control(`${seller}/revoke`);
    const revoked = await patch(token);
    expect(revoked.status).toBe(403);
    expect(revoked.body).toEqual(
      forbidden("The access token you provided is revoked, malformed or invalid."),
    );
  });

  it("refuses an expired token with Amazon's 403 and accepts the refreshed one", async () => {
    const seller = "AXACCESS4";
    const { refreshToken, accessToken } = await connect(seller);
    await control(`${seller}/seed`, { orders: 20, historyDays: 90, seed: 11, arrivalsPerHour: 0 });
    const transactions = (t: string) =>
      json("/finances/2024-06-19/transactions?postedAfter=2026-01-01T00:00:00Z", t);
    expect((await transactions(accessToken)).status).toBe(200);
    await control(`${seller}/expire-access-tokens`);
    const expired = await transactions(accessToken);
    expect(expired.status).toBe(403);
    expect(expired.body).toEqual(forbidden("The access token you provided has expired."));
    expect(expired.headers.get("x-amzn-RateLimit-Limit")).toBeTruthy();
    const fresh = (await (
      await lwa({ grant_type: "refresh_token", refresh_token: refreshToken, ...CLIENT })
    ).json()) as { access_token: string };
    expect((await transactions(fresh.access_token)).status).toBe(200);
  });
});

describe("lost connections on review requests", { timeout: 20_000 }, () => {
  it("acts on a request whose answer is lost, and refuses the second one it is then sent", async () => {
    const seller = "AXLOST1";
    const token = await seededSeller(seller, 300);
    const id = await orderInWindow(token);
    await extra(seller, "faults", {
      lostAnswers: { next: 1, operations: ["createProductReviewAndSellerFeedbackSolicitation"] },
    });
    await expect(json(sendPath(id), token, { method: "POST" })).rejects.toThrow(/connection reset/);
    // Amazon has it: the action is no longer offered, and a second send is refused.
    const actions = (await json(actionsPath(id), token)).body as { _links: { actions: unknown[] } };
    expect(actions._links.actions).toEqual([]);
    expect((await json(sendPath(id), token, { method: "POST" })).status).toBe(400);
    const seen = (await extra(seller, "solicitations", undefined, "GET")) as {
      sent: { orderId: string }[];
      refused: { orderId: string; reason: string }[];
    };
    expect(seen.sent.map((s) => s.orderId)).toEqual([id]);
    expect(seen.refused).toEqual([expect.objectContaining({ orderId: id, reason: "already sent" })]);
  });

  it("loses a request before Amazon sees it: the action is still offered and nothing was sent", async () => {
    const seller = "AXLOST2";
    const token = await seededSeller(seller, 300);
    const id = await orderInWindow(token);
    await extra(seller, "faults", {
      lostRequests: { next: 1, operations: ["createProductReviewAndSellerFeedbackSolicitation"] },
    });
    await expect(json(sendPath(id), token, { method: "POST" })).rejects.toThrow(/connection reset/);
    const actions = (await json(actionsPath(id), token)).body as { _links: { actions: unknown[] } };
    expect(actions._links.actions).toHaveLength(1);
    expect((await extra(seller, "solicitations", undefined, "GET")) as { sent: unknown[] }).toMatchObject({
      sent: [],
    });
    expect((await json(sendPath(id), token, { method: "POST" })).status).toBe(201);
  });
});
