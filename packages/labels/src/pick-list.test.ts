import { describe, expect, it } from "vitest";
import { item, order } from "../test/orders.ts";
import { pageSizes, pdfText } from "../test/pdf-text.ts";
import { buildPickList, renderPickList } from "./pick-list.ts";

describe("pick list", () => {
  const orders = [
    order("203-0000001-0000001", [item("MUG-RED", 2, "Red mug"), item("TEA-50", 1, "Tea bags x50")]),
    order("203-0000002-0000002", [item("TEA-50", 3, "Tea bags x50")]),
    order("203-0000003-0000003", [item("MUG-RED", 1, "Red mug"), item("SPOON", 4, "Spoon", 4)]),
  ];

  it("groups units by SKU with the total and the orders that want it", () => {
    expect(buildPickList(orders)).toEqual([
      {
        sku: "MUG-RED",
        title: "Red mug",
        quantity: 3,
        orderIds: ["203-0000001-0000001", "203-0000003-0000003"],
      },
      {
        sku: "TEA-50",
        title: "Tea bags x50",
        quantity: 4,
        orderIds: ["203-0000001-0000001", "203-0000002-0000002"],
      },
    ]);
  });

  it("leaves out items already sent in full", () => {
    expect(buildPickList(orders).map((l) => l.sku)).not.toContain("SPOON");
  });

  it("prints SKU, title, total and order ids on A4", async () => {
    const pdf = renderPickList(orders);
    expect(await pageSizes(pdf)).toHaveLength(1);
    const text = pdfText(pdf);
    expect(text).toMatch(/MUG-RED\s+Red mug\s+3\s+203-0000001-0000001, 203-0000003-0000003/);
    expect(text).toContain("2 SKUs, 7 units, 3 orders");
  });

  it("continues on more pages with the column headings repeated when long", async () => {
    const many = Array.from({ length: 150 }, (_, i) =>
      order(`203-${String(i).padStart(7, "0")}-0000000`, [item(`SKU-${i}`, 1 + (i % 3))]),
    );
    const pdf = renderPickList(many);
    const pages = await pageSizes(pdf);
    expect(pages.length).toBeGreaterThan(2);
    expect(pdfText(pdf).match(/SKU\s+Item\s+Qty\s+Orders/g)?.length).toBe(pages.length);
  });

  it("refuses to print when nothing is left to pick", () => {
    expect(() =>
      renderPickList([orders[2]!].map((o) => ({ ...o, items: [item("SPOON", 1, "Spoon", 1)] }))),
    ).toThrow(/Nothing to pick/);
  });
});
