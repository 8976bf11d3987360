// Orders for packing-slip, pick-list and label-data tests.
import type { Order, OrderItem, Shipment } from "@consign/domain";
import { RECIPIENT } from "./fixtures.ts";

export { RECIPIENT, SENDER } from "./fixtures.ts";

export function item(
  sku: string,
  quantityOrdered: number,
  title = `Item ${sku}`,
  quantityShipped = 0,
): OrderItem {
  return { orderItemId: `${sku}-item`, sku, asin: `B0${sku}`, title, quantityOrdered, quantityShipped };
}

export function order(orderId: string, items: OrderItem[], shipments: Shipment[] = []): Order {
  return {
    orderId,
    marketplaceId: "A1F83G8C2ARO7P",
    purchaseDate: 0,
    lastUpdated: 0,
    amazonStatus: "UNSHIPPED",
    fulfilmentChannel: "MFN",
    shipServiceLevel: "Standard",
    isPrime: false,
    earliestShipDate: 0,
    latestShipDate: 0,
    items,
    recipient: RECIPIENT,
    state: "label_bought",
    labelRevision: shipments.length,
    shipments,
    confirmation: { state: "none", attempts: 0 },
  };
}

export function shipment(trackingNumber: string, voided = false): Shipment {
  const s: Shipment = {
    id: `x:${trackingNumber}`,
    courier: "royal-mail",
    serviceCode: "TPN24",
    trackingNumber,
    amazonCarrierCode: "Royal Mail",
    boughtAt: 0,
  };
  if (voided) s.voidedAt = 1;
  return s;
}
