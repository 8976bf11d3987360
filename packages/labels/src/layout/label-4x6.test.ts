import { describe, expect, it } from "vitest";
import { sampleLabel, TRACKING_NUMBERS } from "../../test/fixtures.ts";
import { pdfText } from "../../test/pdf-text.ts";
import { renderLabels } from "../render-labels.ts";
import { wrapText } from "../text/winansi.ts";

const flat = (s: string) => s.replace(/\s+/g, " ");

describe("addresses on our 4x6 label", () => {
  it("wraps long address lines instead of cutting them, so the street number is never lost", () => {
    const base = sampleLabel(TRACKING_NUMBERS[0]!);
    const label = {
      ...base,
      recipient: {
        ...base.recipient,
        line1: "Flat 12, The Old Granary Building, Riverside Wharf Business Quarter",
        line2: "145-147 Long Riverside Industrial Estate Road North",
        line3: "Little Snoring on the Marsh",
      },
      sender: {
        ...base.sender,
        name: "Sam Packer",
        companyName: "Hebden Hobby Supplies Ltd",
        line1: "Unit 4, Canal Side Industrial Estate, Off Saltaire Road Bridge Approach",
        line2: "Building 7 Loading Bay 22",
      },
    };
    const text = flat(pdfText(renderLabels([label], { compress: true })));
    expect(text).not.toContain("...");
    for (const words of [
      "145-147",
      "Long Riverside",
      "Industrial Estate",
      "Road North",
      "Little Snoring on the Marsh",
    ])
      expect(text).toContain(words);
    // The FROM block names the business, and its whole street survives.
    expect(text).toContain("Hebden Hobby Supplies Ltd");
    expect(text).not.toContain("Sam Packer");
    for (const words of ["Unit 4,", "Bridge", "Approach", "Loading Bay 22"]) expect(text).toContain(words);
  });

  it("breaks at spaces, and inside a word only when the word alone is wider than the line", () => {
    expect(wrapText("Flat 12 The Old Granary", "regular", 12, 80)).toEqual(["Flat 12 The", "Old Granary"]);
    const long = wrapText("Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch", "regular", 12, 100);
    expect(long.join("")).toBe("Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch");
    expect(long.length).toBeGreaterThan(1);
  });
});
