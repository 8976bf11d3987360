import { describe, expect, it } from "vitest";
import { SearchIndex } from "./search.ts";
import { testOrder } from "./test-orders.ts";

describe("order search", () => {
  it("finds by postcode without its space and by SKU, and forgets removed orders", () => {
    const index = new SearchIndex();
    index.upsert(testOrder({ orderId: "A" }));
    index.upsert(
      testOrder({
        orderId: "B",
        recipient: { name: "Bo", line1: "x", city: "York", postcode: "YO1 7HH", countryCode: "GB" },
      }),
    );
    expect(index.match("yo17hh")).toEqual(new Set(["B"]));
    expect(index.match("mug-blue")).toEqual(new Set(["A", "B"]));
    expect(index.match("mug york")).toEqual(new Set(["B"]));
    index.remove("B");
    expect(index.match("york")).toEqual(new Set());
    expect(index.match("  ")).toBeNull();
  });

  it("sees an order's new tracking number after it is updated", () => {
    const index = new SearchIndex();
    const o = testOrder({ orderId: "A" });
    index.upsert(o);
    expect(index.match("GQ660548056GB")?.size).toBe(0);
    index.upsert({
      ...o,
      shipments: [
        {
          id: "A:0",
          courier: "royal-mail",
          serviceCode: "TPN24",
          trackingNumber: "GQ660548056GB",
          amazonCarrierCode: "Royal Mail",
          boughtAt: 1,
        },
      ],
    });
    expect(index.match("gq660548056gb")).toEqual(new Set(["A"]));
  });
});
