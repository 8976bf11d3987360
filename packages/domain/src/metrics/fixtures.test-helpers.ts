// Small builders for hand-computed metric fixtures.

import type { CourierId, Order } from "../order.ts";
import { makeOrder } from "../testing/generate.ts";
import { DAY_MS } from "../time.ts";

export const NOW = Date.UTC(2026, 10, 25, 12);
export const daysAgo = (d: number) => NOW - d * DAY_MS;

let serial = 0;
export function order(overrides: Partial<Order> = {}): Order {
  serial++;
  return makeOrder({ orderId: `202-0000000-${String(serial).padStart(7, "0")}`, ...overrides });
}

/** An MFN order confirmed at `confirmedAt` with a label of the given courier and tracking number. */
export function confirmed(
  confirmedAt: number,
  overrides: Partial<Order> = {},
  courier: CourierId = "royal-mail",
  trackingNumber = "GQ660548056GB",
): Order {
  return order({
    purchaseDate: confirmedAt - DAY_MS,
    latestShipDate: confirmedAt + DAY_MS,
    state: "confirmed",
    shipments: [
      {
        id: "s",
        courier,
        serviceCode: "X",
        trackingNumber,
        amazonCarrierCode: "Royal Mail",
        boughtAt: confirmedAt - 1,
      },
    ],
    confirmation: { state: "confirmed", confirmedAt, attempts: 1 },
    ...overrides,
  });
}
