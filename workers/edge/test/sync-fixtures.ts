import type { Order } from "@consign/domain";

export function order(id: string, at = Date.UTC(2026, 3, 1)): Order {
  return {
    orderId: id,
    marketplaceId: "A1F83G8C2ARO7P",
    purchaseDate: at,
    lastUpdated: at,
    amazonStatus: "UNSHIPPED",
    fulfilmentChannel: "MFN",
    shipServiceLevel: "Standard",
    isPrime: false,
    earliestShipDate: at,
    latestShipDate: at + 172_800_000,
    items: [
      {
        orderItemId: `${id}-1`,
        sku: "MUG-BLUE-350",
        asin: "B0CXYZ1234",
        title: "Blue mug",
        quantityOrdered: 1,
        quantityShipped: 0,
      },
    ],
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
  };
}

export function orderIds(n: number, prefix = "203-0000001"): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(7, "0")}`);
}
