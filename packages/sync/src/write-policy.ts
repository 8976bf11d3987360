// Who may write what in the live document from a device, declared once. The room reads this
// declaration to check every update a device sends before it is stored or broadcast; the PWA can
// read it to hide what a person may not change. The room's own writes (imports, label results,
// the API's changes) are not checked: they come from code that already checked its caller.
//
// To add a key, see "Adding a key" in this package's README.md. In short: a new working field gets
// its rule in WORK_FIELD_RULES (TypeScript insists on one), a new setting in SETTING_RULES, a new
// top-level map in ROOT_RULES. Whatever is not declared here is refused, naming the key.

import { TEXT_LIMITS } from "@consign/domain";
import * as Y from "yjs";
import { isStringsLayout } from "./layout.ts";
import { MAP, type WorkField } from "./schema.ts";

/** The limits on what people type (from the domain: the edge's schemas use the same table). */
export { TEXT_LIMITS };

/**
 * Who writes a key from a device. The room (server writes) always may.
 * - "room":  no device; the server alone (Amazon's data, label results, the generation…)
 * - "owner": owners' devices
 * - "team":  owners' and packers' devices
 */
export type DeviceWriters = "room" | "owner" | "team";

export interface KeyRule {
  writers: DeviceWriters;
  /**
   * How the value is held. "json": a plain JSON value, replaced whole (last writer wins).
   * "text": collaborative text (Y.Text), merged character by character; a plain string is
   * accepted too (documents written before the field became text).
   */
  kind: "json" | "text";
  /** The largest value: characters of a text, or characters of the value as JSON. */
  maxChars: number;
  /** Said in a refusal, e.g. "the order's notes". */
  label: string;
}

const json = (writers: DeviceWriters, maxChars: number, label: string): KeyRule => ({
  writers,
  kind: "json",
  maxChars,
  label,
});

/** Every working field of an order: who may write it from a device, and how big it may get. */
export const WORK_FIELD_RULES: Record<WorkField, KeyRule> = {
  state: json("team", 40, "the order's state"),
  heldFrom: json("team", 40, "the state a hold returns to"),
  holdUntil: json("team", 40, "the end of a hold"),
  cancelledBy: json("room", 40, "who cancelled"),
  cancelledAt: json("room", 40, "when it was cancelled"),
  package: json("team", 400, "the package's weight and size"),
  service: json("team", 2_000, "the chosen service"),
  notes: { writers: "team", kind: "text", maxChars: TEXT_LIMITS.notes, label: "the order's notes" },
  labelRevision: json("room", 40, "the label revision"),
  shipments: json("room", 40_000, "the order's labels"),
  printedAt: json("team", 40, "when its label was printed"),
  dispatchedAt: json("room", 40, "when it was dispatched"),
  confirmation: json("room", 4_000, "Amazon's dispatch confirmation"),
  history: json("team", 200_000, "the order's history"),
  // Parcels carry labels and Amazon's confirmations: written by the room only.
  packages: json("room", 200_000, "the order's parcels"),
  // Checked as an address (limits, postcode, the courier's line lengths) by the API, which writes it.
  addressCorrection: json("room", 4_000, "the corrected address (correct it through the API)"),
};

/** Shared settings a device may write (the rest change through the API, checked there). */
export const SETTING_RULES: Record<string, KeyRule> = {
  senderAddress: json("owner", 2_000, "the sender's address"),
  dispatchCutoff: json("owner", 20, "the dispatch cut-off"),
  printer: json("owner", 400, "the printer settings"),
  shippingRules: json("room", 400_000, "the shipping rules (change them through the API)"),
  skuWeights: json("room", 400_000, "the SKU weights (change them through the API)"),
  skuCustoms: json("room", 800_000, "the SKU customs data (change it through the API)"),
  iossNumber: json("room", 40, "the IOSS number (change it through the API)"),
  packagingGrams: json("room", 20, "the packaging weight (change it through the API)"),
  autoConfirmOnPrint: json("room", 10, "auto-confirm on print (change it through the API)"),
  courierDay: json(
    "room",
    1200,
    "the end of day, courier failover and each courier's cut-off (change them through the API)",
  ),
};

/** Amazon's order as imported (buyer, address, items, dates): written by the room alone. */
const ORDER_RECORD = json("room", 200_000, "Amazon's order (buyer, address, items, dates)");
const ROOM_ONLY = (label: string) => json("room", 1_000_000, label);
const STOCK_COUNTER = json("team", 24, "a stock counter");
const PRINT_JOB = json("team", 100_000, "a print job");
const PRINT_LABEL = json("team", 2_000, "a label's print claim");

/** Order ids are Amazon's (digits and dashes) or the sandbox's; never a "/". */
const ORDER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Each top-level map of the document and the rule for one of its keys (undefined: not a key of
 * the document). A root that is not listed here is refused whole.
 */
export const ROOT_RULES: Record<string, (key: string) => KeyRule | undefined> = {
  [MAP.orders]: (key) => (ORDER_ID.test(key) ? ORDER_RECORD : undefined),
  [MAP.work]: (key) => {
    const slash = key.lastIndexOf("/");
    if (slash < 0 || !ORDER_ID.test(key.slice(0, slash))) return undefined;
    return (WORK_FIELD_RULES as Record<string, KeyRule>)[key.slice(slash + 1)];
  },
  // `${sku}/${counterId}` → that counter's net change (a PN-counter: one writer per key).
  [MAP.stock]: (key) => (key.includes("/") && key.length <= 300 ? STOCK_COUNTER : undefined),
  [MAP.settings]: (key) => (Object.hasOwn(SETTING_RULES, key) ? SETTING_RULES[key] : undefined),
  [MAP.runs]: () => ROOM_ONLY("label run progress"),
  // The team's print queue (see print-queue.ts): jobs, and each label's claim by a device.
  [MAP.printQueue]: (key) =>
    key.startsWith("job/") && key.length <= 120
      ? PRINT_JOB
      : key.startsWith("label/") && key.length <= 200
        ? PRINT_LABEL
        : undefined,
  [MAP.meta]: () => ROOM_ONLY("the document's generation"),
};

/** Who is writing: a person's device (by role) or an integration's API key. */
export interface DeviceWriter {
  role: "owner" | "packer" | "viewer";
  /** API keys read the live document only: they change orders through /api/v1, where each call is checked. */
  kind?: "session" | "api-key";
}

/** True when this writer may write keys with these writers; viewers and API keys write nothing. */
export function mayWrite(writer: DeviceWriter, writers: DeviceWriters): boolean {
  if (writer.kind === "api-key" || writer.role === "viewer") return false;
  if (writers === "team") return true;
  if (writers === "owner") return writer.role === "owner";
  return false;
}

/** True when this writer may write anything at all in the live document. */
export function writesAnything(writer: DeviceWriter): boolean {
  return writer.kind !== "api-key" && writer.role !== "viewer";
}

export type WriteRefusal = {
  ok: false;
  /** forbidden: not this writer's to change; unknown: not a key of the document; invalid: wrong kind of value; too_large: over its limit. */
  why: "forbidden" | "unknown" | "invalid" | "too_large";
  /** `root/key`, e.g. "work/203-1234567-1234567/notes". */
  key: string;
  /** One sentence a person can act on, naming the key (and the limit). */
  reason: string;
};
export type WriteVerdict = { ok: true; keys: number } | WriteRefusal;

/**
 * Checks what one transaction changed against the declaration: every root map and key it touched
 * (directly, or inside a collaborative text held at a key), who may write it, its kind and size.
 * Call it before the transaction's observers run (`doc.on("beforeObserverCalls", …)`), so a
 * refused update can be thrown away before anyone sees it.
 */
export function checkWrite(doc: Y.Doc, tr: Y.Transaction, writer: DeviceWriter): WriteVerdict {
  const seen = new Set<string>();
  for (const [type, keys] of tr.changed) {
    const place = placeOf(doc, type as Y.AbstractType<unknown>);
    if (place === null) return refuse("invalid", "(nested)", "a change outside any key of the document");
    const touched = place.key === undefined ? keys : [place.key];
    for (const key of touched) {
      const textRoot = place.key === undefined ? textRootRule(place.root) : undefined;
      const path = textRoot !== undefined ? place.root : `${place.root}/${key ?? "(list)"}`;
      if (seen.has(path)) continue;
      seen.add(path);
      if (textRoot !== undefined) {
        // Layout 2's notes: a top-level text per order (text.ts), written like the work field.
        if (textRoot === null) return refuse("unknown", path, `${path} is not a key of the document`);
        if (!mayWrite(writer, textRoot.writers))
          return refuse("forbidden", path, `${whoIs(writer)} may not change ${textRoot.label} (${path})`);
        const bad = checkValue(topLevelText(doc, place.root), textRoot, path);
        if (bad !== null) return bad;
        continue;
      }
      const rules = Object.hasOwn(ROOT_RULES, place.root) ? ROOT_RULES[place.root] : undefined;
      if (rules === undefined)
        return refuse("unknown", path, `"${place.root}" is not part of the document (${path})`);
      if (key === null) return refuse("invalid", path, `"${place.root}" holds keys, not a list (${path})`);
      const rule = rules(key);
      if (rule === undefined) return refuse("unknown", path, `${path} is not a key of the document`);
      if (!mayWrite(writer, rule.writers)) {
        const who = whoIs(writer);
        const by = rule.writers === "owner" ? "the owner's" : "the room's";
        return refuse("forbidden", path, `${who} may not change ${rule.label} (${path}): it is ${by}`);
      }
      const value = rootMap(doc, place.root).get(key);
      if (rule.kind === "text" && value !== undefined && place.root === MAP.work && isStringsLayout(doc)) {
        // Since layout 2 an order's notes are a top-level text: a text here comes from an app too old.
        return refuse(
          "invalid",
          path,
          `${path}: the order's notes live in their own text in this document (${path.replace(/^work\/(.*)\/(\w+)$/, "$2/$1")}); reload the app`,
        );
      }
      const bad = checkValue(value, rule, path);
      if (bad !== null) return bad;
    }
  }
  return { ok: true, keys: seen.size };
}

function whoIs(writer: DeviceWriter): string {
  return writer.kind === "api-key" ? "an API key" : writer.role === "owner" ? "an owner" : `a ${writer.role}`;
}

/**
 * The rule for a top-level name of the form `<text field>/<orderId>` (layout 2's notes, text.ts):
 * undefined when the name is not of that form, null when it names a text field but no order id.
 */
function textRootRule(root: string): KeyRule | null | undefined {
  const slash = root.indexOf("/");
  if (slash < 0) return undefined;
  const rule = (WORK_FIELD_RULES as Record<string, KeyRule>)[root.slice(0, slash)];
  if (rule === undefined || rule.kind !== "text") return undefined;
  return ORDER_ID.test(root.slice(slash + 1)) ? rule : null;
}

/** The top-level type of that name as text (a placeholder turned into one); null when it is something else. */
function topLevelText(doc: Y.Doc, name: string): Y.Text | null {
  const shared = doc.share.get(name);
  if (shared === undefined) return null;
  // Keys set on it (a map's) make it no text, whatever it is turned into.
  if (shared._map.size > 0) return null;
  if (shared instanceof Y.Text) return shared;
  return shared.constructor === Y.AbstractType ? doc.getText(name) : null;
}

function refuse(why: WriteRefusal["why"], key: string, reason: string): WriteRefusal {
  return { ok: false, why, key, reason };
}

function rootMap(doc: Y.Doc, root: string): Y.Map<unknown> {
  return doc.getMap(root);
}

/** Checks the value now at a key (undefined: deleted, always fine for who may write it). */
function checkValue(value: unknown, rule: KeyRule, path: string): WriteRefusal | null {
  if (value === undefined) return null;
  if (value === null && rule.kind === "text") return refuse("invalid", path, `${path} must be text`);
  if (rule.kind === "text") {
    if (typeof value === "string") return lengthCheck(value.length, rule, path);
    if (!(value instanceof Y.Text)) return refuse("invalid", path, `${path} must be text`);
    let chars = 0;
    for (const op of value.toDelta() as { insert?: unknown; attributes?: unknown }[]) {
      if (typeof op.insert !== "string" || op.attributes !== undefined) {
        return refuse("invalid", path, `${path} must be plain text (no embeds or formatting)`);
      }
      chars += op.insert.length;
    }
    return lengthCheck(chars, rule, path);
  }
  if (value instanceof Y.AbstractType) return refuse("invalid", path, `${path} must be a plain JSON value`);
  return lengthCheck(JSON.stringify(value)?.length ?? 0, rule, path);
}

function lengthCheck(chars: number, rule: KeyRule, path: string): WriteRefusal | null {
  if (chars <= rule.maxChars) return null;
  return refuse(
    "too_large",
    path,
    `${path} is ${chars} characters; ${rule.label} may be at most ${rule.maxChars}`,
  );
}

/**
 * Where a changed type lives: its root's name, and for a type nested in a root map, the root key
 * it is held at (undefined for the root itself: the changed keys say). Null when it cannot be told.
 */
function placeOf(doc: Y.Doc, type: Y.AbstractType<unknown>): { root: string; key?: string } | null {
  let t = type;
  let key: string | undefined;
  while (t._item !== null) {
    const item = t._item;
    const parent = item.parent;
    if (!(parent instanceof Y.AbstractType)) return null;
    if (parent._item === null) {
      if (item.parentSub === null) return null;
      key = item.parentSub;
    }
    t = parent;
  }
  // A root read for the first time during this transaction (`doc.getMap` on a document rebuilt from
  // stored updates) replaces Yjs's placeholder in `doc.share` by a map sharing the same entries:
  // the placeholder the update was applied to is the same root.
  for (const [name, shared] of doc.share)
    if (shared === t || shared._map === t._map || (t._start !== null && shared._start === t._start))
      return key === undefined ? { root: name } : { root: name, key };
  return null;
}
