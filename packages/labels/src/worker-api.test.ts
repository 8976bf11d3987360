import { describe, expect, it } from "vitest";
import { SENDER, uniqueLabels } from "../test/fixtures.ts";
import { item, order, shipment } from "../test/orders.ts";
import { labelsWorkerApi } from "./worker-api.ts";

describe("labels worker API", () => {
  it("hands over the first 50 labels as a PDF of their own before making the rest", async () => {
    const seen: [number, number][] = [];
    const parts = await labelsWorkerApi.renderLabelsInParts(uniqueLabels(80), { first: 50 }, (part) => {
      seen.push([part.from, part.count]);
      expect(new TextDecoder().decode(part.pdf.subarray(0, 8))).toBe("%PDF-1.4");
    });
    expect(parts).toBe(2);
    expect(seen).toEqual([
      [0, 50],
      [50, 30],
    ]);
  });

  it("turns orders into labels and warms up without output", () => {
    expect(() => labelsWorkerApi.warmUp()).not.toThrow();
    const labels = labelsWorkerApi.labelsFromOrders(
      [order("203-1-1", [item("MUG", 1)], [shipment("GQ660548056GB")])],
      SENDER,
    );
    expect(labels[0]?.trackingNumber).toBe("GQ660548056GB");
  });

  it("offers only functions, so comlink can expose it as it is", () => {
    for (const value of Object.values(labelsWorkerApi)) expect(typeof value).toBe("function");
  });
});
