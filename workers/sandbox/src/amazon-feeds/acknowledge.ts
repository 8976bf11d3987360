// What Amazon does with an order acknowledgement feed's messages, against the seller's orders in its
// Durable Object: StatusCode Failure cancels the named items (all of them when none is named) with
// their CancelReason; a cancellation the buyer asked for (CancelReason BuyerCanceled on an order with
// an open buyer request) is recorded as buyer-requested, which keeps it out of the seller's
// cancellation rate. Shipped or already cancelled orders are refused, message by message.

import { iso } from "../amazon/responses.ts";
import type { OrderRow, SellerStore } from "../amazon/store.ts";
import type { AckMessage } from "./xml.ts";

export interface AckOutcome {
  messageId: number;
  amazonOrderId: string;
  /** null when Amazon accepted the message. */
  error: { code: string; description: string } | null;
}

/** One cancellation the sandbox Amazon made from a feed: what tests and the control API read. */
export interface FeedCancellation {
  feedId: string;
  orderId: string;
  orderItemIds: string[];
  cancelReason: string;
  /** The buyer had asked to cancel and the seller cancelled with BuyerCanceled. */
  buyerRequested: boolean;
  /** Every line of the order is cancelled. */
  wholeOrder: boolean;
  at: string;
}

const OPEN = ["UNSHIPPED", "PARTIALLY_SHIPPED", "PENDING"];
export const CANCELLATIONS_SETTING = "feedCancellations";
const BUYER_REASON = "No longer needed";

function buyerAsked(row: OrderRow, now: number): { asked: boolean; reason: string } {
  const stored = row.order.orderItems.find((i) => i.cancellation?.cancellationRequest)?.cancellation
    ?.cancellationRequest?.cancelReason;
  if (stored) return { asked: true, reason: stored };
  const due = row.cancelRequestMs !== null && row.cancelRequestMs <= now;
  return { asked: due && OPEN.includes(row.order.fulfillment.fulfillmentStatus), reason: BUYER_REASON };
}

export function applyAcknowledgements(
  store: SellerStore,
  feedId: string,
  messages: readonly AckMessage[],
  now: number,
): AckOutcome[] {
  const recorded = store.getSetting<FeedCancellation[]>(CANCELLATIONS_SETTING) ?? [];
  const outcomes = messages.map((m): AckOutcome => {
    const refuse = (code: string, description: string): AckOutcome => ({
      messageId: m.messageId,
      amazonOrderId: m.amazonOrderId,
      error: { code, description },
    });
    const row = store.getOrder(m.amazonOrderId, now);
    if (!row) return refuse("18028", `Order ${m.amazonOrderId} was not found for this seller.`);
    const status = row.order.fulfillment.fulfillmentStatus;
    if (m.statusCode === "Success") {
      if (!OPEN.includes(status))
        return refuse(
          "18030",
          `Order ${m.amazonOrderId} is ${status.toLowerCase()}; there is nothing to acknowledge.`,
        );
      return { messageId: m.messageId, amazonOrderId: m.amazonOrderId, error: null };
    }
    if (status === "SHIPPED") {
      return refuse("18031", `Order ${m.amazonOrderId} has shipped and can no longer be cancelled.`);
    }
    if (status === "CANCELLED") return refuse("18032", `Order ${m.amazonOrderId} is already cancelled.`);
    if (!OPEN.includes(status)) {
      return refuse("18033", `Order ${m.amazonOrderId} is ${status.toLowerCase()} and cannot be cancelled.`);
    }
    const lines = row.order.orderItems;
    // No items named: the whole order, without a reason the buyer gave (a seller's cancellation).
    const named =
      m.items.length > 0
        ? m.items
        : lines.map((l) => ({ orderItemId: l.orderItemId, cancelReason: "GeneralAdjustment" }));
    for (const it of named) {
      if (!lines.some((l) => l.orderItemId === it.orderItemId)) {
        return refuse("18034", `Order ${m.amazonOrderId} has no item ${it.orderItemId}.`);
      }
      if (!it.cancelReason) {
        return refuse(
          "18035",
          `Order ${m.amazonOrderId}, item ${it.orderItemId}: a cancellation (StatusCode Failure) needs a CancelReason.`,
        );
      }
    }
    const asked = buyerAsked(row, now);
    const reasons = new Map(named.map((it) => [it.orderItemId, it.cancelReason ?? ""]));
    for (const line of lines) {
      const reason = reasons.get(line.orderItemId);
      if (!reason) continue;
      line.cancellation = {
        ...(asked.asked ? { cancellationRequest: { requester: "BUYER", cancelReason: asked.reason } } : {}),
        cancellationExecution: { cancelledBy: "MERCHANT", cancelReason: reason },
      };
      line.fulfillment = { quantityFulfilled: 0, quantityUnfulfilled: 0 };
    }
    const wholeOrder = lines.every((l) => l.cancellation?.cancellationExecution);
    if (wholeOrder) row.order.fulfillment.fulfillmentStatus = "CANCELLED";
    row.order.lastUpdatedTime = iso(now);
    store.saveOrder({ ...row, updatedMs: Math.max(now, row.updatedMs) });
    const reasonsUsed = [...new Set(reasons.values())];
    recorded.push({
      feedId,
      orderId: m.amazonOrderId,
      orderItemIds: [...reasons.keys()],
      cancelReason: reasonsUsed.join(","),
      buyerRequested: asked.asked && reasonsUsed.every((r) => r === "BuyerCanceled"),
      wholeOrder,
      at: iso(now),
    });
    return { messageId: m.messageId, amazonOrderId: m.amazonOrderId, error: null };
  });
  store.setSetting(CANCELLATIONS_SETTING, recorded);
  return outcomes;
}

/** Amazon's processing report for a finished feed (ProcessingReport.xsd in an AmazonEnvelope). */
export function processingReportXml(
  merchantId: string,
  transactionId: string,
  outcomes: readonly AckOutcome[] | null,
  fatal?: string,
): string {
  const results = fatal
    ? [{ messageId: 0, amazonOrderId: "", error: { code: "5001", description: fatal } }]
    : (outcomes ?? []).filter((o) => o.error);
  const processed = fatal ? 0 : (outcomes ?? []).length;
  const withError = fatal ? 1 : results.length;
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const resultXml = results
    .map(
      (r) => `      <Result>
        <MessageID>${r.messageId}</MessageID>
        <ResultCode>Error</ResultCode>
        <ResultMessageCode>${r.error?.code ?? ""}</ResultMessageCode>
        <ResultDescription>${esc(r.error?.description ?? "")}</ResultDescription>${
          r.amazonOrderId
            ? `
        <AdditionalInfo>
          <AmazonOrderID>${esc(r.amazonOrderId)}</AmazonOrderID>
        </AdditionalInfo>`
            : ""
        }
      </Result>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
  <Header>
    <DocumentVersion>1.02</DocumentVersion>
    <MerchantIdentifier>${esc(merchantId)}</MerchantIdentifier>
  </Header>
  <MessageType>ProcessingReport</MessageType>
  <Message>
    <MessageID>1</MessageID>
    <ProcessingReport>
      <DocumentTransactionID>${transactionId}</DocumentTransactionID>
      <StatusCode>Complete</StatusCode>
      <ProcessingSummary>
        <MessagesProcessed>${processed}</MessagesProcessed>
        <MessagesSuccessful>${processed - (fatal ? 0 : withError)}</MessagesSuccessful>
        <MessagesWithError>${withError}</MessagesWithError>
        <MessagesWithWarning>0</MessagesWithWarning>
      </ProcessingSummary>
${resultXml}
    </ProcessingReport>
  </Message>
</AmazonEnvelope>
`;
}
