import type { Order, Shipment } from "@consign/domain";

const DAY = 86_400_000;

/** A plausible UK MFN order, as the import would write it. */
export function makeOrder(orderId: string, at: number, overrides: Partial<Order> = {}): Order {
  return {
    orderId,
    marketplaceId: "A1F83G8C2ARO7P",
    purchaseDate: at,
    lastUpdated: at,
    amazonStatus: "UNSHIPPED",
    fulfilmentChannel: "MFN",
    shipServiceLevel: "Standard",
    isPrime: false,
    earliestShipDate: at,
    latestShipDate: at + 2 * DAY,
    latestDeliveryDate: at + 5 * DAY,
    orderTotal: { amount: "12.99", currencyCode: "GBP" },
    items: [
      {
        orderItemId: `${orderId}-1`,
        sku: "MUG-BLUE-350",
        asin: "B0CXYZ1234",
        title: "Blue stoneware mug, 350 ml, dishwasher safe",
        quantityOrdered: 1,
        quantityShipped: 0,
        unitPrice: { amount: "12.99", currencyCode: "GBP" },
      },
    ],
    buyerName: "Alex Taylor",
    recipient: {
      name: "Alex Taylor",
      line1: "14 Station Road",
      city: "Leeds",
      postcode: "LS1 4DY",
      countryCode: "GB",
    },
    state: "new",
    labelRevision: 0,
    shipments: [],
    confirmation: { state: "none", attempts: 0 },
    ...overrides,
  };
}

export function makeShipment(orderId: string, at: number): Shipment {
  return {
    id: `${orderId}:0`,
    courier: "royal-mail",
    serviceCode: "TPN24",
    trackingNumber: "GQ660548056GB",
    amazonCarrierCode: "Royal Mail",
    boughtAt: at,
  };
}

/** Amazon-style order id: 3-7-7 digits. */
export function orderIdOf(n: number): string {
  const s = String(n).padStart(14, "0");
  return `203-${s.slice(0, 7)}-${s.slice(7)}`;
}

export const DAY_MS = DAY;
