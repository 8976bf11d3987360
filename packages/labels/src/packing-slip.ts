// Packing slips on A4: one slip per order (continued on more pages when an order is long),
// with the ship-to address and every item's SKU, title and quantity.
import type { Address, Order } from "@consign/domain";
import { ConsignError, ErrorCode } from "@consign/domain";
import { A4Document, CONTENT_WIDTH, PAGE_MARGIN } from "./layout/a4-document.ts";

export interface DocumentOptions {
  compress?: boolean;
  /** Shown at the top of each slip, e.g. the shop's name. */
  sellerName?: string;
}

const L = PAGE_MARGIN;
const COLS = {
  sku: { x: L, width: 120 },
  title: { x: L + 128, width: CONTENT_WIDTH - 128 - 60 },
  qty: { x: L + CONTENT_WIDTH - 50, width: 50, align: "right" as const },
};

function addressLines(a: Address): string[] {
  return [
    a.name,
    a.line1,
    a.line2,
    a.line3,
    a.city,
    a.county,
    a.postcode,
    a.countryCode !== "GB" ? a.countryCode : "",
  ].filter((l): l is string => typeof l === "string" && l.trim() !== "");
}

function itemHeader(doc: A4Document): void {
  doc.ensure(20);
  doc.text("SKU", "bold", 9, COLS.sku);
  doc.text("Item", "bold", 9, COLS.title);
  doc.text("Qty", "bold", 9, COLS.qty);
  doc.advance(5);
  doc.rule();
  doc.advance(13);
}

export function renderPackingSlips(orders: readonly Order[], options: DocumentOptions = {}): Uint8Array {
  if (orders.length === 0) {
    throw new ConsignError(ErrorCode.BadRequest, "There are no orders to print packing slips for.");
  }
  const doc = new A4Document(options.compress ?? true, "Packing slip", "Packing slips");
  for (const order of orders) {
    doc.newPage();
    doc.onNewPage = () => {
      doc.text(`Packing slip - order ${order.orderId} (continued)`, "bold", 11, {
        x: L,
        width: CONTENT_WIDTH,
      });
      doc.advance(22);
      itemHeader(doc);
    };
    doc.advance(10);
    if (options.sellerName) doc.text(options.sellerName, "bold", 12, { x: L, width: CONTENT_WIDTH });
    doc.text("PACKING SLIP", "bold", 16, { x: L, width: CONTENT_WIDTH, align: "right" });
    doc.advance(26);
    doc.text(`Order ${order.orderId}`, "bold", 12, { x: L, width: CONTENT_WIDTH });
    doc.advance(16);
    if (order.buyerName) {
      doc.text(`Buyer: ${order.buyerName}`, "regular", 10, { x: L, width: CONTENT_WIDTH });
      doc.advance(14);
    }
    doc.advance(8);
    doc.text("Ship to", "bold", 10, { x: L, width: CONTENT_WIDTH });
    doc.advance(14);
    for (const line of order.recipient ? addressLines(order.recipient) : ["(address not available)"]) {
      doc.text(line, "regular", 10, { x: L, width: CONTENT_WIDTH / 2 });
      doc.advance(13);
    }
    doc.advance(14);
    itemHeader(doc);
    let units = 0;
    for (const item of order.items) {
      const titleLines = A4Document.wrap(item.title, "regular", 10, COLS.title.width);
      doc.ensure(14 * titleLines.length + 4);
      doc.text(item.sku, "regular", 10, COLS.sku);
      doc.text(String(item.quantityOrdered), "bold", 10, COLS.qty);
      for (const line of titleLines) {
        doc.text(line, "regular", 10, COLS.title);
        doc.advance(13);
      }
      doc.advance(4);
      units += item.quantityOrdered;
    }
    doc.ensure(24);
    doc.rule();
    doc.advance(14);
    doc.text(`${units} item${units === 1 ? "" : "s"}`, "bold", 10, COLS.title);
    doc.text(String(units), "bold", 10, COLS.qty);
    doc.onNewPage = undefined;
  }
  return doc.finish();
}
