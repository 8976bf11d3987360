// How long the text people and integrations type may be: one table used by the edge's schemas
// (400 naming the field and the limit) and by the live document's write check (the room refuses
// a device's update past them). A Durable Object holds the seller's whole live document in 128 MB,
// and Cloudflare refuses WebSocket messages above 1 MiB: no single value may come near either.

import { z } from "zod";

export const TEXT_LIMITS = {
  /** An order's notes. */
  notes: 2_000,
  /** A person's, company's or rule's name. */
  name: 200,
  /** One line of an address, a town, a county. */
  addressLine: 200,
  /** An id, a code, a postcode, a phone number, a SKU. */
  short: 100,
  /** An email address. */
  email: 254,
  /** A URL (webhooks). */
  url: 2_000,
  /** A credential (API key, password, account number, client id). */
  credential: 1_000,
} as const;

/** Most entries a list in a setting may hold (rules, SKUs in a condition…). */
export const LIST_LIMIT = 1_000;

/** "at most 200 characters": the message every over-long text gets, naming the limit. */
export function tooLong(max: number): string {
  return `at most ${max} characters`;
}

/** A string of at most `max` characters, refused with a message naming the limit. */
export function boundedString(max: number): z.ZodString {
  return z.string().max(max, tooLong(max));
}
