// Amazon's carrier codes for a UK dispatch confirmation (confirmShipment `packageDetail.carrierCode`).
//
// Source: the `CarrierCode` enumeration of Amazon's `amzn-base.xsd`, the list every shipment
// confirmation (API, feed or integrator) is validated against. ../shared/specs/amazon-xsd/amzn-base.xsd
// is a 2015 copy (Royal Mail, Parcelforce, DPD, Yodel, UPS, DHL, FedEx, TNT, City Link, Other…); the
// codes added since (Amazon Shipping, DPD Local, Hermes UK, DHL Parcel UK, InPost, Whistl, …) are as
// published from Amazon's current `amzn-base._TTH_.xsd` (retrieved January 2026). Only the carriers
// that deliver in the UK are kept here; spelling and case are Amazon's and must match exactly.
//
// Evri: Amazon's list still names the carrier by its former name, "Hermes UK" (there is no "Evri"
// code). A confirmation sent as "Evri" is refused, and "Other" + carrierName "Evri" would be accepted
// but counts as an unrecognised carrier for the Valid Tracking Rate, so Evri parcels go as "Hermes UK".

import type { CourierId } from "./order.ts";

export const AMAZON_UK_CARRIER_CODES = [
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
] as const;

export type AmazonCarrierCode = (typeof AMAZON_UK_CARRIER_CODES)[number];

/** The code Amazon expects for each courier Consign buys labels from. */
export const AMAZON_CARRIER_CODE_OF: Record<CourierId, AmazonCarrierCode> = {
  "royal-mail": "Royal Mail",
  "amazon-shipping": "Amazon Shipping",
  dpd: "DPD",
  evri: "Hermes UK",
};

/**
 * Whether Amazon accepts this carrierCode (and carrierName) for a UK confirmation: one of its codes
 * exactly, or "Other" with the carrier's name. Returns the reason when it does not.
 */
export function checkAmazonCarrier(carrierCode: string, carrierName?: string): string | null {
  if (!(AMAZON_UK_CARRIER_CODES as readonly string[]).includes(carrierCode)) {
    const near = AMAZON_UK_CARRIER_CODES.find((c) => c.toLowerCase() === carrierCode.trim().toLowerCase());
    const hint = near
      ? ` Amazon spells it "${near}".`
      : /^evri$/i.test(carrierCode.trim())
        ? ' Amazon lists Evri as "Hermes UK".'
        : "";
    return `"${carrierCode}" is not one of Amazon's carrier codes.${hint}`;
  }
  if (carrierCode === "Other" && !carrierName?.trim()) {
    return 'carrierName is required when carrierCode is "Other".';
  }
  return null;
}
