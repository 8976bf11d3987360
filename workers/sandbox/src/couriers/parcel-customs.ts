// DPD's and Evri's customs checks in the sandbox: a parcel leaving the UK's domestic post (see
// ./royalmail-customs.ts) is refused without its customs data, naming the first missing field.
//   DPD (field names as ../../../packages/couriers/src/dpd/customs.ts sends them, ASSUMED like the
//   rest of DPD's sandbox): consignment `customsValue` > 0, one `parcel[].parcelProduct[]` a line
//   with `productHarmonisedCode` (6–10 digits), `countryOfOrigin` (2 letters),
//   `productItemsDescription`, `numberOfItems` ≥ 1 and `unitValue` > 0.
//   Evri (Hermes' CustomsAndTaxes, specs/couriers/karrio/hermes/openapi.yaml): `customsAndTaxes`
//   with `items[]` each carrying `hsCode` (≤ 11), `countryCodeOfManufacture` (^[A-Z]{2}$),
//   `description` (≤ 512), `quantity` and `value` > 0 (pence); EU parcels up to £130 need
//   `client.iossId` (≤ 12).
import { leavesDomesticPost } from "./royalmail-customs.ts";

// biome-ignore format: the 27 member states on one line
const EU = new Set(["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "GR", "DE", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]);

export interface CustomsProblem {
  message: string;
  field: string;
}

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" ? (v as Record<string, unknown>) : {};
const str = (v: unknown) => (typeof v === "string" ? v.trim() : "");
const positive = (v: unknown) => typeof v === "number" && v > 0;

export function dpdCustomsProblem(
  consignment: unknown,
  to: { countryCode: string; postcode: string },
): CustomsProblem | null {
  if (!leavesDomesticPost(to.countryCode, to.postcode)) return null;
  const con = obj(consignment);
  if (!positive(con.customsValue))
    return { message: "Customs value is required for this destination", field: "consignment.customsValue" };
  const products = (Array.isArray(con.parcel) ? con.parcel : []).flatMap((p) => {
    const list = obj(p).parcelProduct;
    return Array.isArray(list) ? list : [];
  });
  if (products.length === 0)
    return {
      message: "Parcel products are required for this destination",
      field: "consignment.parcel.parcelProduct",
    };
  for (const [i, raw] of products.entries()) {
    const p = obj(raw);
    const at = (f: string) => `consignment.parcel.parcelProduct[${i}].${f}`;
    if (!/^\d{6,10}$/.test(str(p.productHarmonisedCode)))
      return {
        message: "Harmonised code is required for this destination",
        field: at("productHarmonisedCode"),
      };
    if (!/^[A-Z]{2}$/.test(str(p.countryOfOrigin)))
      return { message: "Country of origin is required for this destination", field: at("countryOfOrigin") };
    if (!str(p.productItemsDescription))
      return {
        message: "Product description is required for this destination",
        field: at("productItemsDescription"),
      };
    if (!positive(p.numberOfItems))
      return { message: "Number of items is required", field: at("numberOfItems") };
    if (!positive(p.unitValue)) return { message: "Unit value is required", field: at("unitValue") };
  }
  return null;
}

export function evriCustomsProblem(
  entry: unknown,
  to: { countryCode: string; postCode: string },
): CustomsProblem | null {
  if (!leavesDomesticPost(to.countryCode, to.postCode)) return null;
  const customs = obj(obj(entry).customsAndTaxes);
  const items = Array.isArray(customs.items) ? customs.items : [];
  if (items.length === 0)
    return {
      message: "customsAndTaxes.items are required for this destination",
      field: "customsAndTaxes.items",
    };
  for (const [i, raw] of items.entries()) {
    const item = obj(raw);
    const at = (f: string) => `customsAndTaxes.items[${i}].${f}`;
    const hs = str(item.hsCode);
    if (!/^\d{6,11}$/.test(hs))
      return { message: "hsCode is required for this destination", field: at("hsCode") };
    if (!/^[A-Z]{2}$/.test(str(item.countryCodeOfManufacture)))
      return {
        message: "countryCodeOfManufacture must be two capital letters",
        field: at("countryCodeOfManufacture"),
      };
    const description = str(item.description);
    if (!description || description.length > 512)
      return { message: "description is required (512 characters at most)", field: at("description") };
    if (!positive(item.quantity)) return { message: "quantity must be above 0", field: at("quantity") };
    if (!positive(item.value)) return { message: "value must be greater than zero", field: at("value") };
  }
  const value = typeof customs.value === "number" ? customs.value : 0;
  const ioss = str(obj(customs.client).iossId);
  if (EU.has(to.countryCode.toUpperCase()) && value <= 13_000 && !ioss)
    return {
      message: "client.iossId is required for EU parcels up to EUR 150",
      field: "customsAndTaxes.client.iossId",
    };
  if (ioss.length > 12)
    return { message: "client.iossId is 12 characters at most", field: "customsAndTaxes.client.iossId" };
  return null;
}
