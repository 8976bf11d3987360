import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CustomsDeclaration } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { renderCustomsForms } from "./customs-form.ts";

const declaration: CustomsDeclaration = {
  zone: "channel_islands",
  category: "saleOfGoods",
  form: "CN22",
  lines: [
    {
      sku: "MUG-1",
      description: "Ceramic coffee mug",
      hsCode: "6912002310",
      originCountry: "GB",
      quantity: 2,
      unitValue: 9.5,
      unitWeightGrams: 400,
    },
  ],
  totalValue: 19,
  currencyCode: "GBP",
};
const sender = {
  name: "Despatch",
  companyName: "Acme Ltd",
  line1: "1 Mill Lane",
  city: "Leeds",
  postcode: "LS1 1AA",
  countryCode: "GB",
};
const recipient = {
  name: "Ann Le Cornu",
  line1: "12 Bath Street",
  city: "St Helier",
  postcode: "JE2 4ST",
  countryCode: "GB",
};

/** The page's words as a PDF reader (poppler) extracts them: what a person sees printed. */
function readText(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), "cn22-"));
  writeFileSync(join(dir, "f.pdf"), pdf);
  return execFileSync("pdftotext", ["-layout", join(dir, "f.pdf"), "-"], { encoding: "utf8" });
}

describe("CN22 and CN23 customs declarations", () => {
  it("prints a CN22 with the ticked category, each line, the totals and the certificate", () => {
    const pdf = renderCustomsForms([
      {
        orderId: "202-1234567-1234567",
        declaration,
        sender,
        recipient,
        courierName: "Royal Mail",
        date: Date.UTC(2026, 11, 5),
      },
    ]);
    const text = readText(pdf);
    expect(text).toContain("CUSTOMS DECLARATION CN 22");
    expect(text).toMatch(/X\s+Sale of goods/);
    expect(text).toContain("2 x Ceramic coffee mug");
    expect(text).toContain("6912002310");
    expect(text).toContain("origin GB");
    expect(text).toContain("0.800");
    expect(text).toContain("GBP 19.00");
    expect(text).toContain("Designated operator: Royal Mail");
    expect(text).toContain("Date: 2026-12-05");
    expect(text).toContain("contain any dangerous article prohibited");
  });

  it("prints a CN23 with sender, addressee and the IOSS number, one page per parcel", () => {
    const pdf = renderCustomsForms([
      {
        orderId: "A",
        declaration: { ...declaration, form: "CN23", totalValue: 300, iossNumber: "IM2760000742" },
        sender,
        recipient,
        date: 0,
      },
      { orderId: "B", declaration, sender, recipient, date: 0 },
    ]);
    const text = readText(pdf);
    expect(text).toContain("CUSTOMS DECLARATION CN 23");
    expect(text).toContain("IOSS number: IM2760000742");
    expect(text).toContain("Addressee");
    expect(text).toContain("Ann Le Cornu, 12 Bath Street, St Helier, JE2 4ST");
    expect(text.split("\f").filter((p) => p.trim()).length).toBe(2);
  });

  it("refuses a declaration without lines, saying where to add the data", () => {
    expect(() =>
      renderCustomsForms([
        { orderId: "C", declaration: { ...declaration, lines: [] }, sender, recipient, date: 0 },
      ]),
    ).toThrow(/Settings → Stock → Customs/);
  });
});
