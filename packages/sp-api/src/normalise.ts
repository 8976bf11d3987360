// From Orders API 2026-01-01's order to Consign's `Order`. Amazon's facts are copied; Consign's
// working state starts fresh (the document's upsert keeps the team's own state on re-import).

import {
  type Address,
  type AmazonOrderStatus,
  type CancelledBy,
  type CourierId,
  type Order,
  type OrderItem,
  type OrderState,
  UK_MARKETPLACE_ID,
} from "@consign/domain";
import type { ApiOrder } from "./schemas.ts";

/** Amazon's `fulfillmentServiceLevel` in the words the domain uses. */
const SERVICE_LEVELS: Record<string, string> = {
  STANDARD: "Standard",
  EXPEDITED: "Expedited",
  NEXT_DAY: "NextDay",
  SECOND_DAY: "SecondDay",
  SAME_DAY: "SameDay",
  PRIORITY: "Priority",
  FREE_ECONOMY: "FreeEconomy",
  SCHEDULED: "Scheduled",
};

const ms = (iso: string | undefined): number | undefined => (iso ? Date.parse(iso) : undefined);

function amazonStatus(order: ApiOrder): AmazonOrderStatus {
  const s = order.fulfillment?.fulfillmentStatus ?? "PENDING";
  return s === "PENDING_AVAILABILITY" ? "PENDING" : s;
}

function toAddress(order: ApiOrder): Address | undefined {
  const a = order.recipient?.deliveryAddress;
  // Without a Restricted Data Token Amazon leaves out the name and street: no usable address.
  if (!a?.name || !a.addressLine1 || !a.postalCode) return undefined;
  const address: Address = {
    name: a.name,
    line1: a.addressLine1,
    city: a.city ?? "",
    postcode: a.postalCode,
    countryCode: a.countryCode ?? "GB",
  };
  if (a.addressLine2) address.line2 = a.addressLine2;
  if (a.addressLine3) address.line3 = a.addressLine3;
  const county = a.districtOrCounty || a.stateOrRegion;
  if (county) address.county = county;
  if (a.phone) address.phone = a.phone;
  return address;
}

function toItem(item: ApiOrder["orderItems"][number], shipped: boolean): OrderItem {
  const out: OrderItem = {
    orderItemId: item.orderItemId,
    sku: item.product.sellerSku ?? "",
    asin: item.product.asin ?? "",
    title: item.product.title ?? "",
    quantityOrdered: item.quantityOrdered,
    quantityShipped: item.fulfillment?.quantityFulfilled ?? (shipped ? item.quantityOrdered : 0),
  };
  if (item.product.price?.unitPrice) out.unitPrice = { ...item.product.price.unitPrice };
  if (item.cancellation?.cancellationRequest) out.cancellationRequested = true;
  // Amazon collected the EU VAT: its IOSS number goes to the courier with the parcel.
  const ioss = item.shipping?.internationalShipping?.iossNumber?.trim();
  if (ioss) out.iossNumber = ioss;
  return out;
}

function cancelledBy(order: ApiOrder): CancelledBy {
  for (const item of order.orderItems) {
    const by = item.cancellation?.cancellationExecution?.cancelledBy?.toUpperCase();
    if (by === "SELLER") return "seller";
    if (by === "AMAZON" || by === "SYSTEM") return "amazon";
    if (by === "BUYER") return "buyer";
  }
  return order.orderItems.some((i) => i.cancellation?.cancellationRequest) ? "buyer" : "amazon";
}

/**
 * Normalises an order. Orders Amazon already shows as shipped arrive as "confirmed" (their package's
 * ship time is when Amazon counted the dispatch) and cancelled ones as "cancelled"; every other
 * order starts as "new" with no label and no confirmation.
 */
export function toOrder(api: ApiOrder): Order {
  const status = amazonStatus(api);
  const purchaseDate = Date.parse(api.createdTime);
  const shipBy = api.fulfillment?.shipByWindow;
  const deliverBy = api.fulfillment?.deliverByWindow;
  const earliestShipDate = ms(shipBy?.earliestDateTime) ?? purchaseDate;
  const shipped = status === "SHIPPED";
  const items = api.orderItems.map((i) => toItem(i, shipped));
  let state: OrderState = "new";
  if (status === "CANCELLED") state = "cancelled";
  else if (shipped) state = "confirmed";

  const order: Order = {
    orderId: api.orderId,
    marketplaceId: api.salesChannel.marketplaceId ?? UK_MARKETPLACE_ID,
    purchaseDate,
    lastUpdated: Date.parse(api.lastUpdatedTime),
    amazonStatus: status,
    fulfilmentChannel: api.fulfillment?.fulfilledBy === "AMAZON" ? "AFN" : "MFN",
    shipServiceLevel: SERVICE_LEVELS[api.fulfillment?.fulfillmentServiceLevel ?? "STANDARD"] ?? "Standard",
    isPrime: api.programs?.includes("PRIME") ?? false,
    earliestShipDate,
    latestShipDate: ms(shipBy?.latestDateTime) ?? earliestShipDate,
    items,
    state,
    labelRevision: 0,
    shipments: [],
    confirmation: { state: "none", attempts: 0 },
  };
  if (api.programs?.includes("AMAZON_BUSINESS")) order.isBusiness = true;
  const earliestDelivery = ms(deliverBy?.earliestDateTime);
  const latestDelivery = ms(deliverBy?.latestDateTime);
  if (earliestDelivery !== undefined) order.earliestDeliveryDate = earliestDelivery;
  if (latestDelivery !== undefined) order.latestDeliveryDate = latestDelivery;
  if (api.proceeds?.grandTotal) order.orderTotal = { ...api.proceeds.grandTotal };
  if (api.buyer?.buyerName) order.buyerName = api.buyer.buyerName;
  const recipient = toAddress(api);
  if (recipient) order.recipient = recipient;
  if (items.some((i) => i.cancellationRequested)) order.buyerCancellationRequested = true;
  const askedWhy = api.orderItems.find((i) => i.cancellation?.cancellationRequest?.cancelReason)?.cancellation
    ?.cancellationRequest?.cancelReason;
  if (askedWhy && order.buyerCancellationRequested) order.cancellationRequestReason = askedWhy;
  if (state === "cancelled") {
    order.cancelledBy = cancelledBy(api);
    order.cancelledAt = order.lastUpdated;
  }
  if (shipped) {
    const shipTimes = (api.packages ?? [])
      .map((p) => ms(p.shipTime))
      .filter((t): t is number => t !== undefined);
    const at = shipTimes.length > 0 ? Math.min(...shipTimes) : order.lastUpdated;
    order.dispatchedAt = at;
    order.confirmation = { state: "confirmed", confirmedAt: at, attempts: 0 };
    // Parcels sent before Consign (or outside it) keep their carrier and tracking number, so the
    // valid-tracking rate counts them as Amazon does.
    for (const p of api.packages ?? []) {
      const courier = courierOf(p.carrier);
      if (!courier || !p.trackingNumber) continue;
      order.shipments.push({
        id: `${api.orderId}:amazon:${p.packageReferenceId}`,
        courier,
        serviceCode: p.shippingService ?? "",
        trackingNumber: p.trackingNumber,
        amazonCarrierCode: p.carrier ?? "Other",
        boughtAt: ms(p.shipTime) ?? at,
      });
    }
  }
  return order;
}

/** The courier behind one of Amazon's carrier names, when it is one Consign knows. */
function courierOf(carrier: string | undefined): CourierId | undefined {
  if (!carrier) return undefined;
  if (/royal\s*mail/i.test(carrier)) return "royal-mail";
  if (/\bdpd\b/i.test(carrier)) return "dpd";
  if (/hermes|evri/i.test(carrier)) return "evri";
  if (/amazon/i.test(carrier)) return "amazon-shipping";
  return undefined;
}
