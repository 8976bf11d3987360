// Customs on Click & Drop (specs/couriers/royalmail/click-and-drop-api-v1.yaml): each product
// line of the package carries `customsDescription` (≤ 50), `customsCode` (the HS tariff code,
// ≤ 10), `originCountryCode` (≤ 3) and `customsDeclarationCategory`; the order's
// `postageDetails.IOSSNumber` (≤ 50) carries the IOSS number of an EU parcel. `label.includeCN`
// stays false: Consign prints its own CN22/CN23 after the label (packages/labels), the same for
// every courier, and a courier PDF stays one page a label.
import type { ShipmentRequest } from "../types.ts";

/** One `ProductItemRequest` of Click & Drop's model (the fields we send). */
export interface ClickAndDropProduct {
  name: string;
  SKU: string;
  quantity: number;
  unitValue: number;
  unitWeightInGrams: number;
  customsDescription?: string;
  customsCode?: string;
  originCountryCode?: string;
  customsDeclarationCategory?: string;
}

function pence(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The package's product lines: with customs data when the parcel needs it. */
export function clickAndDropContents(request: ShipmentRequest): ClickAndDropProduct[] {
  const customs = request.customs;
  if (!customs) {
    const share = Math.round(request.package.weightGrams / Math.max(1, request.contents.length));
    return request.contents.map((c) => ({
      name: c.description.slice(0, 800),
      SKU: c.sku.slice(0, 100),
      quantity: c.quantity,
      unitValue: pence(c.unitValue),
      unitWeightInGrams: Math.max(0, share),
    }));
  }
  const titles = new Map(request.contents.map((c) => [c.sku, c.description]));
  return customs.lines.map((line) => ({
    name: (titles.get(line.sku) ?? line.description).slice(0, 800),
    SKU: line.sku.slice(0, 100),
    quantity: line.quantity,
    unitValue: pence(line.unitValue),
    unitWeightInGrams: line.unitWeightGrams,
    customsDescription: line.description.slice(0, 50),
    customsCode: line.hsCode.slice(0, 10),
    originCountryCode: line.originCountry,
    customsDeclarationCategory: customs.category,
  }));
}

/** What the order's `postageDetails` adds for customs: the IOSS number of an EU parcel. */
export function clickAndDropPostageCustoms(request: ShipmentRequest): { IOSSNumber?: string } {
  const ioss = request.customs?.iossNumber;
  return ioss ? { IOSSNumber: ioss.slice(0, 50) } : {};
}
