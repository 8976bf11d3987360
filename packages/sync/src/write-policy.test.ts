import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { makeOrder } from "../test/fixtures.ts";
import { readOrder, setWork, upsertOrders } from "./orders.ts";
import { MAP, WORK_FIELDS, workKey } from "./schema.ts";
import { orderText } from "./text.ts";
import {
  checkWrite,
  type DeviceWriter,
  ROOT_RULES,
  WORK_FIELD_RULES,
  type WriteVerdict,
} from "./write-policy.ts";

const ID = "203-1111111-0000001";
const T = Date.UTC(2026, 3, 1, 9);

/** A room document with one order, and what a device's change does to it when checked as `writer`. */
function check(writer: DeviceWriter, change: (device: Y.Doc) => void): WriteVerdict {
  const room = new Y.Doc();
  upsertOrders(room, [makeOrder(ID, T)], "import");
  const device = new Y.Doc();
  Y.applyUpdate(device, Y.encodeStateAsUpdate(room));
  const sv = Y.encodeStateVector(device);
  change(device);
  const update = Y.encodeStateAsUpdate(device, sv);
  let verdict: WriteVerdict | null = null;
  room.on("beforeObserverCalls", (tr: Y.Transaction) => {
    verdict = checkWrite(room, tr, writer);
  });
  Y.applyUpdate(room, update);
  return verdict ?? { ok: true, keys: 0 };
}

const packer: DeviceWriter = { role: "packer", kind: "session" };
const owner: DeviceWriter = { role: "owner", kind: "session" };

describe("the document's write policy", () => {
  it("declares a rule for every working field and every top-level map", () => {
    for (const f of WORK_FIELDS) expect(WORK_FIELD_RULES[f]).toBeDefined();
    for (const name of Object.values(MAP)) expect(ROOT_RULES[name]).toBeDefined();
  });

  it("lets a packer type notes and weigh a parcel", () => {
    const v = check(packer, (d) => setWork(d, ID, { notes: "fragile", package: { weightGrams: 300 } }));
    expect(v).toEqual({ ok: true, keys: 2 });
  });

  it("lets a packer type notes and weigh a parcel in one update to a room that has just reloaded its document", () => {
    // A room that reloads (after an eviction) rebuilds its document from stored updates: its
    // top-level maps are Yjs placeholders until first read. The check must know them all the same.
    const original = new Y.Doc();
    upsertOrders(original, [makeOrder(ID, T)], "import");
    const device = new Y.Doc();
    Y.applyUpdate(device, Y.encodeStateAsUpdate(original));
    const sv = Y.encodeStateVector(device);
    setWork(device, ID, { notes: "fragile", package: { weightGrams: 300 } });
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(original));
    let verdict: WriteVerdict | null = null;
    reloaded.on("beforeObserverCalls", (tr: Y.Transaction) => {
      verdict = checkWrite(reloaded, tr, packer);
    });
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(device, sv));
    expect(verdict).toEqual({ ok: true, keys: 2 });
    expect(readOrder(reloaded, ID)?.notes).toBe("fragile");
  });

  it("keeps Amazon's order read-only to every device, the owner's too", () => {
    const v = check(owner, (d) => {
      const record = d.getMap(MAP.orders).get(ID) as Record<string, unknown>;
      d.getMap(MAP.orders).set(ID, { ...record, buyerName: "Someone Else" });
    });
    expect(v).toMatchObject({ ok: false, why: "forbidden", key: `orders/${ID}` });
    if (!v.ok)
      expect(v.reason).toBe(
        `an owner may not change Amazon's order (buyer, address, items, dates) (orders/${ID}): it is the room's`,
      );
  });

  it("refuses settings from a packer and the API's settings from anyone, naming them", () => {
    expect(check(packer, (d) => d.getMap(MAP.settings).set("printer", { layout: "4x6" }))).toMatchObject({
      ok: false,
      why: "forbidden",
      key: "settings/printer",
    });
    expect(check(owner, (d) => d.getMap(MAP.settings).set("shippingRules", []))).toMatchObject({
      ok: false,
      why: "forbidden",
      key: "settings/shippingRules",
    });
    expect(check(owner, (d) => d.getMap(MAP.settings).set("printer", { layout: "4x6" })).ok).toBe(true);
  });

  it("refuses viewers and API keys whatever they write", () => {
    expect(check({ role: "viewer" }, (d) => setWork(d, ID, { notes: "x" })).ok).toBe(false);
    expect(check({ role: "owner", kind: "api-key" }, (d) => setWork(d, ID, { notes: "x" })).ok).toBe(false);
  });

  it("refuses a note over its limit and a JSON field over its own, naming field and limit", () => {
    const v = check(packer, (d) => setWork(d, ID, { notes: "é".repeat(2_001) }));
    expect(v).toEqual({
      ok: false,
      why: "too_large",
      key: `work/${ID}/notes`,
      reason: `work/${ID}/notes is 2001 characters; the order's notes may be at most 2000`,
    });
    const big = check(packer, (d) =>
      d.getMap(MAP.work).set(workKey(ID, "package"), { weightGrams: 1, x: "y".repeat(500) }),
    );
    expect(big).toMatchObject({ ok: false, why: "too_large", key: `work/${ID}/package` });
  });

  it("refuses a note replaced by a JSON value or a text in a JSON field", () => {
    expect(
      check(packer, (d) => d.getMap(MAP.work).set(workKey(ID, "package"), new Y.Text("1"))),
    ).toMatchObject({
      ok: false,
      why: "invalid",
    });
    expect(check(packer, (d) => d.getMap(MAP.work).set(workKey(ID, "notes"), 42))).toMatchObject({
      ok: false,
      why: "invalid",
      key: `work/${ID}/notes`,
    });
  });

  it("checks an edit inside a note against the note's key", () => {
    const room = new Y.Doc();
    upsertOrders(room, [makeOrder(ID, T)], "import");
    expect(orderText(room, ID, "notes")).toBeInstanceOf(Y.Text);
    expect(readOrder(room, ID)?.notes).toBeUndefined();
    const v = check(packer, (d) => orderText(d, ID, "notes")?.insert(0, "x".repeat(2_500)));
    expect(v).toMatchObject({ ok: false, why: "too_large", key: `work/${ID}/notes` });
  });
});
