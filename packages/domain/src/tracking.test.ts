import { describe, expect, it } from "vitest";
import {
  isValidTrackingNumber,
  normaliseTrackingNumber,
  s10CheckDigit,
  trackingFormatHint,
} from "./tracking.ts";

describe("tracking numbers", () => {
  it("accepts Royal Mail S10 numbers whose check digit is right", () => {
    expect(isValidTrackingNumber("royal-mail", "GQ660548056GB")).toBe(true);
    expect(isValidTrackingNumber("royal-mail", "FQ087430672GB")).toBe(true);
    expect(isValidTrackingNumber("royal-mail", "gq660548056gb")).toBe(true);
  });

  it("refuses Royal Mail numbers with a wrong check digit, length or suffix", () => {
    expect(isValidTrackingNumber("royal-mail", "GQ660548057GB")).toBe(false);
    expect(isValidTrackingNumber("royal-mail", "GQ66054805GB")).toBe(false);
    expect(isValidTrackingNumber("royal-mail", "GQ660548056US")).toBe(false);
    expect(isValidTrackingNumber("royal-mail", "1Q660548056GB")).toBe(false);
  });

  it("maps the S10 remainders 10 and 11 to check digits 0 and 5", () => {
    // weights 8,6,4,2,3,5,9,7. Sum 0 → 11 − 0 = 11 → 5.
    expect(s10CheckDigit("00000000")).toBe(5);
    // 6·2 = 12 ≡ 1 (mod 11) → 11 − 1 = 10 → 0.
    expect(s10CheckDigit("00060000")).toBe(0);
    // 2·7 = 14 ≡ 3 → 8.
    expect(s10CheckDigit("00000002")).toBe(8);
    expect(s10CheckDigit("0000000")).toBe(-1);
  });

  it("checks Evri, DPD and Amazon Shipping by shape", () => {
    expect(isValidTrackingNumber("evri", "H01ABC0123456789")).toBe(true);
    expect(isValidTrackingNumber("evri", "H01ABC012345678")).toBe(false);
    expect(isValidTrackingNumber("dpd", "15501234567890")).toBe(true);
    expect(isValidTrackingNumber("dpd", "1550123456")).toBe(false);
    expect(isValidTrackingNumber("dpd", "1550123456789A")).toBe(false);
    expect(isValidTrackingNumber("amazon-shipping", "QA1234567890")).toBe(true);
    expect(isValidTrackingNumber("amazon-shipping", "QA-1234")).toBe(false);
  });

  it("normalises spaces and case before storing", () => {
    expect(normaliseTrackingNumber(" gq 6605 4805 6gb ")).toBe("GQ660548056GB");
    expect(trackingFormatHint("dpd")).toMatch(/14 digits/);
  });
});
