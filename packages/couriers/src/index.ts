export {
  AMAZON_SHIPPING_RATE_LIMIT,
  type AmazonShippingConfig,
  createAmazonShippingAdapter,
} from "./amazon-shipping/adapter.ts";
export type * from "./collections.ts";
export { createDpdAdapter, DPD_RATE_LIMIT, DPD_SERVICES, type DpdConfig } from "./dpd/adapter.ts";
export { createDpdCollections } from "./dpd/collections.ts";
export { createDpdReturns, DPD_RETURNS_NETWORK } from "./dpd/returns.ts";
export { createEvriAdapter, EVRI_RATE_LIMIT, EVRI_SERVICES, type EvriConfig } from "./evri/adapter.ts";
export { createEvriCollections } from "./evri/collections.ts";
export { createEvriReturns } from "./evri/returns.ts";
export { isOutcomeUncertain, isPdf } from "./http.ts";
export { isUkPostcode, normalisePostcode } from "./postcode.ts";
export type * from "./returns.ts";
export {
  createRoyalMailAdapter,
  ROYAL_MAIL_LOOKUPS_PER_CALL,
  ROYAL_MAIL_ORDERS_PER_CALL,
  ROYAL_MAIL_RATE_LIMIT,
  type RoyalMailConfig,
} from "./royal-mail/adapter.ts";
export { ROYAL_MAIL_FORMATS, ROYAL_MAIL_SERVICES, royalMailFormat } from "./royal-mail/formats.ts";
export {
  createRoyalMailManifests,
  type ManifestStatus,
  type RoyalMailManifest,
  type RoyalMailManifestConfig,
  type RoyalMailManifests,
} from "./royal-mail/manifest.ts";
export {
  createProShippingAdapter,
  PRO_SHIPPING_RATE_LIMIT,
  PRO_SHIPPING_SERVICE_CODES,
  type ProShippingConfig,
  proShippingShipment,
  signInToProShipping,
} from "./royal-mail/pro-shipping.ts";
export {
  createRoyalMailReturns,
  ROYAL_MAIL_RETURNS_SERVICE,
  type RoyalMailReturnsConfig,
} from "./royal-mail/returns.ts";
export {
  isDpdConsignmentNumber,
  isDpdParcelNumber,
  isEvriTrackingNumber,
  isRoyalMailTrackingNumber,
  royalMailTrackingNumber,
  s10CheckDigit,
} from "./tracking-numbers.ts";
export type * from "./types.ts";
export { isValidTrackingNumber } from "./valid-tracking.ts";
