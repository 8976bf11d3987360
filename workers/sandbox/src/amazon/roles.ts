// Personal data by role, as Amazon documents it for Orders API 2026-01-01 ("Access Orders PII",
// developer-docs.amazon.com/sp-api/docs/access-orders-pii): no Restricted Data Token; what an app
// sees depends on the restricted roles it is approved for, the order's fulfilment channel and status.
//
// - buyer.buyerEmail: Direct-to-Consumer Delivery, merchant-fulfilled, UNSHIPPED / PARTIALLY_SHIPPED /
//   SHIPPED.
// - buyer.buyerName: Tax Invoicing or Tax Remittance (and, for merchant-fulfilled orders,
//   Direct-to-Consumer Delivery), in those same statuses.
// - recipient.deliveryAddress name, lines 1-3, postalCode, phone: Direct-to-Consumer Delivery; the
//   phone is suppressed once the order is past its delivery window.
// Without the role the fields are simply absent; city, county, country and address type are not PII.
//
// Restricted Data Tokens remain for the operations Amazon still lists as restricted; asking for one
// on any other path is refused with Amazon's 400 "Application do not have access to some or all
// requested resource".

import type { WireAddress, WireOrder } from "./wire.ts";

export const APP_ROLES = [
  "INVENTORY_AND_ORDER_TRACKING",
  "DIRECT_TO_CONSUMER_DELIVERY",
  "TAX_INVOICING",
  "TAX_REMITTANCE",
] as const;
export type AppRole = (typeof APP_ROLES)[number];

/** The sandbox's app is approved for every role unless a test or the demo switches some off. */
export const DEFAULT_ROLES: AppRole[] = [...APP_ROLES];

const PII_STATUSES = ["UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED"];

export function renderBuyer(o: WireOrder, roles: readonly AppRole[]): Record<string, string> {
  const d2c = roles.includes("DIRECT_TO_CONSUMER_DELIVERY");
  const tax = roles.includes("TAX_INVOICING") || roles.includes("TAX_REMITTANCE");
  const mfn = o.fulfillment.fulfilledBy === "MERCHANT";
  const status = PII_STATUSES.includes(o.fulfillment.fulfillmentStatus);
  const out: Record<string, string> = {};
  if (status && (tax || (mfn && d2c))) out.buyerName = o.buyer.buyerName;
  if (status && mfn && d2c) out.buyerEmail = o.buyer.buyerEmail;
  if (o.buyer.buyerCompanyName) out.buyerCompanyName = o.buyer.buyerCompanyName;
  return out;
}

export function renderAddress(o: WireOrder, roles: readonly AppRole[], now: number): WireAddress {
  const a = o.recipient.deliveryAddress;
  const open: WireAddress = {};
  if (a.city !== undefined) open.city = a.city;
  if (a.districtOrCounty !== undefined) open.districtOrCounty = a.districtOrCounty;
  if (a.stateOrRegion !== undefined) open.stateOrRegion = a.stateOrRegion;
  if (a.countryCode !== undefined) open.countryCode = a.countryCode;
  if (a.addressType !== undefined) open.addressType = a.addressType;
  if (!roles.includes("DIRECT_TO_CONSUMER_DELIVERY")) return open;
  const full: WireAddress = { ...a };
  const deliverBy = Date.parse(o.fulfillment.deliverByWindow.latestDateTime ?? "");
  if (!Number.isNaN(deliverBy) && deliverBy < now) delete full.phone;
  return full;
}

/**
 * Operations Amazon still guards with a Restricted Data Token (Tokens API use-case guide): Orders v0
 * reads, Merchant Fulfillment shipments and report documents. Every other path is refused.
 */
const RESTRICTED: { method: string; pattern: RegExp }[] = [
  { method: "GET", pattern: /^\/orders\/v0\/orders$/ },
  { method: "GET", pattern: /^\/orders\/v0\/orders\/[^/]+$/ },
  { method: "GET", pattern: /^\/orders\/v0\/orders\/[^/]+\/(orderItems|address|buyerInfo)$/ },
  { method: "GET", pattern: /^\/orders\/v0\/orders\/[^/]+\/orderItems\/buyerInfo$/ },
  { method: "POST", pattern: /^\/mfn\/v0\/shipments$/ },
  { method: "GET", pattern: /^\/mfn\/v0\/shipments\/[^/]+$/ },
  { method: "DELETE", pattern: /^\/mfn\/v0\/shipments\/[^/]+$/ },
  { method: "GET", pattern: /^\/reports\/2021-06-30\/documents\/[^/]+$/ },
];

export function isRestrictedPath(method: string, path: string): boolean {
  return RESTRICTED.some((r) => r.method === method && r.pattern.test(path));
}

/** The data elements an RDT may open, given the app's roles (Amazon names the ones it refuses). */
export function refusedDataElements(elements: readonly string[], roles: readonly AppRole[]): string[] {
  const d2c = roles.includes("DIRECT_TO_CONSUMER_DELIVERY");
  const tax = roles.includes("TAX_INVOICING") || roles.includes("TAX_REMITTANCE");
  return elements.filter((e) => {
    if (e === "shippingAddress") return !d2c;
    if (e === "buyerInfo" || e === "buyerTaxInformation") return !(tax || d2c);
    return true;
  });
}
