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

describe("order search while typing", () => {
  const york = testOrder({
    orderId: "B",
    recipient: { name: "Bo Smith", line1: "x", city: "York", postcode: "YO1 7HH", countryCode: "GB" },
  });

  it("narrows as letters are added and widens again when they are deleted", () => {
    const index = new SearchIndex();
    index.upsert(testOrder({ orderId: "A" }));
    index.upsert(york);
    expect(index.match("s")).toEqual(new Set(["A", "B"]));
    expect(index.match("sm")).toEqual(new Set(["B"]));
    expect(index.match("smx")).toEqual(new Set());
    expect(index.match("sm")).toEqual(new Set(["B"]));
    expect(index.match("sm mug")).toEqual(new Set(["B"]));
    expect(index.match("m")).toEqual(new Set(["A", "B"]));
  });

  it("sees an order changed between two keystrokes", () => {
    const index = new SearchIndex();
    index.upsert(testOrder({ orderId: "A" }));
    expect(index.match("bo")).toEqual(new Set());
    index.upsert({ ...testOrder({ orderId: "A" }), buyerName: "Bob" });
    expect(index.match("bob")).toEqual(new Set(["A"]));
    index.remove("A");
    expect(index.match("bob ")).toEqual(new Set());
  });

  it("indexes waiting orders a slice at a time, and finishes them before answering a search", () => {
    const index = new SearchIndex();
    for (let i = 0; i < 250; i++) index.upsert(testOrder({ orderId: `O-${i}` }));
    expect(index.pending).toBe(250);
    expect(index.indexSome(() => false)).toBe(false);
    expect(index.pending).toBe(150);
    expect(index.match("o-249")?.has("O-249")).toBe(true);
    expect(index.pending).toBe(0);
  });
});
