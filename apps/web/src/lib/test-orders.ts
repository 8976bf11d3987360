// A plain Order for tests (not shipped in the app bundle: only *.test.ts import it).
import type { Order } from "@consign/domain";

export function testOrder(over: Partial<Order> = {}): Order {
  return {
    orderId: "203-0000000-0000001",
    marketplaceId: "A1F83G8C2ARO7P",
    purchaseDate: Date.UTC(2025, 10, 25, 9),
    lastUpdated: Date.UTC(2025, 10, 25, 9),
    amazonStatus: "UNSHIPPED",
    fulfilmentChannel: "MFN",
    shipServiceLevel: "Standard",
    isPrime: false,
    earliestShipDate: Date.UTC(2025, 10, 25, 9),
    latestShipDate: Date.UTC(2025, 10, 26, 17),
    items: [
      {
        orderItemId: "i1",
        sku: "MUG-BLUE",
        asin: "B000000001",
        title: "Blue mug",
        quantityOrdered: 1,
        quantityShipped: 0,
      },
    ],
    buyerName: "Ada Lovelace",
    recipient: {
      name: "Ada Lovelace",
      line1: "1 High St",
      city: "Leeds",
      postcode: "LS1 1AA",
      countryCode: "GB",
    },
    state: "new",
    labelRevision: 0,
    shipments: [],
    confirmation: { state: "none", attempts: 0 },
    ...over,
  };
}
