// ORDER_CHANGE notifications as Amazon sends them (written from
// specs/sp-api/OrderChangeNotification.json): one per change to an order, with a NotificationId
// that is the same on every redelivery of that notification.

import type { OrderRow } from "../amazon/store.ts";

export type OrderChangeType = "BuyerRequestedChange" | "OrderStatusChange";

const STATUS: Record<string, string> = {
  PENDING_AVAILABILITY: "PendingAvailability",
  PENDING: "Pending",
  UNSHIPPED: "Unshipped",
  PARTIALLY_SHIPPED: "PartiallyShipped",
  SHIPPED: "Shipped",
  CANCELLED: "Canceled",
  UNFULFILLABLE: "Unfulfillable",
};

const PROGRAMS: Record<string, string> = { PRIME: "Prime", AMAZON_BUSINESS: "Business" };

export function orderChangeNotification(opts: {
  row: OrderRow;
  sellerId: string;
  changeType: OrderChangeType;
  reason: string;
  applicationId: string;
  subscriptionId: string;
  now: number;
  buyerRequestedCancel?: boolean;
}): { notificationId: string; body: string } {
  const o = opts.row.order;
  const at = new Date(opts.now).toISOString();
  const shipped = o.orderItems.reduce((n, i) => n + (i.fulfillment?.quantityFulfilled ?? 0), 0);
  const ordered = o.orderItems.reduce((n, i) => n + i.quantityOrdered, 0);
  const notificationId = crypto.randomUUID();
  const summary: Record<string, unknown> = {
    MarketplaceId: o.salesChannel.marketplaceId,
    OrderStatus: STATUS[o.fulfillment.fulfillmentStatus] ?? "Pending",
    PurchaseDate: o.createdTime,
    DestinationPostalCode: o.recipient.deliveryAddress.postalCode ?? null,
    FulfillmentType: o.fulfillment.fulfilledBy === "AMAZON" ? "AFN" : "MFN",
    OrderType: "StandardOrder",
    NumberOfItemsShipped: shipped,
    NumberOfItemsUnshipped: ordered - shipped,
    OrderPrograms: o.programs.map((p) => PROGRAMS[p]).filter((p): p is string => !!p),
    ShippingPrograms: [],
    OrderItems: o.orderItems.map((i) => {
      const done = i.fulfillment?.quantityFulfilled ?? 0;
      return {
        OrderItemId: i.orderItemId,
        SellerSKU: i.product.sellerSku,
        SupplySourceId: null,
        OrderItemStatus: done >= i.quantityOrdered ? "Shipped" : "Unshipped",
        Quantity: i.quantityOrdered,
        QuantityShipped: done,
        IsBuyerRequestedCancel: !!opts.buyerRequestedCancel,
        ...(o.fulfillment.deliverByWindow.earliestDateTime
          ? { ItemEarliestDeliveryDate: o.fulfillment.deliverByWindow.earliestDateTime }
          : {}),
        ...(o.fulfillment.deliverByWindow.latestDateTime
          ? { ItemLatestDeliveryDate: o.fulfillment.deliverByWindow.latestDateTime }
          : {}),
      };
    }),
  };
  const w = o.fulfillment;
  if (w.deliverByWindow.earliestDateTime) summary.EarliestDeliveryDate = w.deliverByWindow.earliestDateTime;
  if (w.deliverByWindow.latestDateTime) summary.LatestDeliveryDate = w.deliverByWindow.latestDateTime;
  if (w.shipByWindow.earliestDateTime) summary.EarliestShipDate = w.shipByWindow.earliestDateTime;
  if (w.shipByWindow.latestDateTime) summary.LatestShipDate = w.shipByWindow.latestDateTime;
  const body = {
    NotificationVersion: "1.0",
    NotificationType: "ORDER_CHANGE",
    PayloadVersion: "1.0",
    EventTime: at,
    Payload: {
      OrderChangeNotification: {
        NotificationLevel: "OrderLevel",
        SellerId: opts.sellerId,
        AmazonOrderId: o.orderId,
        OrderChangeType: opts.changeType,
        OrderChangeTrigger: { TimeOfOrderChange: at, ChangeReason: opts.reason },
        Summary: summary,
      },
    },
    NotificationMetadata: {
      ApplicationId: opts.applicationId,
      SubscriptionId: opts.subscriptionId,
      PublishTime: at,
      NotificationId: notificationId,
    },
  };
  return { notificationId, body: JSON.stringify(body) };
}
