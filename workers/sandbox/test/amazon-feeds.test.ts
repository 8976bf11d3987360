// The sandbox's Feeds API, played as Amazon plays it for the order acknowledgement feed: document,
// upload to a presigned URL, feed, processing, report. A buyer-requested cancellation lands on the
// order (the Orders API then says CANCELLED, the buyer's request kept) and is recorded as such.
import { describe, expect, it } from "vitest";
import { json, seededSeller, UK } from "./amazon-extra-helpers.ts";
import { call, connect, control } from "./amazon-helpers.ts";

const XML = "text/xml; charset=UTF-8";
const DAY = 86_400_000;

interface WireItem {
  orderItemId: string;
  cancellation?: {
    cancellationRequest?: { requester: string; cancelReason: string };
    cancellationExecution?: { cancelledBy: string; cancelReason: string };
  };
}
interface WireOrder {
  orderId: string;
  fulfillment: { fulfillmentStatus: string };
  orderItems: WireItem[];
}

function ackFeed(seller: string, messages: { orderId: string; items: WireItem[]; reason: string }[]) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
  <Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>${seller}</MerchantIdentifier></Header>
  <MessageType>OrderAcknowledgement</MessageType>
${messages
  .map(
    (m, i) => `  <Message><MessageID>${i + 1}</MessageID><OrderAcknowledgement>
    <AmazonOrderID>${m.orderId}</AmazonOrderID><StatusCode>Failure</StatusCode>
${m.items.map((it) => `    <Item><AmazonOrderItemCode>${it.orderItemId}</AmazonOrderItemCode><CancelReason>${m.reason}</CancelReason></Item>`).join("\n")}
  </OrderAcknowledgement></Message>`,
  )
  .join("\n")}
</AmazonEnvelope>`;
}

async function orders(token: string, status: string): Promise<WireOrder[]> {
  const q = new URLSearchParams({
    createdAfter: new Date(Date.now() - 30 * DAY).toISOString(),
    fulfillmentStatuses: status,
    includedData: "FULFILLMENT,CANCELLATION",
    maxResultsPerPage: "100",
  });
  const res = await json(`/orders/2026-01-01/orders?${q}`, token);
  expect(res.status).toBe(200);
  return (res.body as { orders: WireOrder[] }).orders;
}

/** createFeedDocument → PUT → createFeed; answers the feed id. */
async function sendFeed(token: string, xml: string): Promise<string> {
  const doc = await json("/feeds/2021-06-30/documents", token, {
    method: "POST",
    body: JSON.stringify({ contentType: XML }),
  });
  expect(doc.status).toBe(201);
  const { feedDocumentId, url } = doc.body as { feedDocumentId: string; url: string };
  const u = new URL(url);
  const up = await call(`${u.pathname}${u.search}`, {
    method: "PUT",
    headers: { "content-type": XML },
    body: xml,
  });
  expect(up.status).toBe(200);
  const feed = await json("/feeds/2021-06-30/feeds", token, {
    method: "POST",
    body: JSON.stringify({
      feedType: "POST_ORDER_ACKNOWLEDGEMENT_DATA",
      marketplaceIds: [UK],
      inputFeedDocumentId: feedDocumentId,
    }),
  });
  expect(feed.status, JSON.stringify(feed.body)).toBe(202);
  return (feed.body as { feedId: string }).feedId;
}

async function finished(token: string, seller: string, feedId: string) {
  const first = await json(`/feeds/2021-06-30/feeds/${feedId}`, token);
  expect((first.body as { processingStatus: string }).processingStatus).toBe("IN_QUEUE");
  await control(`${seller}/clock`, { advanceMs: 2_000 });
  const done = (await json(`/feeds/2021-06-30/feeds/${feedId}`, token)).body as {
    processingStatus: string;
    resultFeedDocumentId: string;
  };
  const doc = await json(`/feeds/2021-06-30/documents/${done.resultFeedDocumentId}`, token);
  const u = new URL((doc.body as { url: string }).url);
  const report = await (await call(`${u.pathname}${u.search}`)).text();
  return { status: done.processingStatus, report };
}

describe("Feeds API 2021-06-30 in the sandbox: the order acknowledgement feed", () => {
  it("cancels an order the buyer asked to cancel as a buyer-requested cancellation, and refuses a shipped one", {
    timeout: 30_000,
  }, async () => {
    const seller = "AFEEDSELLER1";
    await seededSeller(seller, 400);
    // Let every buyer's cancellation request in the demo data come due (then sign in again: a day later
    // the first access token has expired).
    await control(`${seller}/clock`, { advanceMs: DAY });
    const token = (await connect(seller)).accessToken;
    const unshipped = await orders(token, "UNSHIPPED");
    const asked = unshipped.find((o) => o.orderItems.some((i) => i.cancellation?.cancellationRequest));
    expect(asked, "the demo seller has a buyer's cancellation request").toBeDefined();
    const shipped = (await orders(token, "SHIPPED"))[0] as WireOrder;

    const feedId = await sendFeed(
      token,
      ackFeed(seller, [
        { orderId: asked!.orderId, items: asked!.orderItems, reason: "BuyerCanceled" },
        { orderId: shipped.orderId, items: shipped.orderItems, reason: "BuyerCanceled" },
      ]),
    );
    const { status, report } = await finished(token, seller, feedId);
    expect(status).toBe("DONE");
    expect(report).toContain("<MessagesProcessed>2</MessagesProcessed>");
    expect(report).toContain("<MessagesSuccessful>1</MessagesSuccessful>");
    expect(report).toContain(`Order ${shipped.orderId} has shipped and can no longer be cancelled.`);

    const now = await orders(token, "CANCELLED");
    const cancelled = now.find((o) => o.orderId === asked!.orderId);
    expect(cancelled?.orderItems[0]?.cancellation).toMatchObject({
      cancellationRequest: { requester: "BUYER" },
      cancellationExecution: { cancelledBy: "MERCHANT", cancelReason: "BuyerCanceled" },
    });
    const recorded = (await call(`/_sandbox/amazon/sellers/${seller}/feeds`).then((r) => r.json())) as {
      cancellations: { orderId: string; buyerRequested: boolean; wholeOrder: boolean }[];
    };
    expect(recorded.cancellations).toEqual([
      expect.objectContaining({ orderId: asked!.orderId, buyerRequested: true, wholeOrder: true }),
    ]);
  });

  it("fails a feed whose XML breaks the schema, saying where, and changes nothing", {
    timeout: 30_000,
  }, async () => {
    const seller = "AFEEDSELLER2";
    const token = await seededSeller(seller, 200);
    const open = (await orders(token, "UNSHIPPED"))[0] as WireOrder;
    const broken = ackFeed(seller, [
      { orderId: open.orderId, items: open.orderItems, reason: "Changed my mind" },
    ]);
    const feedId = await sendFeed(token, broken);
    const { status, report } = await finished(token, seller, feedId);
    expect(status).toBe("FATAL");
    expect(report).toContain('CancelReason "Changed my mind" is not one of Amazon');
    expect((await orders(token, "UNSHIPPED")).some((o) => o.orderId === open.orderId)).toBe(true);
  });

  it("refuses a feed whose document was never uploaded, and an upload with another content type", async () => {
    const seller = "AFEEDSELLER3";
    const token = await seededSeller(seller, 50);
    const doc = await json("/feeds/2021-06-30/documents", token, {
      method: "POST",
      body: JSON.stringify({ contentType: XML }),
    });
    const { feedDocumentId, url } = doc.body as { feedDocumentId: string; url: string };
    const feed = await json("/feeds/2021-06-30/feeds", token, {
      method: "POST",
      body: JSON.stringify({
        feedType: "POST_ORDER_ACKNOWLEDGEMENT_DATA",
        marketplaceIds: [UK],
        inputFeedDocumentId: feedDocumentId,
      }),
    });
    expect(feed.status).toBe(400);
    expect(JSON.stringify(feed.body)).toContain("upload it to its URL before createFeed");
    const u = new URL(url);
    const wrongType = await call(`${u.pathname}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(wrongType.status).toBe(403);
    const noToken = await call("/feeds/2021-06-30/documents", { method: "POST", body: "{}" });
    expect(noToken.status).toBe(403);
  });
});
