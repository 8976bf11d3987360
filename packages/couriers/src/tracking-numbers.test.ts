import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isUkPostcode, normalisePostcode } from "./postcode.ts";
import {
  isDpdParcelNumber,
  isEvriTrackingNumber,
  isRoyalMailTrackingNumber,
  royalMailTrackingNumber,
  s10CheckDigit,
} from "./tracking-numbers.ts";

describe("Royal Mail S10 tracking numbers", () => {
  it("accepts the published examples", () => {
    expect(isRoyalMailTrackingNumber("GQ660548056GB")).toBe(true);
    expect(isRoyalMailTrackingNumber("FQ087430672GB")).toBe(true);
  });
  it("refuses a wrong check digit, a wrong suffix or lower case", () => {
    expect(isRoyalMailTrackingNumber("GQ660548057GB")).toBe(false);
    expect(isRoyalMailTrackingNumber("GQ660548056DE")).toBe(false);
    expect(isRoyalMailTrackingNumber("gq660548056GB")).toBe(false);
  });
  it("maps a remainder check of 10 to 0 and 11 to 5", () => {
    expect(s10CheckDigit("70000000")).toBe(0); // 7×8 = 56, 56 mod 11 = 1 → 10 → 0
    expect(s10CheckDigit("00000000")).toBe(5); // sum 0 → 11 → 5
  });
  it("generates numbers that validate, whatever the serial", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), (serial) =>
        isRoyalMailTrackingNumber(royalMailTrackingNumber("TT", serial)),
      ),
    );
  });
});

describe("Evri and DPD numbers", () => {
  it("accepts 16-character Evri barcodes only", () => {
    expect(isEvriTrackingNumber("H01HYA0012345678")).toBe(true);
    expect(isEvriTrackingNumber("H01HYA001234567")).toBe(false);
  });
  it("accepts 14-digit DPD parcel numbers only", () => {
    expect(isDpdParcelNumber("15501234567890")).toBe(true);
    expect(isDpdParcelNumber("1550123456789A")).toBe(false);
  });
});

describe("UK postcodes", () => {
  it("normalises spacing and case", () => {
    expect(normalisePostcode(" sw1a2aa ")).toBe("SW1A 2AA");
  });
  it("accepts real shapes and refuses nonsense", () => {
    for (const p of ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB"])
      expect(isUkPostcode(p)).toBe(true);
    for (const p of ["12345", "SW1A", "QQ1 1AA", "SW1A 1CA"]) expect(isUkPostcode(p)).toBe(false);
  });
});
