import { describe, expect, it } from "vitest";
import { ALL_COURIERS, addressProblems, isUkPostcode } from "./address.ts";

const good = {
  name: "Despatch",
  line1: "Unit 4, Canal Side",
  city: "Leeds",
  postcode: "LS11 5QN",
  countryCode: "GB",
};

describe("addresses as the couriers take them", () => {
  it("accepts a UK address and real postcode shapes", () => {
    expect(addressProblems(good, ALL_COURIERS)).toEqual([]);
    for (const p of ["LS11 5QN", "ls115qn", "EC1A 1BB", "W1A 0AX", "GIR 0AA"])
      expect(isUkPostcode(p)).toBe(true);
  });

  it("refuses a French postcode, a foreign country, HELLO WORLD and a 300-character line, naming each field", () => {
    const bad = addressProblems(
      { ...good, postcode: "75008", countryCode: "FR", line1: "x".repeat(300) },
      ALL_COURIERS,
      "sender",
    );
    expect(bad.map((e) => e.path)).toEqual(["sender.line1", "sender.countryCode", "sender.postcode"]);
    expect(bad[0]!.message).toContain("takes at most 35");
    expect(addressProblems({ ...good, postcode: "HELLO WORLD" }, ALL_COURIERS)[0]!.message).toContain(
      "is not a UK postcode",
    );
  });

  it("holds a recipient to the courier it goes with: 60 characters suit Royal Mail, not DPD", () => {
    const line1 = "Flat 12, The Old Granary Building, Riverside Wharf Quarter";
    expect(addressProblems({ ...good, line1 }, ["royal-mail"])).toEqual([]);
    expect(addressProblems({ ...good, line1 }, ["dpd"])[0]?.message).toMatch(/DPD takes at most 35/);
  });

  it("delivers to Jersey, Guernsey, the Isle of Man and BFPO, but never sends from there or with Amazon Shipping", () => {
    const jersey = { ...good, city: "St Helier", postcode: "JE2 4ST", countryCode: "JE" };
    expect(addressProblems(jersey, ["royal-mail"], "recipient")).toEqual([]);
    expect(
      addressProblems({ ...jersey, postcode: "GY1 1AA", countryCode: "GG" }, ["evri"], "recipient"),
    ).toEqual([]);
    expect(addressProblems({ ...good, postcode: "BFPO 801" }, ["royal-mail"], "recipient")).toEqual([]);
    expect(addressProblems(jersey, ["amazon-shipping"], "recipient").map((e) => e.path)).toEqual([
      "recipient.countryCode",
    ]);
    expect(addressProblems(jersey, ALL_COURIERS, "sender").map((e) => e.path)).toEqual([
      "sender.countryCode",
    ]);
  });
});
