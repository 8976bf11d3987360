// Click & Drop's customs checks, as its model describes them
// (specs/couriers/royalmail/click-and-drop-api-v1.yaml, ProductItemRequest and PostageDetailsRequest):
// a parcel leaving the UK's domestic post (any country but GB, and GB postcodes in Jersey and
// Guernsey (JE, GY), the Isle of Man (IM) and BFPO) is refused unless every product line carries
// `customsDescription` (≤ 50), `customsCode` (≤ 10), `originCountryCode` (≤ 3) and a
// `customsDeclarationCategory` from the model's list. EU parcels of goods up to €150 (the sandbox
// compares the subtotal with £130) are refused without `postageDetails.IOSSNumber` (≤ 50).

const CATEGORIES = new Set([
  "none",
  "gift",
  "commercialSample",
  "documents",
  "other",
  "returnedGoods",
  "saleOfGoods",
  "mixedContent",
]);
// biome-ignore format: the 27 member states on one line
const EU = new Set(["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "GR", "DE", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]);

export interface CustomsError {
  errorCode: number;
  errorMessage: string;
  fields: { fieldName: string; value: string }[];
}

export interface CustomsLine {
  description: string;
  hsCode: string;
  origin: string;
  quantity: number;
  value: number;
  category: string;
}

/** Whether a parcel to this address leaves the domestic post (needs a customs declaration). */
export function leavesDomesticPost(countryCode: string, postcode: string | undefined): boolean {
  const country = countryCode.trim().toUpperCase();
  if (country !== "GB") return true;
  const p = (postcode ?? "").trim().toUpperCase();
  return /^BFPO\b/.test(p) || /^(JE|GY|IM)\d/.test(p.replace(/\s+/g, ""));
}

const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/** The refusals for a customs parcel, and its declared lines when there are none. */
export function checkCustoms(order: {
  recipient: { address: { countryCode: string; postcode?: string | undefined } };
  packages?: { contents?: unknown }[] | undefined;
  subtotal: number;
  postageDetails?: { IOSSNumber?: unknown } | undefined;
}): { errors: CustomsError[]; lines: CustomsLine[] } {
  const errors: CustomsError[] = [];
  const lines: CustomsLine[] = [];
  const a = order.recipient.address;
  if (!leavesDomesticPost(a.countryCode, a.postcode)) return { errors, lines };
  const add = (errorCode: number, errorMessage: string, fieldName: string, value: unknown) =>
    errors.push({ errorCode, errorMessage, fields: [{ fieldName, value: String(value ?? "") }] });
  const contents = (order.packages ?? []).flatMap((p) => (Array.isArray(p.contents) ? p.contents : []));
  if (contents.length === 0) {
    add(60, "Customs information is required for this destination: add the package contents", "contents", "");
  }
  contents.forEach((raw, i) => {
    const item = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
    const at = (f: string) => `packages[0].contents[${i}].${f}`;
    const description = text(item.customsDescription);
    const hsCode = text(item.customsCode);
    const origin = text(item.originCountryCode);
    const category = text(item.customsDeclarationCategory);
    if (!description)
      add(61, "Customs description is required for this destination", at("customsDescription"), "");
    else if (description.length > 50)
      add(61, "Customs description must be 50 characters or fewer", at("customsDescription"), description);
    if (!/^\d{6,10}$/.test(hsCode))
      add(
        62,
        "Customs code (HS tariff code) is required for this destination: 6 to 10 digits",
        at("customsCode"),
        hsCode,
      );
    if (!/^[A-Z]{2,3}$/.test(origin))
      add(63, "Origin country code is required for this destination", at("originCountryCode"), origin);
    if (!CATEGORIES.has(category))
      add(
        64,
        "Customs declaration category is required for this destination",
        at("customsDeclarationCategory"),
        category,
      );
    const value = typeof item.unitValue === "number" ? item.unitValue : Number.NaN;
    if (!(value > 0)) add(65, "Unit value is required for customs", at("unitValue"), item.unitValue);
    lines.push({
      description,
      hsCode,
      origin,
      quantity: typeof item.quantity === "number" ? item.quantity : 1,
      value,
      category,
    });
  });
  const ioss = text(order.postageDetails?.IOSSNumber);
  if (EU.has(a.countryCode.trim().toUpperCase()) && order.subtotal <= 130 && !ioss) {
    add(66, "IOSS number is required for EU consignments of goods up to €150", "IOSSNumber", "");
  }
  return { errors, lines: errors.length ? [] : lines };
}
