// Collections: a courier's driver picks the day's parcels up from the warehouse. Booked, viewed
// and cancelled per courier (./evri/collections.ts, ./dpd/collections.ts).
import type { CourierId } from "@consign/domain";
import type { SenderAddress } from "./types.ts";

export interface CollectionRequest {
  /** UK date, YYYY-MM-DD. */
  date: string;
  /** When the parcels are ready, UK time HH:MM. */
  readyAt: string;
  parcels: number;
  /** Total weight, kilograms. */
  weightKg: number;
  /** Where to collect from: the seller's dispatch address. */
  address: SenderAddress;
  /** Our reference for the booking. */
  reference: string;
}

export type CollectionState = "booked" | "collected" | "cancelled" | "unknown";

export interface BookedCollection {
  courier: CourierId;
  /** The courier's id for the collection. */
  collectionId: string;
  date: string;
  /** The window the courier gave, in words ("10:00–13:00"). */
  window: string;
  state: CollectionState;
}

export interface CollectionsAdapter {
  readonly courier: CourierId;
  readonly displayName: string;
  book(request: CollectionRequest): Promise<BookedCollection>;
  /** The courier's view of a booking; null when it has none. */
  get(collectionId: string): Promise<BookedCollection | null>;
  cancel(collectionId: string): Promise<void>;
}

/** "1 Mill Lane" → { number: "1", street: "Mill Lane" }; no leading number → the line as the street. */
export function splitHouseNumber(line: string): { number: string; street: string } {
  const m = /^(\d+[A-Za-z]?(?:-\d+)?)[,\s]+(.+)$/.exec(line.trim());
  return m ? { number: m[1] ?? "", street: m[2] ?? "" } : { number: "", street: line.trim() };
}
