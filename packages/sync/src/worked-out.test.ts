// Layout 3 (layout.ts, worked-out.ts): the parcel and service the room works out live in the order's
// record string; a person's choice is a `work` key that wins; a layout 2 room moves over at its renewal.
import type { ChosenService, PackageSpec } from "@consign/domain";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { makeOrder } from "../test/fixtures.ts";
import { documentLayout, LAYOUT_KEY } from "./layout.ts";
import { listOrders, readOrder, setWork, upsertOrders, writeOrder } from "./orders.ts";
import { carryUnsyncedEdits, documentHealth, initialiseGeneration, rebaseDocument } from "./rebase.ts";
import { readRecord } from "./records.ts";
import { createConsignDoc, metaMap, workKey, workMap } from "./schema.ts";

const T = Date.UTC(2026, 11, 6, 9);
const ids = (n: number) =>
  Array.from({ length: n }, (_, i) => `203-3333333-${String(i + 1).padStart(7, "0")}`);
const SKU_PARCEL: PackageSpec = { weightGrams: 240, source: "sku" };
const RULE_SERVICE: ChosenService = {
  courier: "royal-mail",
  serviceCode: "TPS48",
  format: "large-letter",
  ruleId: "light",
  reason: "Rule matched: 240 g is at most 750 g.",
  source: "rule",
};
const ENTERED: PackageSpec = { weightGrams: 900, source: "entered" };
const OVERRIDE: ChosenService = {
  courier: "evri",
  serviceCode: "EVRI24",
  source: "override",
  reason: "by hand",
};

/** A room's document in `layout`, its orders imported and worked out as the room does (workOutInto). */
function room(layout: 2 | 3, n = 3): Y.Doc {
  const doc = createConsignDoc();
  initialiseGeneration(doc, "g1", "room");
  metaMap(doc).set(LAYOUT_KEY, layout);
  upsertOrders(
    doc,
    ids(n).map((id) => makeOrder(id, T)),
    "import",
  );
  for (const id of ids(n)) writeOrder(doc, { orderId: id, package: SKU_PARCEL, service: RULE_SERVICE });
  return doc;
}

function deviceOf(roomDoc: Y.Doc): Y.Doc {
  const device = createConsignDoc();
  Y.applyUpdate(device, Y.encodeStateAsUpdate(roomDoc));
  return device;
}

describe("the worked-out parcel and service inside the record (layout 3)", () => {
  it("stores what the room works out in the record: one struct per order, no working keys", () => {
    const doc = room(3, 50);
    expect(workMap(doc).size).toBe(0);
    expect(readRecord(doc, ids(1)[0]!)).toMatchObject({ package: SKU_PARCEL, service: RULE_SERVICE });
    const device = deviceOf(doc);
    expect(readOrder(device, ids(1)[0]!)).toMatchObject({ package: SKU_PARCEL, service: RULE_SERVICE });
    // Layout 2 held three per order: the record and the two working keys.
    const live = (d: Y.Doc) => documentHealth(d).structs - documentHealth(d).tombstones;
    expect(live(deviceOf(room(2, 50))) - live(device)).toBe(100);
  });

  it("reads every order the same as layout 2 does", () => {
    const two = room(2, 5);
    const three = room(3, 5);
    writeOrder(two, { orderId: ids(5)[1]!, service: OVERRIDE });
    writeOrder(three, { orderId: ids(5)[1]!, service: OVERRIDE });
    setWork(two, ids(5)[2]!, { package: ENTERED });
    setWork(three, ids(5)[2]!, { package: ENTERED });
    expect(listOrders(deviceOf(three))).toEqual(listOrders(deviceOf(two)));
  });

  it("lets a person's choice win, and shows the worked-out one again when they take it back", () => {
    const doc = room(3, 1);
    const [id] = ids(1) as [string];
    const device = deviceOf(doc);
    setWork(device, id, { package: ENTERED, service: OVERRIDE });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(device, Y.encodeStateVector(doc)));
    expect(workMap(doc).get(workKey(id, "service"))).toEqual(OVERRIDE);
    expect(readOrder(doc, id)).toMatchObject({ package: ENTERED, service: OVERRIDE });
    // The room working the order out again (workOut hands a person's choice back) keeps it where it is.
    expect(writeOrder(doc, { orderId: id, package: ENTERED, service: OVERRIDE })).toBe(false);
    expect(readOrder(doc, id)?.service).toEqual(OVERRIDE);
    setWork(device, id, { service: undefined });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(device, Y.encodeStateVector(doc)));
    expect(readOrder(doc, id)?.service).toEqual(RULE_SERVICE);
  });

  it("lets the room's own choice replace a person's, as it did at the working key (a courier down at the buy)", () => {
    const doc = room(3, 1);
    const [id] = ids(1) as [string];
    setWork(doc, id, { service: OVERRIDE });
    const instead = {
      ...RULE_SERVICE,
      courier: "dpd" as const,
      serviceCode: "1^12",
      reason: "Evri is not answering",
    };
    writeOrder(doc, { orderId: id, service: instead });
    expect(workMap(doc).has(workKey(id, "service"))).toBe(false);
    expect(readOrder(doc, id)?.service).toEqual(instead);
  });

  it("moves a worked-out value left at a working key into the record, and removes both when told to", () => {
    const doc = room(3, 1);
    const [id] = ids(1) as [string];
    // As a layout 2 room wrote it (or an old path): the rules' service at the working key.
    setWork(doc, id, { service: RULE_SERVICE });
    writeOrder(doc, { orderId: id, service: { ...RULE_SERVICE, serviceCode: "CRL48" } });
    expect(workMap(doc).has(workKey(id, "service"))).toBe(false);
    expect(readOrder(doc, id)?.service?.serviceCode).toBe("CRL48");
    // No rule matches any more: no service at all.
    writeOrder(doc, { orderId: id, service: undefined });
    expect(readOrder(doc, id)?.service).toBeUndefined();
    expect(readRecord(doc, id)?.service).toBeUndefined();
  });

  it("keeps the team's values on a re-import", () => {
    const doc = room(3, 1);
    const [id] = ids(1) as [string];
    const r = upsertOrders(
      doc,
      [{ ...makeOrder(id, T), package: { weightGrams: 5, source: "sku" } }],
      "import",
    );
    expect(r.unchanged).toBe(1);
    expect(readOrder(doc, id)?.package).toEqual(SKU_PARCEL);
  });
});

describe("moving a layout 2 room to layout 3 at its renewal", () => {
  it("folds the room's worked-out values into the records, keeps people's choices, and reads every order the same", () => {
    const old = room(2, 4);
    const [a, b, c, d] = ids(4) as [string, string, string, string];
    setWork(old, a, { package: ENTERED });
    setWork(old, b, { service: OVERRIDE, notes: "fragile" });
    writeOrder(old, { orderId: c, package: { weightGrams: 300 } }); // no source: an older order's, as entered
    const fresh = rebaseDocument(old, "g2");
    expect(documentLayout(fresh)).toBe(3);
    expect(listOrders(fresh)).toEqual(listOrders(old));
    expect([...workMap(fresh).keys()].sort()).toEqual(
      [workKey(a, "package"), workKey(b, "service"), workKey(c, "package")].sort(),
    );
    expect(readRecord(fresh, a)).toMatchObject({ service: RULE_SERVICE });
    expect(readRecord(fresh, d)).toMatchObject({ package: SKU_PARCEL, service: RULE_SERVICE });
  });

  it("carries a layout 2 device's offline choice into the renewed document", () => {
    const old = room(2, 2);
    const [a] = ids(2) as [string];
    const device = deviceOf(old);
    const fresh = rebaseDocument(old, "g2");
    setWork(device, a, { service: OVERRIDE });
    const next = deviceOf(fresh);
    expect(carryUnsyncedEdits(device, next).carried).toBe(1);
    expect(readOrder(next, a)?.service).toEqual(OVERRIDE);
    expect(readOrder(next, a)?.package).toEqual(SKU_PARCEL);
  });
});
