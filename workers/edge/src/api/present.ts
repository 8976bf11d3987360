// The domain's Order as the API shows it: ISO 8601 times, nulls instead of missing fields.
import {
  type Address,
  type CourierHandovers,
  DEFAULT_DISPATCH_CUTOFF,
  dispatchRisk,
  type Order,
  type Shipment,
  shipByBucket,
  ukOffsetMinutes,
} from "@consign/domain";
import type { ApiConfirmation, ApiOrder, ApiShipment } from "./schemas/orders.ts";
import type { FeedOrder } from "./select.ts";

export function iso(at: number): string {
  return new Date(at).toISOString();
}

function isoOrNull(at: number | undefined): string | null {
  return at === undefined ? null : iso(at);
}

export function presentShipment(s: Shipment): ApiShipment {
  return {
    id: s.id,
    courier: s.courier,
    serviceCode: s.serviceCode,
    trackingNumber: s.trackingNumber,
    amazonCarrierCode: s.amazonCarrierCode,
    boughtAt: iso(s.boughtAt),
    voidedAt: isoOrNull(s.voidedAt),
    cost: s.cost ?? null,
    hasLabel: s.labelRef !== undefined,
    manifest: s.manifest ? { number: s.manifest.number, at: iso(s.manifest.at) } : null,
  };
}

export function presentConfirmation(order: Order): ApiConfirmation {
  const c = order.confirmation;
  return {
    orderId: order.orderId,
    state: c.state,
    confirmedAt: isoOrNull(c.confirmedAt),
    attempts: c.attempts,
    error: c.error ?? null,
    needsAttention: c.needsAttention ?? false,
  };
}

function presentAddress(a: Address) {
  return {
    name: a.name,
    line1: a.line1,
    line2: a.line2 ?? null,
    line3: a.line3 ?? null,
    city: a.city,
    county: a.county ?? null,
    postcode: a.postcode,
    countryCode: a.countryCode,
    phone: a.phone ?? null,
  };
}

/**
 * `now` is the room's clock, `cutoff` the team's dispatch cut-off and `couriers` each courier's: the
 * ship-by bucket and late risk read them (an order with a courier against its courier's cut-off).
 */
export function presentOrder(
  o: FeedOrder,
  now: number,
  cutoff: string = DEFAULT_DISPATCH_CUTOFF,
  couriers?: CourierHandovers,
): ApiOrder {
  const { orderId: _id, ...confirmation } = presentConfirmation(o);
  return {
    orderId: o.orderId,
    marketplaceId: o.marketplaceId,
    purchasedAt: iso(o.purchaseDate),
    updatedAt: iso(o.lastUpdated),
    revision: o.revision ?? 0,
    changedAt: iso(Math.max(o.lastUpdated, o.changedAt ?? 0)),
    amazonStatus: o.amazonStatus,
    fulfilmentChannel: o.fulfilmentChannel,
    shipServiceLevel: o.shipServiceLevel,
    isPrime: o.isPrime,
    isBusiness: o.isBusiness ?? false,
    shipBy: {
      earliest: iso(o.earliestShipDate),
      latest: iso(o.latestShipDate),
      bucket: shipByBucket(o.latestShipDate, now, ukOffsetMinutes(now)),
      risk: dispatchRisk(o, now, couriers ? { team: cutoff, couriers } : cutoff),
    },
    deliverBy: { earliest: isoOrNull(o.earliestDeliveryDate), latest: isoOrNull(o.latestDeliveryDate) },
    orderTotal: o.orderTotal ?? null,
    items: o.items.map((i) => ({
      orderItemId: i.orderItemId,
      sku: i.sku,
      asin: i.asin,
      title: i.title,
      quantityOrdered: i.quantityOrdered,
      quantityShipped: i.quantityShipped,
      unitPrice: i.unitPrice ?? null,
    })),
    buyerName: o.buyerName ?? null,
    recipient: o.recipient ? presentAddress(o.recipient) : null,
    addressCorrection: o.addressCorrection
      ? {
          address: presentAddress(o.addressCorrection.address),
          correctedAt: iso(o.addressCorrection.at),
          by: o.addressCorrection.by,
          device: o.addressCorrection.device ?? null,
          reason: o.addressCorrection.reason ?? null,
        }
      : null,
    state: o.state,
    holdUntil: isoOrNull(o.holdUntil),
    notes: o.notes ? o.notes : null,
    cancellationRequested:
      o.buyerCancellationRequested === true || o.items.some((i) => i.cancellationRequested === true),
    cancelled:
      o.state === "cancelled" || o.cancelledBy
        ? { by: o.cancelledBy ?? "amazon", at: isoOrNull(o.cancelledAt) }
        : null,
    package: o.package
      ? {
          weightGrams: o.package.weightGrams,
          lengthMm: o.package.lengthMm ?? null,
          widthMm: o.package.widthMm ?? null,
          heightMm: o.package.heightMm ?? null,
          format: o.package.format ?? null,
        }
      : null,
    service: o.service
      ? { courier: o.service.courier, serviceCode: o.service.serviceCode, reason: o.service.reason ?? null }
      : null,
    shipments: o.shipments.map(presentShipment),
    printedAt: isoOrNull(o.printedAt),
    dispatchedAt: isoOrNull(o.dispatchedAt),
    deliveredAt: isoOrNull(o.deliveredAt),
    confirmation,
  };
}
