// Orders API v0's confirmShipment and updateShipmentStatus in the sandbox. A second confirmation of a
// package, or of an order already fully shipped, is refused the way Amazon refuses it (400).

import { amazonErrors, invalidInput, iso, noContent } from "./responses.ts";
import type { SellerStore } from "./store.ts";

/**
 * Amazon's carrier codes a UK confirmation may carry: the `CarrierCode` enumeration of Amazon's
 * amzn-base.xsd (2015 copy in ../shared/specs/amazon-xsd; later codes from Amazon's current
 * amzn-base._TTH_.xsd, January 2026), UK carriers only. The sandbox keeps its own copy, as Amazon
 * does: it plays the outside world and imports nothing of ours. There is no "Evri" code: Amazon
 * still lists the carrier as "Hermes UK".
 */
export const UK_CARRIER_CODES = [
  "Amazon Shipping",
  "AMZL_UK",
  "APC",
  "APC Overnight",
  "Arrow XL",
  "Asendia",
  "City Link",
  "DHL",
  "DHL Express",
  "DHL Parcel UK",
  "DPD",
  "DPD Local",
  "DX",
  "DX Express",
  "DX Freight",
  "DX Secure",
  "FedEx",
  "GFS",
  "Hermes",
  "Hermes (Corporate)",
  "Hermes UK",
  "Huxloe Logistics",
  "InPost",
  "Interlink",
  "Parcel2Go.com",
  "Parcelforce",
  "Parcelhub",
  "Royal Mail",
  "The Delivery Group",
  "TNT",
  "Tuffnells",
  "UK MAIL",
  "UPS",
  "Whistl",
  "XDP",
  "Yodel",
  "Other",
];

/** Amazon's refusal of a carrier code it does not list (or "Other" without a name). */
function carrierProblem(code: string, name: string | undefined): string | null {
  if (!UK_CARRIER_CODES.includes(code)) {
    const near = UK_CARRIER_CODES.find((c) => c.toLowerCase() === code.trim().toLowerCase());
    const hint = near
      ? ` Amazon spells it "${near}".`
      : /^evri$/i.test(code.trim())
        ? ' Amazon lists Evri as "Hermes UK".'
        : "";
    return `"${code}" is not one of Amazon's carrier codes.${hint}`;
  }
  if (code === "Other" && !name?.trim()) return 'carrierName is required when carrierCode is "Other".';
  return null;
}

export const ALREADY_FULFILLED =
  "Failed to create package due to not finding a matching package or order already fulfilled.";

interface ConfirmBody {
  marketplaceId?: unknown;
  packageDetail?: {
    packageReferenceId?: unknown;
    carrierCode?: unknown;
    carrierName?: unknown;
    shippingMethod?: unknown;
    trackingNumber?: unknown;
    shipDate?: unknown;
    orderItems?: unknown;
  };
}

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function confirmShipment(
  store: SellerStore,
  orderId: string,
  raw: unknown,
  now: number,
  rateLimit: string,
): Response {
  const record = (accepted: boolean, status: number, error: string | null, pkg: string | null) =>
    store.recordConfirmation({
      orderId,
      packageReferenceId: pkg,
      accepted,
      httpStatus: status,
      error,
      receivedMs: now,
      body: raw,
    });
  const refuse = (status: number, code: string, message: string, pkg: string | null = null) => {
    record(false, status, message, pkg);
    return amazonErrors(status, code, message, "", rateLimit);
  };
  if (typeof raw !== "object" || raw === null)
    return refuse(400, "InvalidInput", "The request body is not valid JSON.");
  const body = raw as ConfirmBody;
  const d = body.packageDetail;
  if (typeof body.marketplaceId !== "string" || body.marketplaceId === "") {
    return refuse(400, "InvalidInput", "Missing required field: marketplaceId.");
  }
  if (!d || typeof d !== "object")
    return refuse(400, "InvalidInput", "Missing required field: packageDetail.");
  const pkg = typeof d.packageReferenceId === "string" ? d.packageReferenceId : null;
  for (const field of ["packageReferenceId", "carrierCode", "trackingNumber", "shipDate"] as const) {
    if (typeof d[field] !== "string" || d[field] === "") {
      return refuse(400, "InvalidInput", `Missing or invalid field: packageDetail.${field}.`, pkg);
    }
  }
  if (!/^[1-9]\d*$/.test(pkg ?? "")) {
    return refuse(
      400,
      "InvalidInput",
      "PackageReferenceId: is invalid, must be a positive numeric value.",
      pkg,
    );
  }
  if (!isoDateTime.test(d.shipDate as string) || Number.isNaN(Date.parse(d.shipDate as string))) {
    return refuse(400, "InvalidInput", "shipDate must be an ISO 8601 date-time.", pkg);
  }
  const carrierCode = d.carrierCode as string;
  // Amazon's own carrier list: anything else is refused.
  const badCarrier = carrierProblem(
    carrierCode,
    typeof d.carrierName === "string" ? d.carrierName : undefined,
  );
  if (badCarrier) return refuse(400, "InvalidInput", badCarrier, pkg);
  if (!Array.isArray(d.orderItems) || d.orderItems.length === 0) {
    return refuse(400, "InvalidInput", "packageDetail.orderItems must list at least one item.", pkg);
  }

  const row = store.getOrder(orderId, now);
  if (!row) return refuse(404, "NotFound", `Order ${orderId} was not found.`, pkg);
  const order = row.order;
  if (body.marketplaceId !== order.salesChannel.marketplaceId) {
    return refuse(400, "InvalidInput", "Marketplace ID is not defined for this order.", pkg);
  }
  if (order.fulfillment.fulfillmentStatus === "CANCELLED") {
    return refuse(400, "InvalidInput", `Order ${orderId} has been cancelled and cannot be confirmed.`, pkg);
  }
  if (
    order.fulfillment.fulfillmentStatus === "SHIPPED" ||
    order.packages.some((p) => p.packageReferenceId === pkg)
  ) {
    return refuse(400, "InvalidInput", ALREADY_FULFILLED, pkg);
  }
  const lines: { orderItemId: string; quantity: number }[] = [];
  for (const entry of d.orderItems as unknown[]) {
    const e = entry as { orderItemId?: unknown; quantity?: unknown };
    const item = order.orderItems.find((i) => i.orderItemId === e.orderItemId);
    if (!item || typeof e.quantity !== "number" || !Number.isInteger(e.quantity) || e.quantity < 1) {
      return refuse(400, "InvalidInput", `Invalid order item or quantity: ${String(e.orderItemId)}.`, pkg);
    }
    const left = item.quantityOrdered - (item.fulfillment?.quantityFulfilled ?? 0);
    if (e.quantity > left) return refuse(400, "InvalidInput", ALREADY_FULFILLED, pkg);
    lines.push({ orderItemId: item.orderItemId, quantity: e.quantity });
  }

  for (const line of lines) {
    const item = order.orderItems.find((i) => i.orderItemId === line.orderItemId);
    if (!item) continue;
    const done = (item.fulfillment?.quantityFulfilled ?? 0) + line.quantity;
    item.fulfillment = { quantityFulfilled: done, quantityUnfulfilled: item.quantityOrdered - done };
  }
  const allShipped = order.orderItems.every(
    (i) => (i.fulfillment?.quantityUnfulfilled ?? i.quantityOrdered) === 0,
  );
  order.fulfillment.fulfillmentStatus = allShipped ? "SHIPPED" : "PARTIALLY_SHIPPED";
  order.packages.push({
    packageReferenceId: pkg as string,
    createdTime: iso(now),
    packageStatus: { status: "SHIPPED" },
    carrier: carrierCode === "Other" ? (d.carrierName as string) : carrierCode,
    shipTime: iso(Date.parse(d.shipDate as string)),
    ...(typeof d.shippingMethod === "string" ? { shippingService: d.shippingMethod } : {}),
    trackingNumber: d.trackingNumber as string,
    packageItems: lines,
  });
  order.lastUpdatedTime = iso(now);
  store.saveOrder({ ...row, order, updatedMs: now });
  record(true, 204, null, pkg);
  return noContent(rateLimit);
}

const SHIPMENT_STATUSES = ["ReadyForPickup", "PickedUp", "RefusedPickup"];

export function updateShipmentStatus(
  store: SellerStore,
  orderId: string,
  raw: unknown,
  now: number,
  rateLimit: string,
): Response {
  const body = (typeof raw === "object" && raw !== null ? raw : {}) as {
    marketplaceId?: unknown;
    shipmentStatus?: unknown;
    orderItems?: unknown;
  };
  const row = store.getOrder(orderId, now);
  if (
    typeof body.marketplaceId !== "string" ||
    (row && body.marketplaceId !== row.order.salesChannel.marketplaceId)
  ) {
    return amazonErrors(400, "InvalidInput", "Marketplace ID is not defined", "1001", rateLimit);
  }
  if (typeof body.shipmentStatus !== "string" || !SHIPMENT_STATUSES.includes(body.shipmentStatus)) {
    return invalidInput("shipmentStatus must be one of ReadyForPickup, PickedUp, RefusedPickup.", rateLimit);
  }
  if (body.orderItems !== undefined && !Array.isArray(body.orderItems)) {
    return invalidInput("orderItems must be a list.", rateLimit);
  }
  if (!row) return amazonErrors(404, "NotFound", `Order ${orderId} was not found.`, "", rateLimit);
  store.saveOrder({ ...row, updatedMs: now, order: { ...row.order, lastUpdatedTime: iso(now) } });
  return noContent(rateLimit);
}
