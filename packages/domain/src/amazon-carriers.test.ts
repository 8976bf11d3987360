import { describe, expect, it } from "vitest";
import { AMAZON_CARRIER_CODE_OF, AMAZON_UK_CARRIER_CODES, checkAmazonCarrier } from "./amazon-carriers.ts";

describe("Amazon's UK carrier codes", () => {
  it("gives every courier Consign sells a code Amazon accepts, Evri as Amazon lists it", () => {
    for (const code of Object.values(AMAZON_CARRIER_CODE_OF)) expect(checkAmazonCarrier(code)).toBeNull();
    expect(AMAZON_CARRIER_CODE_OF.evri).toBe("Hermes UK");
  });

  it("refuses what Amazon refuses, saying how Amazon spells it", () => {
    expect(checkAmazonCarrier("Evri")).toContain('Amazon lists Evri as "Hermes UK"');
    expect(checkAmazonCarrier("royal mail")).toContain('Amazon spells it "Royal Mail"');
    expect(checkAmazonCarrier("Hermes Germany")).toContain("not one of Amazon's carrier codes");
    expect(checkAmazonCarrier("Other")).toContain("carrierName is required");
    expect(checkAmazonCarrier("Other", "Local Van Co")).toBeNull();
  });

  it("keeps the 2015 schema's UK codes Amazon still accepts", () => {
    for (const code of ["Royal Mail", "Parcelforce", "DPD", "Yodel", "UPS", "DHL", "FedEx", "TNT", "Other"])
      expect(AMAZON_UK_CARRIER_CODES).toContain(code);
  });
});
