// Pick lists: every SKU still to be picked across a set of orders, with the total quantity and
// the orders that want it, so one walk round the shelves serves the whole batch.
import type { Order } from "@consign/domain";
import { ConsignError, ErrorCode } from "@consign/domain";
import { A4Document, CONTENT_WIDTH, PAGE_MARGIN } from "./layout/a4-document.ts";
import type { DocumentOptions } from "./packing-slip.ts";

export interface PickListLine {
  sku: string;
  title: string;
  /** Units still to send (ordered minus already shipped), summed over the orders. */
  quantity: number;
  orderIds: string[];
}

/** Groups outstanding units by SKU, sorted by SKU; items with nothing left to send are left out. */
export function buildPickList(orders: readonly Order[]): PickListLine[] {
  const bySku = new Map<string, PickListLine>();
  for (const order of orders) {
    for (const item of order.items) {
      const quantity = item.quantityOrdered - item.quantityShipped;
      if (quantity <= 0) continue;
      let line = bySku.get(item.sku);
      if (!line) {
        line = { sku: item.sku, title: item.title, quantity: 0, orderIds: [] };
        bySku.set(item.sku, line);
      }
      line.quantity += quantity;
      if (!line.orderIds.includes(order.orderId)) line.orderIds.push(order.orderId);
    }
  }
  return [...bySku.values()].sort((a, b) => a.sku.localeCompare(b.sku, "en", { numeric: true }));
}

const L = PAGE_MARGIN;
const COLS = {
  sku: { x: L, width: 100 },
  title: { x: L + 106, width: 190 },
  qty: { x: L + 300, width: 34, align: "right" as const },
  orders: { x: L + 346, width: CONTENT_WIDTH - 346 },
};

export function renderPickList(orders: readonly Order[], options: DocumentOptions = {}): Uint8Array {
  const lines = buildPickList(orders);
  if (lines.length === 0)
    throw new ConsignError(ErrorCode.BadRequest, "Nothing to pick: every item is already sent.");
  const doc = new A4Document(options.compress ?? true, "Pick list", "Pick list");
  const header = () => {
    doc.text("SKU", "bold", 9, COLS.sku);
    doc.text("Item", "bold", 9, COLS.title);
    doc.text("Qty", "bold", 9, COLS.qty);
    doc.text("Orders", "bold", 9, COLS.orders);
    doc.advance(5);
    doc.rule();
    doc.advance(13);
  };
  doc.newPage();
  doc.onNewPage = header;
  doc.advance(10);
  doc.text("PICK LIST", "bold", 16, { x: L, width: CONTENT_WIDTH });
  const units = lines.reduce((n, l) => n + l.quantity, 0);
  doc.text(`${lines.length} SKUs, ${units} units, ${orders.length} orders`, "regular", 10, {
    ...COLS.orders,
    align: "right",
  });
  doc.advance(28);
  header();
  for (const line of lines) {
    const ids = A4Document.wrap(line.orderIds.join(", "), "regular", 8, COLS.orders.width);
    const titles = A4Document.wrap(line.title, "regular", 9, COLS.title.width).slice(0, 3);
    const rows = Math.max(ids.length, titles.length);
    doc.ensure(11 * Math.min(rows, 6) + 6);
    doc.text(line.sku, "bold", 9, COLS.sku);
    doc.text(String(line.quantity), "bold", 11, COLS.qty);
    for (let r = 0; r < rows; r++) {
      if (r > 0) doc.ensure(11);
      const title = titles[r];
      const id = ids[r];
      if (title) doc.text(title, "regular", 9, COLS.title);
      if (id) doc.text(id, "regular", 8, COLS.orders);
      doc.advance(11);
    }
    doc.advance(6);
  }
  return doc.finish();
}
