// What to send Amazon for an order: one confirmShipment per parcel, each with its own
// packageReferenceId, items, carrier and tracking number. An order never split is one parcel whose
// reference follows its label (a label bought again after a void is a new package to Amazon).
// Pure: the room queues what this returns, the queue sends each exactly once.

import { activeShipmentOf, type Order } from "@consign/domain";
import type { DispatchToConfirm } from "./confirmation-queue.ts";

/** The reference Amazon sees for an unsplit order's current label. */
export function singlePackageReference(order: Order): string {
  return String(Math.max(1, order.labelRevision + 1));
}

/** The parcels of `order` that have a label and are not confirmed yet, as confirmations to send. */
export function confirmationsFor(order: Order, now: number): DispatchToConfirm[] {
  const shipDate = new Date(order.dispatchedAt ?? order.printedAt ?? now).toISOString();
  const parcels = order.packages;
  if (parcels === undefined || parcels.length === 0) {
    const shipment = activeShipmentOf(order.shipments);
    if (!shipment || order.confirmation.state === "confirmed") return [];
    return [
      {
        orderId: order.orderId,
        packageReferenceId: singlePackageReference(order),
        carrierCode: shipment.amazonCarrierCode,
        ...(shipment.amazonCarrierName ? { carrierName: shipment.amazonCarrierName } : {}),
        trackingNumber: shipment.trackingNumber,
        shipDate,
        items: order.items.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantityOrdered })),
        marketplaceId: order.marketplaceId,
      },
    ];
  }
  const out: DispatchToConfirm[] = [];
  for (const p of parcels) {
    const shipment = activeShipmentOf(p.shipments);
    if (!shipment || p.confirmation.state === "confirmed") continue;
    out.push({
      orderId: order.orderId,
      packageReferenceId: p.packageReferenceId,
      carrierCode: shipment.amazonCarrierCode,
      ...(shipment.amazonCarrierName ? { carrierName: shipment.amazonCarrierName } : {}),
      trackingNumber: shipment.trackingNumber,
      shipDate,
      items: p.items.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantity })),
      marketplaceId: order.marketplaceId,
    });
  }
  return out;
}
