import { makeOrder } from "@consign/domain/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { csvCell, csvLine } from "../src/api/csv.ts";
import { parseExportBound } from "../src/api/schemas/ops.ts";
import { apiHarness, type ErrorJson, sellerWithKeys } from "./api-harness.ts";

/** A small RFC 4180 reader, to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  return rows;
}

describe("CSV cells", () => {
  it("quotes commas, quotes and line breaks, doubling inner quotes", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('Mug, "Blue"')).toBe('"Mug, ""Blue"""');
    expect(csvCell("Flat 2\nHigh St")).toBe('"Flat 2\nHigh St"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(12.5)).toBe("12.5");
    expect(csvLine(["a", "b,c"])).toBe('a,"b,c"\r\n');
  });

  it("defuses text a spreadsheet would run as a formula", () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell("+44 113")).toBe("'+44 113");
    expect(csvCell(-3)).toBe("-3");
  });
});

describe("export date range", () => {
  it("reads a plain date as a whole UK day, in summer time too", () => {
    expect(parseExportBound("2026-01-10", false)).toBe(Date.UTC(2026, 0, 10));
    expect(parseExportBound("2026-01-10", true)).toBe(Date.UTC(2026, 0, 11));
    expect(parseExportBound("2026-07-10", false)).toBe(Date.UTC(2026, 6, 9, 23));
    expect(parseExportBound("2026-07-10T12:00:00Z", true)).toBe(Date.UTC(2026, 6, 10, 12));
    expect(parseExportBound("10/07/2026", false)).toBeNull();
  });
});

describe("GET /api/v1/exports/*.csv", () => {
  const { fakes, request } = apiHarness();
  let seller: Awaited<ReturnType<typeof sellerWithKeys>>;
  beforeAll(async () => {
    seller = await sellerWithKeys("exports");
    fakes.for(seller.owner.sellerId).add(
      makeOrder({
        orderId: "202-0000000-0000010",
        purchaseDate: Date.UTC(2026, 10, 3, 9),
        buyerName: 'Jo "JJ" Smith, Esq.',
        items: [
          {
            orderItemId: "1",
            sku: "=SUM(A1)",
            asin: "B0A",
            title: "Mug",
            quantityOrdered: 2,
            quantityShipped: 0,
          },
          {
            orderItemId: "2",
            sku: "TEA-1",
            asin: "B0B",
            title: "Tea",
            quantityOrdered: 1,
            quantityShipped: 0,
          },
        ],
        shipments: [
          {
            id: "202-0000000-0000010:0",
            courier: "evri",
            serviceCode: "EVRI48",
            trackingNumber: "H00AAA0000000001",
            amazonCarrierCode: "Hermes",
            boughtAt: Date.UTC(2026, 10, 4, 8),
            cost: { amount: "3.10", currencyCode: "GBP" },
          },
        ],
      }),
      makeOrder({ orderId: "202-0000000-0000011", purchaseDate: Date.UTC(2026, 9, 30, 9) }),
    );
  });

  it("exports the orders purchased in the range as quoted CSV", async () => {
    const res = await request("/exports/orders.csv?from=2026-11-01&to=2026-11-30", { token: seller.readKey });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe(
      'attachment; filename="orders-2026-11-01-to-2026-11-30.csv"',
    );
    const rows = parseCsv(await res.text());
    expect(rows).toHaveLength(2);
    const header = rows[0]!;
    const row = Object.fromEntries(header.map((h, i) => [h, rows[1]![i]]));
    expect(row).toMatchObject({
      order_id: "202-0000000-0000010",
      buyer_name: 'Jo "JJ" Smith, Esq.',
      items: "'=SUM(A1) x2; TEA-1 x1",
      item_count: "3",
      courier: "evri",
      tracking_number: "H00AAA0000000001",
    });
  });

  it("exports the shipments bought in the range", async () => {
    const res = await request("/exports/shipments.csv?from=2026-11-04&to=2026-11-04", {
      token: seller.readKey,
    });
    const rows = parseCsv(await res.text());
    expect(rows.map((r) => r[0])).toEqual(["shipment_id", "202-0000000-0000010:0"]);
    expect(rows[1]).toContain("3.10");
  });

  it("refuses a range that ends before it starts, or is not a date, naming the field", async () => {
    const backwards = await request("/exports/orders.csv?from=2026-11-30&to=2026-11-01", {
      token: seller.readKey,
    });
    expect(backwards.status).toBe(400);
    expect(((await backwards.json()) as ErrorJson).error.fields.map((f) => f.path)).toEqual(["to"]);
    const junk = await request("/exports/orders.csv?from=yesterday", { token: seller.readKey });
    expect(((await junk.json()) as ErrorJson).error.fields.map((f) => f.path).sort()).toEqual(["from", "to"]);
  });
});
