// UK postcodes as couriers accept them: outward code, space, inward code (e.g. "SW1A 1AA").

const UK_POSTCODE =
  /^(GIR 0AA|[A-PR-UWYZ](\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY]) \d[ABD-HJLNP-UW-Z]{2})$/;

/** Upper-cases and puts the single space before the inward code: "sw1a1aa" → "SW1A 1AA". */
export function normalisePostcode(value: string): string {
  const compact = value.replace(/\s+/g, "").toUpperCase();
  // British Forces Post Office numbers stand where the postcode goes: "BFPO 12".
  const bfpo = /^BFPO(\d{1,4})$/.exec(compact);
  if (bfpo) return `BFPO ${bfpo[1]}`;
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
}

export function isUkPostcode(value: string): boolean {
  return UK_POSTCODE.test(normalisePostcode(value));
}
