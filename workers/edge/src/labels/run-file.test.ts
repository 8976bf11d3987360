// The labels file's merge: every readable label in the order given, an unreadable one named, not
// silently dropped and not taking the others down with it.
import { type LabelData, pdfPageCount, renderLabels } from "@consign/labels";
import { describe, expect, it } from "vitest";
import { mergeLabels } from "./run-file.ts";

const label = (orderId: string, trackingNumber: string): Uint8Array => {
  const data: LabelData = {
    sender: {
      name: "Acme Mugs Ltd",
      line1: "1 Mill Lane",
      city: "Leeds",
      postcode: "LS1 1AA",
      countryCode: "GB",
    },
    recipient: {
      name: "Ann Buyer",
      line1: "2 High St",
      city: "York",
      postcode: "YO1 7HH",
      countryCode: "GB",
    },
    serviceName: "Tracked 48",
    courierName: "Royal Mail",
    trackingNumber,
    orderId,
  };
  return renderLabels([data], { layout: "4x6" });
};

describe("merging a labels file", () => {
  it("holds every readable label in order and names the one that is not a PDF", async () => {
    const file = await mergeLabels({
      documents: [
        { orderId: "202-1", pdf: label("202-1", "GQ660548056GB") },
        { orderId: "202-2", pdf: new TextEncoder().encode("<html>not a label</html>") },
        { orderId: "202-3", pdf: label("202-3", "GQ660548057GB") },
      ],
      missing: [{ orderId: "202-4", reason: "no label bought (or it was voided)", code: "no_label" }],
    });
    expect(file.included).toEqual(["202-1", "202-3"]);
    expect(file.missing.map((m) => m.orderId)).toEqual(["202-4", "202-2"]);
    expect(file.missing[1]!.reason).toBe(
      "the stored label is not a readable PDF: download it from the courier again",
    );
    expect(await pdfPageCount(file.pdf)).toBe(2);
  });

  it("gives an empty file when there is nothing to merge", async () => {
    const file = await mergeLabels({
      documents: [],
      missing: [{ orderId: "202-9", reason: "not in the live list", code: "not_live" }],
    });
    expect(file.included).toEqual([]);
    expect(file.pdf.length).toBe(0);
  });
});
