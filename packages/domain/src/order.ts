// The seller's order, normalised from Amazon's Orders API 2026-01-01 plus Consign's own working state.
// Times are epoch milliseconds (numbers, not Date objects): cheap to store in the Yjs document,
// cheap to compare in the metrics' hot loops.

export type Millis = number;

/** UK marketplace id (amazon.co.uk). */
export const UK_MARKETPLACE_ID = "A1F83G8C2ARO7P";

export interface Money {
  /** Decimal string as Amazon sends it, e.g. "12.99". */
  amount: string;
  currencyCode: string;
}

export interface OrderItem {
  orderItemId: string;
  sku: string;
  asin: string;
  title: string;
  quantityOrdered: number;
  quantityShipped: number;
  unitPrice?: Money;
  /** Quantity the buyer asked to cancel, when a cancellation request is open on this item. */
  cancellationRequested?: boolean;
  /** Amazon's IOSS number for EU parcels when Amazon collected the VAT (`internationalShipping.iossNumber`). */
  iossNumber?: string;
}

export interface Address {
  name: string;
  /** The business at this address (the sender's company goes on every label's FROM block). */
  companyName?: string;
  line1: string;
  line2?: string;
  line3?: string;
  city: string;
  county?: string;
  postcode: string;
  /** ISO 3166-1 alpha-2, e.g. "GB". */
  countryCode: string;
  phone?: string;
}

export type FulfilmentChannel = "MFN" | "AFN";

/** Amazon's order status as reported by the Orders API (FulfillmentStatus). */
export type AmazonOrderStatus =
  | "PENDING"
  | "UNSHIPPED"
  | "PARTIALLY_SHIPPED"
  | "SHIPPED"
  | "CANCELLED"
  | "UNFULFILLABLE";

export type PackageFormat = "letter" | "large-letter" | "small-parcel" | "medium-parcel" | "large-parcel";

export interface PackageSpec {
  weightGrams: number;
  lengthMm?: number;
  widthMm?: number;
  heightMm?: number;
  format?: PackageFormat;
  /**
   * Where the weight came from: "sku" when worked out from the seller's SKU weights (worked out
   * again whenever they change), "entered" when a person or an integrator set it (kept as given).
   * Absent on older orders: treated as entered.
   */
  source?: "sku" | "entered";
}

export type CourierId = "royal-mail" | "evri" | "dpd" | "amazon-shipping";

export interface ChosenService {
  courier: CourierId;
  /** The courier's own service code, e.g. "TPN24" (Royal Mail Tracked 24). */
  serviceCode: string;
  format?: PackageFormat;
  /** Which rule chose it, and why, in words a person can read. */
  ruleId?: string;
  reason?: string;
  /** "override" when a person chose the service for this order (rules leave it alone); else a rule chose it. */
  source?: "rule" | "override";
}

export interface Shipment {
  /** Our id for the label purchase: `${orderId}:${labelRevision}`. */
  id: string;
  courier: CourierId;
  serviceCode: string;
  trackingNumber: string;
  /** Carrier code for Amazon's confirmShipment, e.g. "Royal Mail", "Hermes", "DPD". */
  amazonCarrierCode: string;
  amazonCarrierName?: string;
  /** Where the label document lives (blob key). */
  labelRef?: string;
  boughtAt: Millis;
  voidedAt?: Millis;
  cost?: Money;
  /** Handed to the courier on the day's manifest: the label can no longer be voided. */
  manifest?: ShipmentManifest;
}

/** The end-of-day manifest a label went on (Royal Mail Click & Drop's manifestNumber). */
export interface ShipmentManifest {
  /** The courier's manifest number, e.g. "1001". */
  number: string;
  at: Millis;
}

export type ConfirmationState = "none" | "pending" | "confirmed" | "failed";

export interface DispatchConfirmation {
  state: ConfirmationState;
  /** When Amazon accepted the confirmation: this is the moment Amazon counts for late dispatch. */
  confirmedAt?: Millis;
  attempts: number;
  /** Amazon's reason, when it refused. */
  error?: string;
  /** Refused for good: a person must look. */
  needsAttention?: boolean;
  /** Pending after Amazon failed or throttled it: when Consign sends it again. */
  retryAt?: Millis;
}

/**
 * How an A-to-z Guarantee claim ended. Only "open" and "granted" count against the Order Defect Rate:
 * Amazon leaves out claims it denied, claims the buyer withdrew, and claims Amazon funded itself
 * (Buy Shipping claims protection for late or lost parcels whose label was bought through Amazon).
 */
export type ClaimOutcome = "open" | "granted" | "denied" | "withdrawn" | "amazon_funded";

export interface AzClaim {
  at: Millis;
  /** Amazon decided against the buyer (kept for claims recorded before `outcome` existed). */
  denied: boolean;
  /** How the claim ended, when known; absent means what `denied` says. */
  outcome?: ClaimOutcome;
}

/** Facts that arrive after the sale and count against the seller's metrics. */
export interface OrderDefects {
  negativeFeedbackAt?: Millis;
  /** A-to-z Guarantee claim; see `claimCountsAsDefect` for which ones count. */
  azClaim?: AzClaim;
  chargebackAt?: Millis;
  /** The first refund Amazon reported for the order (Finances); later partial refunds do not move it. */
  refundedAt?: Millis;
  /** The first returns label booked in Consign for the order: the return the refund follows. */
  returnedAt?: Millis;
  buyerMessageAt?: Millis;
}

export type CancelledBy = "buyer" | "seller" | "amazon";

/** Units of one order line sent in one package (Amazon's `packageDetail.orderItems[]`). */
export interface PackageItem {
  orderItemId: string;
  quantity: number;
}

/**
 * One parcel of an order that leaves in several: its own items, label, tracking, confirmation to
 * Amazon (with its own `packageReferenceId`) and delivery. An order without `packages` is one
 * package made of the order's own fields (see `packagesOf` in packages.ts).
 */
export interface OrderPackage {
  /** Sent to Amazon as `packageDetail.packageReferenceId`: "1", "2", … unique within the order. */
  packageReferenceId: string;
  items: PackageItem[];
  spec?: PackageSpec;
  /** Labels bought for this parcel, newest last; the newest not voided is the one Amazon tracks. */
  shipments: Shipment[];
  confirmation: DispatchConfirmation;
  /** When this parcel was delivered, from tracking. */
  deliveredAt?: Millis;
  /** What its courier last said of it (the room's tracking poll). */
  tracking?: ParcelTracking;
}

/** Where a parcel is, in the words every courier's tracking maps to. */
export type DeliveryStatus = "pre_transit" | "in_transit" | "out_for_delivery" | "delivered" | "exception";

/**
 * The courier's last answer for one parcel, kept by the room's tracking poll. `checkedAt` is when
 * the courier answered: a parcel not delivered by its latest delivery date is known to be late only
 * once its courier has answered after that date (until then on-time delivery has no data for it).
 */
export interface ParcelTracking {
  checkedAt: Millis;
  status: DeliveryStatus;
  /** The courier's newest event, in its words ("Delivered", "Attempted delivery: no safe place"). */
  event?: { at: Millis; description: string; location?: string };
}

/** Consign's warehouse lifecycle (see lifecycle.ts for the allowed transitions). */
export type OrderState =
  | "new"
  | "ready"
  | "label_bought"
  | "printed"
  | "dispatched"
  | "confirmed"
  | "on_hold"
  | "cancelled";

export interface HistoryEntry {
  at: Millis;
  by: string;
  /** The device it was done on ("Packing bench tablet"), where known. */
  device?: string;
  action: string;
  detail?: string;
}

/**
 * A delivery address a person corrected (the buyer wrote to say the flat number is missing).
 * Amazon's address stays as Amazon gave it, beside this; labels go to this one.
 */
export interface AddressCorrection {
  address: Address;
  at: Millis;
  /** Who corrected it (a person's name, or an API key's name). */
  by: string;
  device?: string;
  /** Why, in the person's words ("buyer's message: flat 3"). */
  reason?: string;
}

export interface Order {
  orderId: string;
  marketplaceId: string;
  purchaseDate: Millis;
  lastUpdated: Millis;
  amazonStatus: AmazonOrderStatus;
  fulfilmentChannel: FulfilmentChannel;
  /** e.g. "Standard", "Expedited", "NextDay", "SecondDay". */
  shipServiceLevel: string;
  isPrime: boolean;
  isBusiness?: boolean;
  earliestShipDate: Millis;
  latestShipDate: Millis;
  earliestDeliveryDate?: Millis;
  latestDeliveryDate?: Millis;
  orderTotal?: Money;
  items: OrderItem[];
  /** Buyer's name as shown to the team (needs a Restricted Data Token from Amazon). */
  buyerName?: string;
  recipient?: Address;
  buyerCancellationRequested?: boolean;
  /** The buyer's reason for asking to cancel, as Amazon passes it on ("Ordered by mistake"). */
  cancellationRequestReason?: string;

  // Consign's own working state
  state: OrderState;
  /** State to return to when a hold is released. */
  heldFrom?: OrderState;
  holdUntil?: Millis;
  cancelledBy?: CancelledBy;
  cancelledAt?: Millis;
  package?: PackageSpec;
  /**
   * Set only when the order leaves in more than one parcel. Then each parcel carries its own label,
   * confirmation and delivery, and the order's `shipments`, `confirmation` and `deliveredAt` sum
   * them up (see packages.ts).
   */
  packages?: OrderPackage[];
  service?: ChosenService;
  /** Increments each time a label is voided and bought again. */
  labelRevision: number;
  shipments: Shipment[];
  printedAt?: Millis;
  dispatchedAt?: Millis;
  confirmation: DispatchConfirmation;
  /** When the parcel was delivered, from tracking. */
  deliveredAt?: Millis;
  /** What the courier last said of the parcel (single-parcel orders; see OrderPackage.tracking). */
  tracking?: ParcelTracking;
  defects?: OrderDefects;
  notes?: string;
  history?: HistoryEntry[];
  /** A corrected delivery address; `recipient` stays Amazon's. See deliveryAddress(). */
  addressCorrection?: AddressCorrection;
}

/**
 * Why the delivery address cannot be corrected now, or null when it can: seller-fulfilled, before
 * any label is bought (new, ready or on hold). One rule for the room and the app.
 */
export function addressCorrectionRefusal(
  order: Pick<Order, "orderId" | "fulfilmentChannel" | "state" | "shipments">,
): string | null {
  if (order.fulfilmentChannel !== "MFN")
    return `${order.orderId} is fulfilled by Amazon (FBA): Amazon delivers it, so its address cannot be corrected here.`;
  if (activeShipment(order))
    return `${order.orderId} already has a label for the address it had: void the label first, then correct the address and buy a new one.`;
  if (order.state !== "new" && order.state !== "ready" && order.state !== "on_hold")
    return `${order.orderId} is ${order.state.replace("_", " ")}: the address can only be corrected before its label is bought.`;
  return null;
}

/** Where the parcel goes: the corrected address when someone corrected it, else Amazon's. */
export function deliveryAddress(order: Pick<Order, "recipient" | "addressCorrection">): Address | undefined {
  return order.addressCorrection?.address ?? order.recipient;
}

export function activeShipment(order: Pick<Order, "shipments">): Shipment | undefined {
  for (let i = order.shipments.length - 1; i >= 0; i--) {
    const s = order.shipments[i];
    if (s && s.voidedAt === undefined) return s;
  }
  return undefined;
}
