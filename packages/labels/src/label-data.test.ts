import { describe, expect, it } from "vitest";
import { SENDER } from "../test/fixtures.ts";
import { item, order, shipment } from "../test/orders.ts";
import { labelDataFromOrder, serviceName } from "./label-data.ts";

describe("labelDataFromOrder", () => {
  it("uses the order's active shipment, not a voided one", () => {
    const o = order(
      "203-1-1",
      [item("MUG", 2)],
      [shipment("GQ660548056GB"), shipment("FQ087430672GB", true)],
    );
    const label = labelDataFromOrder(o, SENDER);
    expect(label.trackingNumber).toBe("GQ660548056GB");
    expect(label.courierName).toBe("Royal Mail");
    expect(label.serviceName).toBe("Tracked 24");
    expect(label.reference).toBe("MUG x2");
    expect(label.recipient.postcode).toBe("M19 2LT");
  });

  it("gives Royal Mail labels a Mailmark-like DataMatrix carrying the tracking number", () => {
    const label = labelDataFromOrder(order("203-1-1", [item("MUG", 1)], [shipment("GQ660548056GB")]), SENDER);
    expect(label.dataMatrix).toBe("JGB 011GQ660548056GBM192LT   HX76DL ");
  });

  it("refuses an order whose only label was voided", () => {
    const o = order("203-9-9", [item("MUG", 1)], [shipment("GQ660548056GB", true)]);
    expect(() => labelDataFromOrder(o, SENDER)).toThrow(/203-9-9 has no label bought yet/);
  });

  it("prints service names people know, not the courier's codes", () => {
    expect(serviceName("1^12")).toBe("Next Day");
    expect(serviceName("EVRI48")).toBe("Standard");
    expect(serviceName("TPN24")).toBe("Tracked 24");
  });
});
