// CSV exports of orders and shipments (RFC 4180: CRLF lines, fields quoted when they hold a comma,
// quote or line break, quotes doubled). Text that a spreadsheet would run as a formula (= + - @)
// is prefixed with ' so a buyer's name cannot become a formula in the seller's Excel.
import { activeShipment, type Order } from "@consign/domain";
import { iso } from "./present.ts";

export type Cell = string | number | boolean | null | undefined;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export const ORDER_COLUMNS = [
  "order_id",
  "purchased_at",
  "marketplace_id",
  "amazon_status",
  "state",
  "prime",
  "ship_service_level",
  "latest_ship_date",
  "buyer_name",
  "recipient_name",
  "postcode",
  "country",
  "items",
  "item_count",
  "order_total",
  "currency",
  "courier",
  "service_code",
  "tracking_number",
  "dispatched_at",
  "confirmation_state",
  "confirmed_at",
] as const;

export const SHIPMENT_COLUMNS = [
  "shipment_id",
  "order_id",
  "courier",
  "service_code",
  "tracking_number",
  "amazon_carrier_code",
  "bought_at",
  "voided_at",
  "cost",
  "currency",
] as const;

const at = (ms: number | undefined) => (ms === undefined ? "" : iso(ms));

/** Orders purchased from `from` (inclusive) to `to` (exclusive), oldest first. */
export function ordersCsv(orders: readonly Order[], from: number, to: number): string {
  const rows = orders
    .filter((o) => o.purchaseDate >= from && o.purchaseDate < to)
    .sort((a, b) => a.purchaseDate - b.purchaseDate || (a.orderId < b.orderId ? -1 : 1));
  let out = csvLine(ORDER_COLUMNS);
  for (const o of rows) {
    const shipment = activeShipment(o);
    out += csvLine([
      o.orderId,
      iso(o.purchaseDate),
      o.marketplaceId,
      o.amazonStatus,
      o.state,
      o.isPrime,
      o.shipServiceLevel,
      iso(o.latestShipDate),
      o.buyerName,
      o.recipient?.name,
      o.recipient?.postcode,
      o.recipient?.countryCode,
      o.items.map((i) => `${i.sku} x${i.quantityOrdered}`).join("; "),
      o.items.reduce((n, i) => n + i.quantityOrdered, 0),
      o.orderTotal?.amount,
      o.orderTotal?.currencyCode,
      shipment?.courier ?? o.service?.courier,
      shipment?.serviceCode ?? o.service?.serviceCode,
      shipment?.trackingNumber,
      at(o.dispatchedAt),
      o.confirmation.state,
      at(o.confirmation.confirmedAt),
    ]);
  }
  return out;
}

/** Labels bought from `from` (inclusive) to `to` (exclusive), voided ones included, oldest first. */
export function shipmentsCsv(orders: readonly Order[], from: number, to: number): string {
  const rows = orders
    .flatMap((o) => o.shipments.map((s) => ({ o, s })))
    .filter(({ s }) => s.boughtAt >= from && s.boughtAt < to)
    .sort((a, b) => a.s.boughtAt - b.s.boughtAt || (a.s.id < b.s.id ? -1 : 1));
  let out = csvLine(SHIPMENT_COLUMNS);
  for (const { o, s } of rows) {
    out += csvLine([
      s.id,
      o.orderId,
      s.courier,
      s.serviceCode,
      s.trackingNumber,
      s.amazonCarrierCode,
      iso(s.boughtAt),
      at(s.voidedAt),
      s.cost?.amount,
      s.cost?.currencyCode,
    ]);
  }
  return out;
}
