// The sandbox's own types for what it stores and sends: Orders API 2026-01-01's order (written from
// specs/sp-api/orders_2026-01-01.json; note the camelCase names, unlike v0's PascalCase).

export type FulfillmentStatus =
  | "PENDING_AVAILABILITY"
  | "PENDING"
  | "UNSHIPPED"
  | "PARTIALLY_SHIPPED"
  | "SHIPPED"
  | "CANCELLED"
  | "UNFULFILLABLE";

export const FULFILLMENT_STATUSES: FulfillmentStatus[] = [
  "PENDING_AVAILABILITY",
  "PENDING",
  "UNSHIPPED",
  "PARTIALLY_SHIPPED",
  "SHIPPED",
  "CANCELLED",
  "UNFULFILLABLE",
];

export const INCLUDED_DATA = [
  "BUYER",
  "RECIPIENT",
  "PROCEEDS",
  "EXPENSE",
  "PROMOTION",
  "CANCELLATION",
  "FULFILLMENT",
  "PACKAGES",
  "TAX",
  "PAYMENT",
  "FULFILLMENT_ORDERS",
] as const;
export type IncludedData = (typeof INCLUDED_DATA)[number];

export interface WireMoney {
  amount: string;
  currencyCode: string;
}

export interface WireRange {
  earliestDateTime?: string;
  latestDateTime?: string;
}

export interface WireAddress {
  name?: string;
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  districtOrCounty?: string;
  stateOrRegion?: string;
  postalCode?: string;
  countryCode?: string;
  phone?: string;
  addressType?: string;
}

export interface WireOrderItem {
  orderItemId: string;
  quantityOrdered: number;
  product: {
    asin: string;
    title: string;
    sellerSku: string;
    condition: { conditionType: string; conditionSubtype: string };
    price: { unitPrice: WireMoney };
  };
  proceeds?: { proceedsTotal: WireMoney; breakdowns: { type: string; subtotal: WireMoney }[] };
  cancellation?: {
    cancellationRequest?: { requester: string; cancelReason: string };
    cancellationExecution?: { cancelledBy: string; cancelReason: string };
  };
  fulfillment?: { quantityFulfilled: number; quantityUnfulfilled: number };
}

export interface WirePackage {
  packageReferenceId: string;
  createdTime: string;
  packageStatus: { status: string };
  carrier: string;
  shipTime: string;
  shippingService?: string;
  trackingNumber: string;
  packageItems: { orderItemId: string; quantity: number }[];
}

export interface WireOrder {
  orderId: string;
  createdTime: string;
  lastUpdatedTime: string;
  programs: string[];
  salesChannel: { channelName: string; marketplaceId: string; marketplaceName: string };
  buyer: { buyerName: string; buyerEmail: string; buyerCompanyName?: string };
  recipient: { deliveryAddress: WireAddress };
  proceeds: { grandTotal: WireMoney; breakdowns: { type: string; subtotal: WireMoney }[] };
  fulfillment: {
    fulfillmentStatus: FulfillmentStatus;
    fulfilledBy: "MERCHANT" | "AMAZON";
    fulfillmentServiceLevel: string;
    shipByWindow: WireRange;
    deliverByWindow: WireRange;
  };
  orderItems: WireOrderItem[];
  packages: WirePackage[];
}

/** An order as the sandbox keeps it: the full order plus when a buyer's cancellation request lands. */
export interface SandboxOrder {
  order: WireOrder;
  createdMs: number;
  updatedMs: number;
  /** A buyer's cancellation request that appears when this time passes (demo data that moves). */
  cancelRequestMs?: number;
}

export const UK_MARKETPLACE_ID = "A1F83G8C2ARO7P";
