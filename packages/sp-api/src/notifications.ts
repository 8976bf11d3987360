// The Notifications API v1 calls Consign makes (written from specs/sp-api/notifications.json):
// the application's one SQS destination (grantless) and each seller's ORDER_CHANGE subscription,
// both made idempotent ("ensure"): an existing destination for the same queue, or an existing
// subscription, is found and reused instead of failing with 409.

import { describeAmazonErrors, SpApiError } from "./errors.ts";
import type { FetchFn } from "./lwa.ts";
import { ErrorListSchema } from "./schemas.ts";

export const NOTIFICATIONS_SCOPE = "sellingpartnerapi::notifications";

interface Call {
  fetch: FetchFn;
  baseUrl: string;
  token: string;
  timeoutMs?: number;
}

async function call(
  c: Call,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown; requestId?: string }> {
  let res: Response;
  let text: string;
  try {
    res = await c.fetch(`${c.baseUrl.replace(/\/+$/, "")}${path}`, {
      method,
      headers: {
        "x-amz-access-token": c.token,
        accept: "application/json",
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(c.timeoutMs ? { signal: AbortSignal.timeout(c.timeoutMs) } : {}),
    });
    text = await res.text();
  } catch (err) {
    throw new SpApiError(
      "upstream_unavailable",
      `Amazon's Notifications API did not answer (${(err as Error).message}); live updates will be set up on the next try.`,
      undefined,
    );
  }
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  const requestId = res.headers.get("x-amzn-RequestId") ?? undefined;
  return { status: res.status, json, ...(requestId ? { requestId } : {}) };
}

function refused(what: string, r: { status: number; json: unknown; requestId?: string }): SpApiError {
  const errors = ErrorListSchema.safeParse(r.json);
  const list = errors.success ? errors.data.errors : [];
  return new SpApiError(
    r.status >= 500 ? "upstream_unavailable" : "upstream_rejected",
    `Amazon refused ${what}: ${describeAmazonErrors(list)}${r.requestId ? ` [request id ${r.requestId}]` : ""}`,
    r.status,
    list,
    [],
    undefined,
    r.requestId,
  );
}

interface Destination {
  destinationId: string;
  name: string;
  resource?: { sqs?: { arn?: string } };
}

/** The application's destination for this SQS queue: the existing one, or a new one. Grantless token. */
export async function ensureSqsDestination(c: Call & { arn: string; name: string }): Promise<string> {
  const find = async () => {
    const r = await call(c, "GET", "/notifications/v1/destinations");
    if (r.status !== 200) throw refused("the list of notification destinations", r);
    const list = ((r.json as { payload?: Destination[] })?.payload ?? []) as Destination[];
    return list.find((d) => d.resource?.sqs?.arn === c.arn)?.destinationId;
  };
  const existing = await find();
  if (existing) return existing;
  const r = await call(c, "POST", "/notifications/v1/destinations", {
    name: c.name,
    resourceSpecification: { sqs: { arn: c.arn } },
  });
  if (r.status === 200) return (r.json as { payload: Destination }).payload.destinationId;
  if (r.status === 409) {
    const again = await find();
    if (again) return again;
  }
  throw refused(`the notification destination ${c.arn}`, r);
}

/** This seller's ORDER_CHANGE subscription to the destination (the seller's own access token). */
export async function ensureOrderChangeSubscription(c: Call & { destinationId: string }): Promise<string> {
  const get = () => findOrderChangeSubscription(c);
  const existing = await get();
  if (existing?.destinationId === c.destinationId) return existing.subscriptionId;
  const r = await call(c, "POST", "/notifications/v1/subscriptions/ORDER_CHANGE", {
    payloadVersion: "1.0",
    destinationId: c.destinationId,
    processingDirective: {
      eventFilter: {
        eventFilterType: "ORDER_CHANGE",
        orderChangeTypes: ["OrderStatusChange", "BuyerRequestedChange"],
      },
    },
  });
  if (r.status === 200) return (r.json as { payload: { subscriptionId: string } }).payload.subscriptionId;
  if (r.status === 409) {
    const again = await get();
    if (again) return again.subscriptionId;
  }
  throw refused("the ORDER_CHANGE subscription", r);
}

/**
 * This seller's ORDER_CHANGE subscription (getSubscription, the seller's own access token), or
 * undefined when there is none.
 */
export async function findOrderChangeSubscription(
  c: Call,
): Promise<{ subscriptionId: string; destinationId: string } | undefined> {
  const r = await call(c, "GET", "/notifications/v1/subscriptions/ORDER_CHANGE");
  if (r.status === 200)
    return (r.json as { payload: { subscriptionId: string; destinationId: string } }).payload;
  if (r.status === 404) return undefined;
  throw refused("the ORDER_CHANGE subscription", r);
}

/**
 * Deletes an ORDER_CHANGE subscription by its id (deleteSubscriptionById, grantless token): Amazon
 * stops sending that seller's notifications. "deleted", or "absent" when Amazon no longer has it
 * (deleted before); anything else is thrown, so the caller can try again.
 */
export async function deleteOrderChangeSubscription(
  c: Call & { subscriptionId: string },
): Promise<"deleted" | "absent"> {
  const r = await call(
    c,
    "DELETE",
    `/notifications/v1/subscriptions/ORDER_CHANGE/${encodeURIComponent(c.subscriptionId)}`,
  );
  if (r.status === 200) return "deleted";
  if (r.status === 404) return "absent";
  throw refused(`deleting the ORDER_CHANGE subscription ${c.subscriptionId}`, r);
}

/** What Consign reads from an ORDER_CHANGE message (the rest of the order comes from getOrder). */
export interface OrderChange {
  notificationId: string;
  sellerId: string;
  amazonOrderId: string;
  changeType: string;
  buyerRequestedCancel: boolean;
  eventTime?: string;
}

/** Parses an SQS message body as an ORDER_CHANGE notification; undefined when it is not one. */
export function parseOrderChange(body: string): OrderChange | undefined {
  let n: {
    NotificationType?: unknown;
    EventTime?: unknown;
    Payload?: {
      OrderChangeNotification?: {
        SellerId?: unknown;
        AmazonOrderId?: unknown;
        OrderChangeType?: unknown;
        Summary?: { OrderItems?: { IsBuyerRequestedCancel?: unknown }[] };
      };
    };
    NotificationMetadata?: { NotificationId?: unknown };
  };
  try {
    n = JSON.parse(body);
  } catch {
    return undefined;
  }
  const o = n?.Payload?.OrderChangeNotification;
  const id = n?.NotificationMetadata?.NotificationId;
  if (n?.NotificationType !== "ORDER_CHANGE" || !o || typeof id !== "string") return undefined;
  if (typeof o.SellerId !== "string" || typeof o.AmazonOrderId !== "string") return undefined;
  return {
    notificationId: id,
    sellerId: o.SellerId,
    amazonOrderId: o.AmazonOrderId,
    changeType: typeof o.OrderChangeType === "string" ? o.OrderChangeType : "OrderStatusChange",
    buyerRequestedCancel: !!o.Summary?.OrderItems?.some((i) => i.IsBuyerRequestedCancel === true),
    ...(typeof n.EventTime === "string" ? { eventTime: n.EventTime } : {}),
  };
}
