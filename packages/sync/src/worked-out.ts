// Layout 3 (layout.ts): an order's parcel and service as the room worked them out (source "sku" /
// "rule") are stored inside its record string; a person's choice (a parcel entered by hand, a service
// chosen for the order) is a `work` key as before, and wins while it is there. Reading an order is
// unchanged (the record, then every working key over it); a person taking their choice back (deleting
// the key) shows the room's worked-out value again at once.
//
// Why: the import wrote both as `work` keys for every order, two Yjs items with their JSON beside the
// record; loading 5,000 orders spent most of its time on them (BENCHMARKS.md, issue 23).

import type { ChosenService, PackageSpec } from "@consign/domain";

/** Working fields the room works out for every order: in the record in layout 3. */
export const WORKED_OUT_FIELDS = ["package", "service"] as const;
export type WorkedOutField = (typeof WORKED_OUT_FIELDS)[number];

export function isWorkedOutField(field: string): field is WorkedOutField {
  return field === "package" || field === "service";
}

/**
 * A person's choice, which stays a `work` key (team-editable, merged per field): a parcel not worked
 * out from SKU weights (entered, or with no source: older orders, treated as entered), a service
 * chosen by hand. Anything else is the room's working-out.
 */
export function isPersonsChoice(field: WorkedOutField, value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  return field === "package"
    ? (value as PackageSpec).source !== "sku"
    : (value as ChosenService).source === "override";
}
