import { describe, expect, it } from "vitest";
import { item, order } from "../test/orders.ts";
import { pageSizes, pdfText } from "../test/pdf-text.ts";
import { renderPackingSlips } from "./packing-slip.ts";

describe("packing slips", () => {
  it("prints one A4 slip per order with ship-to, SKU, title and quantity", async () => {
    const pdf = renderPackingSlips(
      [
        order("203-1111111-1111111", [item("MUG-RED", 2, "Red mug")]),
        order("203-2222222-2222222", [item("TEA", 1)]),
      ],
      { sellerName: "Hebden Hobby Supplies" },
    );
    expect(await pageSizes(pdf)).toHaveLength(2);
    const text = pdfText(pdf);
    expect(text).toContain("Order 203-1111111-1111111");
    expect(text).toContain("Zofia Lukaszewska-Brown");
    expect(text).toContain("M19 2LT");
    expect(text).toMatch(/MUG-RED\s+Red mug\s+2/);
  });

  it("continues a long order on another page", async () => {
    const items = Array.from({ length: 80 }, (_, i) => item(`SKU-${i}`, 1, `Product number ${i}`));
    const pdf = renderPackingSlips([order("203-3333333-3333333", items)]);
    expect((await pageSizes(pdf)).length).toBeGreaterThan(1);
    expect(pdfText(pdf)).toContain("order 203-3333333-3333333 (continued)");
  });
});
