import { describe, expect, it } from "vitest";
import { createFeedsClient } from "./client.ts";
import { orderAcknowledgementFeed, parseProcessingReport, parseXml } from "./xml.ts";

function fakeFetch(answers: ((url: string, init?: RequestInit) => Response)[]) {
  const calls: { url: string; method: string; body?: string; token?: string; contentType?: string }[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    const headers = init?.headers as Record<string, string> | undefined;
    calls.push({
      url: String(url),
      method: init?.method ?? "GET",
      token: headers?.["x-amz-access-token"],
      contentType: headers?.["content-type"],
      ...(typeof init?.body === "string" ? { body: init.body } : {}),
    });
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    return next(String(url), init);
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const opts = {
  baseUrl: "http://sp.test",
  accessToken: async () => "Atza|A1|x",
  sleep: async () => {},
  random: () => 0,
};
const CANCEL = {
  amazonOrderId: "203-1234567-7654321",
  items: [{ orderItemId: "12345678901234", reason: "BuyerCanceled" as const }],
};
const REPORT = `<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
  <Header><DocumentVersion>1.02</DocumentVersion><MerchantIdentifier>A1SELLER</MerchantIdentifier></Header>
  <MessageType>ProcessingReport</MessageType>
  <Message><MessageID>1</MessageID><ProcessingReport>
    <DocumentTransactionID>50001</DocumentTransactionID>
    <StatusCode>Complete</StatusCode>
    <ProcessingSummary><MessagesProcessed>2</MessagesProcessed><MessagesSuccessful>1</MessagesSuccessful>
      <MessagesWithError>1</MessagesWithError><MessagesWithWarning>0</MessagesWithWarning></ProcessingSummary>
    <Result><MessageID>2</MessageID><ResultCode>Error</ResultCode><ResultMessageCode>25</ResultMessageCode>
      <ResultDescription>Order 203-0000000-0000000 has shipped &amp; cannot be cancelled.</ResultDescription>
      <AdditionalInfo><AmazonOrderID>203-0000000-0000000</AmazonOrderID></AdditionalInfo></Result>
  </ProcessingReport></Message>
</AmazonEnvelope>`;

describe("the order acknowledgement feed", () => {
  it("cancels as the XSD describes: StatusCode Failure, each item with CancelReason BuyerCanceled", () => {
    const root = parseXml(orderAcknowledgementFeed("A1SELLER", [CANCEL]));
    expect(root.name).toBe("AmazonEnvelope");
    expect(root.children.map((c) => c.name)).toEqual(["Header", "MessageType", "Message"]);
    const ack = root.children[2]?.children.find((c) => c.name === "OrderAcknowledgement");
    expect(ack?.children.map((c) => [c.name, c.text])).toEqual([
      ["AmazonOrderID", "203-1234567-7654321"],
      ["StatusCode", "Failure"],
      ["Item", ""],
    ]);
    expect(ack?.children[2]?.children.map((c) => [c.name, c.text])).toEqual([
      ["AmazonOrderItemCode", "12345678901234"],
      ["CancelReason", "BuyerCanceled"],
    ]);
  });

  it("refuses ids Amazon would reject, before anything is sent", () => {
    expect(() => orderAcknowledgementFeed("A1", [{ ...CANCEL, amazonOrderId: "12-3" }])).toThrow(
      /not an Amazon order id/,
    );
    expect(() =>
      orderAcknowledgementFeed("A1", [{ ...CANCEL, items: [{ orderItemId: "1", reason: "BuyerCanceled" }] }]),
    ).toThrow(/14 digits/);
  });

  it("reads Amazon's processing report, errors included", () => {
    const r = parseProcessingReport(REPORT);
    expect(r).toMatchObject({ status: "Complete", processed: 2, successful: 1, withError: 1 });
    expect(r.results[0]).toEqual({
      messageId: 2,
      code: "Error",
      messageCode: "25",
      description: "Order 203-0000000-0000000 has shipped & cannot be cancelled.",
      amazonOrderId: "203-0000000-0000000",
    });
    expect(() => parseProcessingReport("<ProcessingReport><StatusCode>Complete</Status>")).toThrow(
      /Not well-formed/,
    );
  });
});

describe("the feeds client", () => {
  it("creates a document, uploads the XML to its URL without a token, creates the feed, then reads the report", async () => {
    const { fetch, calls } = fakeFetch([
      () => json({ feedDocumentId: "doc-1", url: "http://store.test/up/doc-1" }, 201),
      () => new Response("", { status: 200 }),
      () => json({ errors: [{ code: "QuotaExceeded", message: "slow down" }] }, 429),
      () => json({ feedId: "50001" }, 202),
      () =>
        json({
          feedId: "50001",
          feedType: "POST_ORDER_ACKNOWLEDGEMENT_DATA",
          createdTime: "2026-12-05T09:00:00Z",
          processingStatus: "IN_PROGRESS",
        }),
      () =>
        json({
          feedId: "50001",
          feedType: "POST_ORDER_ACKNOWLEDGEMENT_DATA",
          createdTime: "2026-12-05T09:00:00Z",
          processingStatus: "DONE",
          resultFeedDocumentId: "res-1",
        }),
      () => json({ feedDocumentId: "res-1", url: "http://store.test/down/res-1" }),
      () => new Response(REPORT, { status: 200 }),
    ]);
    const client = createFeedsClient({ ...opts, fetch });
    const submitted = await client.submitCancellations("A1SELLER", [CANCEL]);
    expect(submitted).toEqual({ feedId: "50001", feedDocumentId: "doc-1" });
    expect(calls[0]).toMatchObject({ method: "POST", url: "http://sp.test/feeds/2021-06-30/documents" });
    expect(JSON.parse(calls[0]?.body ?? "{}")).toEqual({ contentType: "text/xml; charset=UTF-8" });
    expect(calls[1]).toMatchObject({ method: "PUT", url: "http://store.test/up/doc-1", token: undefined });
    expect(calls[1]?.body).toContain("<CancelReason>BuyerCanceled</CancelReason>");
    // createFeed retried after the 429, with the document it was given.
    expect(JSON.parse(calls[3]?.body ?? "{}")).toEqual({
      feedType: "POST_ORDER_ACKNOWLEDGEMENT_DATA",
      marketplaceIds: ["A1F83G8C2ARO7P"],
      inputFeedDocumentId: "doc-1",
    });
    expect(await client.feedOutcome("50001")).toEqual({
      state: "processing",
      feedId: "50001",
      status: "IN_PROGRESS",
    });
    const done = await client.feedOutcome("50001");
    expect(done.state).toBe("done");
    if (done.state === "done") expect(done.report.withError).toBe(1);
  });

  it("says plainly when the upload link has expired", async () => {
    const { fetch } = fakeFetch([
      () => json({ feedDocumentId: "doc-1", url: "http://store.test/up/doc-1" }, 201),
      () => new Response("Request has expired", { status: 403 }),
    ]);
    const client = createFeedsClient({ ...opts, fetch });
    await expect(client.submitCancellations("A1SELLER", [CANCEL])).rejects.toThrow(
      /HTTP 403 when we tried to upload the feed document; the link lasts 5 minutes/,
    );
  });
});
