// Packing slips and pick lists as native ZPL on the label printer's own stock (no A4 printer at
// the bench): text in font 0, the order number as a Code 128 (^BC) so a scan of the slip opens the
// order at the scan station. A long order or pick list continues on further labels, each saying
// "page n of m".
import type { Address, Order } from "@consign/domain";
import { ConsignError, ErrorCode } from "@consign/domain";
import { buildPickList } from "../pick-list.ts";
import { ZplFormat } from "./format.ts";
import { DEFAULT_PROFILE, type PrinterProfile } from "./profile.ts";

const M = 14;
const LINE = 13;
/** Where item lines may go, in design points from the top (the 4x6 design is 432 pt tall). */
const BODY_BOTTOM = 410;

function shipTo(a: Address): string[] {
  return [a.name, a.line1, a.line2, a.line3, a.city, a.county, a.postcode].filter(
    (l): l is string => typeof l === "string" && l.trim() !== "",
  );
}

interface Row {
  left: string;
  middle: string;
  right: string;
}

/** Rows laid out over as many formats as they need; `head` draws each format's top, returning where rows start. */
function paged(
  profile: PrinterProfile,
  rows: Row[],
  head: (f: ZplFormat, page: number, pages: number) => number,
  firstTop: number,
  laterTop: number,
): string {
  const perFirst = Math.max(1, Math.floor((BODY_BOTTOM - firstTop) / LINE));
  const perLater = Math.max(1, Math.floor((BODY_BOTTOM - laterTop) / LINE));
  const pages = rows.length <= perFirst ? 1 : 1 + Math.ceil((rows.length - perFirst) / perLater);
  let out = "";
  let at = 0;
  for (let page = 1; page <= pages; page++) {
    const f = new ZplFormat(profile);
    let y = head(f, page, pages);
    const take = page === 1 ? perFirst : perLater;
    for (const row of rows.slice(at, at + take)) {
      f.text(row.left, "bold", 9, M, y, 86);
      f.text(row.middle, "regular", 9, M + 92, y, 150);
      f.text(row.right, "bold", 10, 250, y, 30);
      y += LINE;
    }
    at += take;
    out += f.finish();
  }
  return out;
}

/** One packing slip per order (more labels for a long order). */
export function packingSlipsZpl(
  orders: readonly Order[],
  profile: PrinterProfile = DEFAULT_PROFILE,
  sellerName?: string,
): string {
  if (orders.length === 0)
    throw new ConsignError(ErrorCode.BadRequest, "There are no orders to print packing slips for.");
  let out = "";
  for (const order of orders) {
    const rows: Row[] = order.items.map((i) => ({
      left: i.sku,
      middle: i.title,
      right: `x${i.quantityOrdered}`,
    }));
    const address = order.recipient ? shipTo(order.recipient) : [order.buyerName ?? "(no address yet)"];
    const firstTop = 150 + Math.min(address.length, 6) * 12;
    out += paged(
      profile,
      rows,
      (f, page, pages) => {
        if (sellerName) f.text(sellerName, "bold", 11, M, 24, 160);
        f.text("PACKING SLIP", "bold", 14, 170, 24, 110);
        f.text(`Order ${order.orderId}`, "bold", 11, M, 44);
        if (pages > 1) f.text(`Page ${page} of ${pages}`, "regular", 8, 210, 44, 70);
        if (page === 1) {
          const module = f.moduleDots(2);
          f.raw(`^FO${f.x(M)},${f.y(52)}^BY${module}^BCN,${f.dots(34)},N,N,N,A^FD${order.orderId}^FS\n`);
          f.text("SHIP TO", "bold", 8, M, 104);
          let y = 118;
          for (const line of address.slice(0, 6)) {
            f.text(line, "regular", 10, M, y);
            y += 12;
          }
        }
        const top = page === 1 ? firstTop : 64;
        f.rule(M, 288 - M, top - 16, 2);
        f.text("SKU", "bold", 8, M, top - 20);
        f.text("Item", "bold", 8, M + 92, top - 20);
        f.text("Qty", "bold", 8, 250, top - 20);
        return top;
      },
      firstTop,
      64,
    );
  }
  return out;
}

/** Every SKU to pick across `orders`, with the total and how many orders want it. */
export function pickListZpl(orders: readonly Order[], profile: PrinterProfile = DEFAULT_PROFILE): string {
  const lines = buildPickList(orders);
  if (lines.length === 0)
    throw new ConsignError(ErrorCode.BadRequest, "Nothing to pick: these orders have no items left to send.");
  const units = lines.reduce((n, l) => n + l.quantity, 0);
  const rows: Row[] = lines.map((l) => ({
    left: l.sku,
    middle: `${l.title} (${l.orderIds.length} order${l.orderIds.length === 1 ? "" : "s"})`,
    right: String(l.quantity),
  }));
  return paged(
    profile,
    rows,
    (f, page, pages) => {
      f.text("PICK LIST", "bold", 14, M, 24);
      f.text(`${orders.length} orders · ${lines.length} SKUs · ${units} units`, "regular", 9, M, 40);
      if (pages > 1) f.text(`Page ${page} of ${pages}`, "regular", 8, 210, 24, 70);
      f.rule(M, 288 - M, 52, 2);
      f.text("SKU", "bold", 8, M, 48);
      f.text("Item", "bold", 8, M + 92, 48);
      f.text("Qty", "bold", 8, 250, 48);
      return 66;
    },
    66,
    66,
  );
}
