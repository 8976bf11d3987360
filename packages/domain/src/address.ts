// Addresses as each courier takes them: a UK postcode of the right shape, lines no longer than the
// courier's API accepts, the UK as the country (every courier here ships from and within the UK).
// Sender addresses are checked against every courier (one sender ships with all of them);
// recipients against the courier their service uses, before a label is bought.

import type { FieldError } from "./errors.ts";
import type { Address, CourierId } from "./order.ts";

/** Royal Mail's postcode shape (also what DPD and Evri take): "LS11 5QN", "GIR 0AA". */
const UK_POSTCODE =
  /^(GIR ?0AA|[A-PR-UWYZ](\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY]) ?\d[ABD-HJLNP-UW-Z]{2})$/i;

/** A British Forces Post Office number, written where the postcode goes ("BFPO 801"). */
const BFPO = /^BFPO ?\d{1,4}$/i;

export function isUkPostcode(value: string): boolean {
  return UK_POSTCODE.test(value.trim()) || BFPO.test(value.trim());
}

export interface AddressLimits {
  name: number;
  companyName: number;
  line: number;
  city: number;
}

/**
 * Longest value each courier's API accepts. Royal Mail Click & Drop: name 210, company, lines and
 * town 100 (its OpenAPI model). Amazon Shipping v2: name 50, lines 60 (its model). DPD UK and Evri
 * publish no model; their APIs take 35 characters a field, as carriers' label systems commonly do.
 */
export const ADDRESS_LIMITS: Readonly<Record<CourierId, AddressLimits>> = {
  "royal-mail": { name: 210, companyName: 100, line: 100, city: 100 },
  "amazon-shipping": { name: 50, companyName: 50, line: 60, city: 50 },
  dpd: { name: 35, companyName: 35, line: 35, city: 35 },
  evri: { name: 35, companyName: 35, line: 35, city: 35 },
};

const COURIER_NAMES: Record<CourierId, string> = {
  "royal-mail": "Royal Mail",
  "amazon-shipping": "Amazon Shipping",
  dpd: "DPD",
  evri: "Evri",
};

/** The strictest limits of the given couriers (a sender must suit every one). */
function strictest(couriers: readonly CourierId[]): {
  limits: AddressLimits;
  by: Record<keyof AddressLimits, string>;
} {
  const limits: AddressLimits = { name: Infinity, companyName: Infinity, line: Infinity, city: Infinity };
  const by = { name: "", companyName: "", line: "", city: "" };
  for (const c of couriers) {
    for (const k of Object.keys(limits) as (keyof AddressLimits)[]) {
      if (ADDRESS_LIMITS[c][k] < limits[k]) {
        limits[k] = ADDRESS_LIMITS[c][k];
        by[k] = COURIER_NAMES[c];
      }
    }
  }
  return { limits, by };
}

/**
 * What is wrong with an address for these couriers, one error per field, each saying how to fix
 * it. `prefix` goes before each path ("sender" gives "sender.postcode").
 */
export function addressProblems(
  address: Partial<Address>,
  couriers: readonly CourierId[],
  prefix = "",
): FieldError[] {
  const at = (f: string) => (prefix ? `${prefix}.${f}` : f);
  const out: FieldError[] = [];
  const { limits, by } = strictest(couriers);
  const need = (field: keyof Address, words: string) => {
    const v = address[field];
    if (typeof v !== "string" || v.trim() === "") out.push({ path: at(field), message: `enter ${words}` });
  };
  const max = (field: keyof Address, limit: keyof AddressLimits, words: string) => {
    const v = address[field];
    if (typeof v === "string" && v.trim().length > limits[limit]) {
      out.push({
        path: at(field),
        message: `${words} is ${v.trim().length} characters; ${by[limit]} takes at most ${limits[limit]}: shorten it (put the rest on the next line)`,
      });
    }
  };
  need("name", "a name");
  need("line1", "the first address line");
  need("city", "the town or city");
  max("name", "name", "The name");
  max("companyName", "companyName", "The company name");
  max("line1", "line", "Address line 1");
  max("line2", "line", "Address line 2");
  max("line3", "line", "Address line 3");
  max("city", "city", "The town");
  const country = (address.countryCode ?? "GB").trim().toUpperCase();
  // Jersey, Guernsey and the Isle of Man have their own country codes and UK-shaped postcodes:
  // Royal Mail, DPD and Evri deliver there (with customs data, see customs.ts); Amazon Shipping does not.
  const crownDependency =
    (country === "JE" || country === "GG" || country === "IM") &&
    prefix.endsWith("recipient") &&
    !couriers.includes("amazon-shipping");
  if (country !== "GB" && !crownDependency) {
    out.push({
      path: at("countryCode"),
      message: `Consign's couriers ship within the UK: the country must be GB, not ${country}`,
    });
  }
  const postcode = address.postcode?.trim() ?? "";
  if (!postcode) out.push({ path: at("postcode"), message: "enter a UK postcode, like LS11 5QN" });
  else if (!isUkPostcode(postcode)) {
    out.push({ path: at("postcode"), message: `"${postcode}" is not a UK postcode: use the shape LS11 5QN` });
  }
  return out;
}

export const ALL_COURIERS: readonly CourierId[] = ["royal-mail", "dpd", "evri", "amazon-shipping"];
