// How the live document stores orders. Layout 1 (documents made before it changed): each order's
// record is one JSON value (decoded into objects on every load) and the room gives every order an
// empty notes text at import. Layout 2: each record is one JSON string (a single string to decode,
// parsed when read, see records.ts) and an order's notes are a top-level text made by the first
// keystroke (text.ts), so an order nobody wrote a note on costs the document nothing for it.
// Layout 3: as layout 2, and the parcel and service the room works out for an order (from SKU weights
// and the shipping rules) are fields of its record string instead of two `work` keys per order; only
// a person's choice (a weighed parcel, a service chosen by hand) has a `work` key, which wins
// (worked-out.ts). A room of 5,000 orders then holds one Yjs item per order instead of three.
// Loading 5,000 imported orders: see BENCHMARKS.md, "Instant at any size (issue 23)".
//
// The room stamps the layout on a new document and moves an existing one to the current layout when it
// renews it (rebase.ts). Readers accept every layout; writers follow the document's.

import type * as Y from "yjs";
import { metaMap } from "./schema.ts";

export const LAYOUT_KEY = "layout";
/** The layout this code writes into a new or renewed document. */
export const CURRENT_LAYOUT = 3;

/** The document's layout: 1 for a document from before layouts were stamped. */
export function documentLayout(doc: Y.Doc): number {
  const layout = metaMap(doc).get(LAYOUT_KEY);
  return typeof layout === "number" ? layout : 1;
}

/** Records as JSON strings, notes as top-level texts made on first edit. */
export function isStringsLayout(doc: Y.Doc): boolean {
  return documentLayout(doc) >= 2;
}

/** The room's worked-out parcel and service live in the record (layout 3); a person's choice in `work`. */
export function isWorkedOutInRecord(doc: Y.Doc): boolean {
  return documentLayout(doc) >= 3;
}
