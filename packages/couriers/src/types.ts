// The one interface every courier adapter implements, in the seller's words.
import type {
  Address,
  CourierId,
  CustomsDeclaration,
  Money,
  PackageFormat,
  PackageSpec,
} from "@consign/domain";

/** The HTTP function adapters call: the global fetch, a test fake or a rate-limited wrapper. */
export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

/** What every adapter is built with. `timeout` makes a fresh AbortSignal for each call. */
export interface AdapterContext {
  fetch: FetchFunction;
  /** e.g. `() => AbortSignal.timeout(10_000)`: packages keep no timers of their own. */
  timeout?: () => AbortSignal;
}

/** The parcel as the packer measured it, and where it goes. */
export interface Parcel {
  package: PackageSpec;
  /** Postcode and country at least; couriers that quote live (Amazon) use the rest when given. */
  destination: Pick<Address, "postcode" | "countryCode"> & Partial<Address>;
  /** Amazon order id, for couriers that quote against the order (Amazon Buy Shipping). */
  orderId?: string;
}

export interface CourierService {
  courier: CourierId;
  /** The courier's own code, e.g. "TPN24". */
  serviceCode: string;
  /** The name a packer knows, e.g. "Royal Mail Tracked 24". */
  name: string;
  price: Money;
  format?: PackageFormat;
}

export interface ShipmentContentLine {
  sku: string;
  description: string;
  quantity: number;
  /** Unit value in pounds, e.g. 12.99. */
  unitValue: number;
}

/** Where parcels are collected from (the seller's warehouse). */
export interface SenderAddress extends Address {
  companyName?: string;
  email?: string;
}

export interface ShipmentRequest {
  /** Amazon order id. */
  orderId: string;
  serviceCode: string;
  recipient: Address;
  sender: SenderAddress;
  package: PackageSpec;
  contents: ShipmentContentLine[];
  /** Epoch ms. */
  orderDate: number;
  /** Goods value (ex. shipping), pounds. */
  goodsValue: number;
  /** Shipping the buyer paid, pounds. */
  shippingPaid?: number;
  /**
   * For parcels that leave the domestic post (abroad, Channel Islands, Isle of Man, BFPO): what
   * each line is, its tariff code and origin, and the IOSS number for EU parcels. See the domain's
   * customs.ts; each adapter carries it the way its courier asks (customs.ts beside each adapter).
   */
  customs?: CustomsDeclaration;
}

export interface CreatedShipment {
  courier: CourierId;
  /** The courier's id for the shipment (Click & Drop orderIdentifier, Amazon shipmentId, DPD shipmentId, Evri barcode). */
  courierShipmentId: string;
  trackingNumber: string;
  serviceCode: string;
  /** A second courier reference some couriers need later (Amazon: packageClientReferenceId; DPD: parcel number). */
  packageReference?: string;
  /** The label PDF when the courier sent it with the purchase; otherwise ask `fetchLabel`. */
  labelPdf?: Uint8Array;
  cost?: Money;
}

/**
 * Courier-specific facts saved before the purchase call so that an uncertain purchase can be
 * replayed or looked up after a restart (Amazon: the rate's requestToken and rateId).
 */
export type PurchaseAttempt = Record<string, string>;

export interface PurchaseOptions {
  /** Our key for the purchase, `${orderId}:${labelRevision}`. */
  idempotencyKey: string;
  /** Called (and awaited) after any quoting and before the purchase call goes out. */
  rememberAttempt?: (attempt: PurchaseAttempt) => Promise<void> | void;
}

export interface ShipmentLookup {
  idempotencyKey: string;
  /** What `rememberAttempt` saved, when anything was. */
  attempt?: PurchaseAttempt;
  /** What the purchase would have bought (used by couriers whose lookup replays the purchase). */
  request?: ShipmentRequest;
}

export type TrackingStatus = "pre_transit" | "in_transit" | "out_for_delivery" | "delivered" | "exception";

export interface TrackingEvent {
  /** Epoch ms. */
  at: number;
  status: TrackingStatus;
  /** The courier's words, e.g. "Delivered". */
  description: string;
  location?: string;
}

export interface Tracking {
  trackingNumber: string;
  status: TrackingStatus;
  delivered: boolean;
  deliveredAt?: number;
  events: TrackingEvent[];
}

/** How fast a courier lets us call it. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** Printer resolutions a courier's ZPL label is asked for at. */
export type ZplDpi = 203 | 300;

export interface CourierAdapter {
  readonly courier: CourierId;
  /** The courier's name as a packer says it, e.g. "Royal Mail". */
  readonly displayName: string;
  /** Carrier code for Amazon's confirmShipment (`packageDetail.carrierCode`). */
  readonly amazonCarrierCode: string;
  readonly rateLimit: RateLimit;
  /** Services that can carry this parcel, with their price. */
  services(parcel: Parcel): Promise<CourierService[]>;
  /** Buys the label. Passes the idempotency key to the courier where the courier has one. */
  createShipment(request: ShipmentRequest, options: PurchaseOptions): Promise<CreatedShipment>;
  /** Resolves an uncertain purchase: the shipment if the courier has it, null if it never bought one. */
  findShipment(lookup: ShipmentLookup): Promise<CreatedShipment | null>;
  /** The label PDF of a bought shipment. */
  fetchLabel(shipment: CreatedShipment): Promise<Uint8Array>;
  /**
   * The courier's own label as ZPL for a thermal printer at `dpi`, for couriers whose API prints
   * one (Amazon Shipping's getShipmentDocuments format=ZPL). Absent for couriers whose API gives
   * PDF only: their PDF is drawn for the printer instead.
   */
  fetchZplLabel?(shipment: CreatedShipment, dpi: ZplDpi): Promise<string>;
  /** Cancels the label with the courier (the seller is not charged for a voided label). */
  voidShipment(shipment: CreatedShipment): Promise<void>;
  track(trackingNumber: string): Promise<Tracking>;
  /**
   * Couriers that take several orders a call (Click & Drop's POST /orders): how many at most, and
   * the batch purchase and lookup. Absent: one order a call through createShipment/findShipment.
   */
  readonly batch?: BatchPurchasing;
}

/** One order of a batch purchase: what to buy, under our key `${orderId}:${labelRevision}`. */
export interface BatchItem {
  request: ShipmentRequest;
  idempotencyKey: string;
}

/**
 * Each order's answer in a batch, by idempotency key: the shipment, or the courier's refusal of
 * that order alone (its own reason). A call that fails as a whole (timeout, 5xx) throws instead,
 * and then every order in it is uncertain until looked up.
 */
export type BatchOutcome = { created: CreatedShipment } | { refused: Error };

export interface BatchPurchasing {
  /** Orders a call at most (our choice within what the courier takes). */
  readonly maxPerCall: number;
  /** Lookups a call at most. */
  readonly maxLookupsPerCall: number;
  createShipments(items: readonly BatchItem[]): Promise<Map<string, BatchOutcome>>;
  /** The shipments the courier holds under these keys (absent keys: never bought). */
  findShipments(lookups: readonly ShipmentLookup[]): Promise<Map<string, CreatedShipment>>;
}
