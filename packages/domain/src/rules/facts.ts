// The facts about an order that shipping rules look at, worked out once per order.

import { deliveryAddress, type Order } from "../order.ts";

export interface OrderFacts {
  weightGrams: number | undefined;
  /** Package sides in mm, longest first; undefined when any side is unknown. */
  sidesMm: readonly [number, number, number] | undefined;
  countryCode: string;
  /** "BT" for "BT7 1NN"; empty when there is no UK-style postcode. */
  postcodeArea: string;
  /** "BT7" for "BT7 1NN". */
  postcodeDistrict: string;
  prime: boolean;
  shipServiceLevel: string;
  skus: readonly string[];
  /** Order total in pounds, when known. */
  orderValue: number | undefined;
  itemCount: number;
}

/** "bt7 1nn" → { district: "BT7", area: "BT" }. The inward code is always the last three characters. */
export function postcodeParts(postcode: string): { area: string; district: string } {
  const compact =
    postcode.indexOf(" ") < 0 && postcode === postcode.toUpperCase()
      ? postcode
      : postcode.replace(/\s+/g, "").toUpperCase();
  if (compact.length < 5 || compact.length > 7) return { area: "", district: "" };
  const district = compact.slice(0, -3);
  let end = 0;
  while (end < district.length && end < 2) {
    const c = district.charCodeAt(end);
    if (c < 65 || c > 90) break;
    end++;
  }
  return { area: district.slice(0, end), district };
}

export function orderFacts(order: Order): OrderFacts {
  const pkg = order.package;
  let sidesMm: OrderFacts["sidesMm"];
  if (pkg?.lengthMm !== undefined && pkg.widthMm !== undefined && pkg.heightMm !== undefined) {
    let a = pkg.lengthMm;
    let b = pkg.widthMm;
    let c = pkg.heightMm;
    if (a < b) [a, b] = [b, a];
    if (b < c) [b, c] = [c, b];
    if (a < b) [a, b] = [b, a];
    sidesMm = [a, b, c];
  }
  const { area, district } = postcodeParts(deliveryAddress(order)?.postcode ?? "");
  let itemCount = 0;
  const skus: string[] = [];
  for (const item of order.items) {
    itemCount += item.quantityOrdered;
    skus.push(item.sku);
  }
  const amount = order.orderTotal === undefined ? Number.NaN : Number.parseFloat(order.orderTotal.amount);
  return {
    weightGrams: pkg?.weightGrams,
    sidesMm,
    countryCode: (order.recipient?.countryCode ?? "").toUpperCase(),
    postcodeArea: area,
    postcodeDistrict: district,
    prime: order.isPrime,
    shipServiceLevel: order.shipServiceLevel,
    skus,
    orderValue: Number.isFinite(amount) ? amount : undefined,
    itemCount,
  };
}
