import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { makeOrder } from "../test/fixtures.ts";
import { splitByDecoding } from "../test/reference-split.ts";
import { listOrders, removeOrders, setWork, upsertOrders } from "./index.ts";
import { splitUpdate } from "./split.ts";

function bigDoc() {
  const doc = new Y.Doc();
  const orders = Array.from({ length: 2000 }, (_, i) => makeOrder(`203-0000009-${i}`, 1_700_000_000_000 + i));
  upsertOrders(doc, orders, "import");
  for (const o of orders.slice(0, 500)) setWork(doc, o.orderId, { notes: "x".repeat(50) });
  removeOrders(
    doc,
    orders.slice(0, 300).map((o) => o.orderId),
  );
  return doc;
}

describe("splitting a large update", () => {
  it("cuts an update into parts under the limit that rebuild the same document in any order", () => {
    const doc = bigDoc();
    const whole = Y.encodeStateAsUpdate(doc);
    expect(whole.byteLength).toBeGreaterThan(1_000_000);
    const parts = splitUpdate(whole, 200_000);
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts) expect(p.byteLength).toBeLessThanOrEqual(200_000);
    const inOrder = new Y.Doc();
    for (const p of parts) Y.applyUpdate(inOrder, p);
    const reversed = new Y.Doc();
    for (const p of [...parts].reverse()) Y.applyUpdate(reversed, p);
    for (const copy of [inOrder, reversed]) {
      expect(listOrders(copy)).toEqual(listOrders(doc));
      expect(Y.encodeStateVector(copy)).toEqual(Y.encodeStateVector(doc));
      // Byte-for-byte the same state (compared as buffers: toEqual on a megabyte array is slow).
      expect(Buffer.from(Y.encodeStateAsUpdate(copy)).equals(Buffer.from(whole))).toBe(true);
    }
  });

  it("leaves a small update whole", () => {
    const doc = new Y.Doc();
    doc.getMap("meta").set("generation", "g1");
    const update = Y.encodeStateAsUpdate(doc);
    expect(splitUpdate(update, 1000)).toEqual([update]);
  });
});

/**
 * Two parts hold the same structs with the same content, each the same size. Not byte for byte: Yjs
 * writes a struct's "has a map key" bit even where its origin makes the key implied (and reading
 * ignores it), and decoding drops it, so the old splitter cleared that bit where this one copies it.
 */
function sameStructs(part: Uint8Array, reference: Uint8Array, what: string): void {
  const shape = (u: Uint8Array) =>
    Y.decodeUpdate(u).structs.map((s) => {
      const content = (s as Y.Item).content;
      // A subdocument or a type as what names it (a decoded Y.Doc gets a new clientID each time).
      const values = content
        ?.getContent()
        .map((v) =>
          v instanceof Y.Doc ? `doc ${v.guid}` : v instanceof Y.AbstractType ? v.constructor.name : v,
        );
      return [s.id.client, s.id.clock, s.length, content?.constructor.name, values];
    });
  expect(part.byteLength, what).toBe(reference.byteLength);
  expect(shape(part), what).toEqual(shape(reference));
}

/** A document using every kind of content Yjs writes, edited by three clients, with deletions. */
function everyKindDoc(seed: number): Y.Doc {
  let x = seed;
  const rnd = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
  const words = ["Tea towel", "Crème brûlée", "寿司", "🐶 lead 🐾", "", "x".repeat(300), "line\nbreak"];
  for (let round = 0; round < 60; round++) {
    const doc = docs[round % 3]!;
    doc.transact(() => {
      const map = doc.getMap("orders");
      const key = `203-${Math.floor(rnd() * 40)}`;
      const pick = rnd();
      if (pick < 0.25)
        map.set(key, {
          n: Math.floor(rnd() * 1e6),
          neg: -Math.floor(rnd() * 1e9),
          f: rnd(),
          big: 2 ** 40 + round,
          ok: rnd() < 0.5,
          none: null,
          title: words[round % words.length]!,
          items: [{ sku: "MUG", qty: 2 }, [1, "a", false]],
          bytes: new Uint8Array([1, 2, round % 256]),
        });
      else if (pick < 0.35) map.delete(key);
      else if (pick < 0.55) {
        const work = doc.getMap("work");
        let t = work.get(`${key}/notes`);
        if (!(t instanceof Y.Text)) {
          t = new Y.Text(words[round % words.length]);
          work.set(`${key}/notes`, t);
        }
        const text = t as Y.Text;
        text.insert(Math.floor(rnd() * (text.length + 1)), words[(round + 3) % words.length]!, {
          bold: rnd() < 0.3 ? true : null,
        });
        if (text.length > 4) text.delete(Math.floor(rnd() * (text.length - 2)), 2);
        if (rnd() < 0.2) text.insertEmbed(0, { image: "label.png" });
        if (rnd() < 0.2) text.format(0, Math.min(3, text.length), { italic: true });
      } else if (pick < 0.7) {
        const list = doc.getArray<unknown>("queue");
        list.push([round, `job ${round}`, { at: round }, new Uint8Array([round % 256])]);
        if (list.length > 6) list.delete(1, 3);
      } else if (pick < 0.8) {
        const xml = doc.getXmlFragment("xml");
        const el = new Y.XmlElement(`p${round % 3}`);
        el.setAttribute("class", `c${round}`);
        el.insert(0, [new Y.XmlText(words[round % words.length])]);
        // A hook (a named custom node) is an XML fragment's child too, which the types do not say.
        xml.insert(0, [el, new Y.XmlHook("hook") as unknown as Y.XmlText]);
        if (xml.length > 4) xml.delete(2, 1);
      } else if (pick < 0.85) {
        doc.getMap("docs").set(`sub${round}`, new Y.Doc({ guid: `g${round}`, meta: { round } }));
      } else {
        const nested = new Y.Map<unknown>();
        nested.set("inner", new Y.Array());
        map.set(`${key}-m`, nested);
        (nested.get("inner") as Y.Array<number>).insert(0, [1, 2, 3]);
      }
    });
    // Devices meet now and then (so structs have origins in other clients).
    if (round % 7 === 6)
      for (const a of docs)
        for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  }
  for (const a of docs)
    for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  return docs[0]!;
}

describe("splitting without decoding the update (issue 23)", () => {
  it("gives the same parts as decoding every struct, for every kind of content, and they rebuild the document", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const doc = everyKindDoc(seed);
      const whole = Y.encodeStateAsUpdate(doc);
      expect(whole.byteLength).toBeGreaterThan(2_500);
      for (const max of [300, 800, 2_000]) {
        const parts = splitUpdate(whole, max);
        const reference = splitByDecoding(whole, max);
        expect(parts.length, `seed ${seed}, ${max} bytes`).toBeGreaterThan(1);
        // The same structs in the same parts (the delete set in parts of its own after them).
        const structParts = reference.length - (reference.at(-1)![0] === 0 ? 1 : 0);
        for (let i = 0; i < structParts; i++)
          sameStructs(parts[i]!, reference[i]!, `seed ${seed}, ${max} bytes, part ${i}`);
        for (const order of [parts, [...parts].reverse()]) {
          const copy = new Y.Doc();
          for (const p of order) Y.applyUpdate(copy, p);
          expect(Buffer.from(Y.encodeStateAsUpdate(copy)).equals(Buffer.from(whole))).toBe(true);
          expect(copy.getXmlFragment("xml").toString()).toBe(doc.getXmlFragment("xml").toString());
          expect(copy.getMap("orders").toJSON()).toEqual(doc.getMap("orders").toJSON());
        }
      }
    }
  });

  it("splits an update holding part of a client's structs (a device's backlog), not only a whole document", () => {
    const doc = bigDoc();
    const before = Y.encodeStateVector(doc);
    const base = Y.encodeStateAsUpdate(doc);
    const more = Array.from({ length: 400 }, (_, i) => makeOrder(`204-0000009-${i}`, 1_800_000_000_000 + i));
    upsertOrders(doc, more, "import");
    for (const o of more.slice(0, 100)) setWork(doc, o.orderId, { notes: "Ring the bell 🔔" });
    const backlog = Y.encodeStateAsUpdate(doc, before);
    const parts = splitUpdate(backlog, 50_000);
    expect(parts.length).toBeGreaterThan(2);
    const structParts = splitByDecoding(backlog, 50_000).filter((p) => p[0] !== 0);
    for (const [i, p] of structParts.entries()) sameStructs(parts[i]!, p, `part ${i}`);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, base);
    for (const p of parts.reverse()) Y.applyUpdate(copy, p);
    expect(listOrders(copy)).toEqual(listOrders(doc));
  });

  it("refuses bytes that are not a Yjs update rather than cutting them anywhere", () => {
    const junk = new Uint8Array(5000).fill(0xff);
    expect(() => splitUpdate(junk, 1000)).toThrow();
    const whole = Y.encodeStateAsUpdate(bigDoc());
    expect(() => splitUpdate(whole.subarray(0, whole.byteLength - 1000), 200_000)).toThrow(
      /not a Yjs update|end/i,
    );
  });
});
