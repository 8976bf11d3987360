// The index held equal to a plain reading of the ranking rules over every order, through builds, upserts,
// removals and the rebuilds they lead to.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Order } from "../order.ts";
import { generateOrders, makeOrder } from "../testing/generate.ts";
import { OrderSearchIndex } from "./searchIndex.ts";
import { orderTokens, tokenize } from "./tokens.ts";
import { withinOneEdit } from "./typo.ts";

/** Exact token 3, prefix 2, one typo on a word (query term of four letters or more) 1; summed; all terms. */
function reference(orders: Iterable<Order>, query: string, limit = 20): string[] {
  const terms = [...new Set(tokenize(query))];
  if (terms.length === 0) return [];
  const scored: { o: Order; score: number }[] = [];
  for (const o of orders) {
    const { exact, words } = orderTokens(o);
    let score = 0;
    for (const term of terms) {
      let best = 0;
      for (const t of [...exact, ...words]) {
        if (t === term) best = 3;
        else if (t.startsWith(term)) best = Math.max(best, 2);
      }
      if (best === 0 && term.length >= 4 && words.some((t) => withinOneEdit(term, t))) best = 1;
      if (best === 0) {
        score = 0;
        break;
      }
      score += best;
    }
    if (score > 0) scored.push({ o, score });
  }
  scored.sort((a, b) => b.score - a.score || b.o.purchaseDate - a.o.purchaseDate);
  const ids = scored.map((s) => s.o.orderId);
  const exact = [query, query.trim()].find((q) => [...orders].some((o) => o.orderId === q));
  if (exact === undefined) return ids.slice(0, limit);
  return [exact, ...ids.filter((id) => id !== exact)].slice(0, limit);
}

/** Orders with distinct purchase dates, so the ranking has no ties to break. */
function distinctOrders(count: number, seed: number): Order[] {
  return generateOrders(count, { seed }).map((o, i) => ({
    ...o,
    purchaseDate: 1_700_000_000_000 + i * 7919,
  }));
}

/** Queries a seller might type: prefixes of field values, whole words, words with one slip, two words. */
function queriesFor(orders: readonly Order[], seed: number): string[] {
  let s = seed;
  const pick = <T>(xs: readonly T[]): T => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return xs[s % xs.length]!;
  };
  const out: string[] = [];
  for (let i = 0; i < 60; i++) {
    const o = pick(orders);
    const item = o.items[0];
    const fields = [
      o.orderId,
      o.buyerName ?? "x",
      o.recipient?.postcode ?? "y",
      item?.sku ?? "z",
      item?.title ?? "w",
      item?.asin ?? "v",
      o.shipments[0]?.trackingNumber ?? o.orderId,
    ];
    const value = pick(fields);
    const cut = 1 + (s % Math.max(1, value.length));
    out.push(value.slice(0, cut));
    const word = pick(tokenize(value).concat("smith"));
    if (word.length >= 4) {
      const at = s % (word.length - 1);
      out.push(word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2)); // swapped pair
      out.push(word.slice(0, at) + word.slice(at + 1)); // dropped letter
      out.push(`${word.slice(0, at)}q${word.slice(at + 1)}`); // wrong letter
    }
    out.push(`${pick(tokenize(fields[1]!).concat("a"))} ${pick(tokenize(fields[4]!).concat("b"))}`);
  }
  return out;
}

describe("order search against the plain reading of its rules", () => {
  it("ranks a built index exactly as the reference does", () => {
    const orders = distinctOrders(1500, 5);
    const index = OrderSearchIndex.build(orders);
    for (const q of queriesFor(orders, 1)) expect(index.search(q), q).toEqual(reference(orders, q));
  });

  it("stays equal to the reference through upserts and removals, across rebuilds", () => {
    const orders = distinctOrders(900, 8);
    const live = new Map(orders.slice(0, 600).map((o) => [o.orderId, o]));
    const index = OrderSearchIndex.build(live.values());
    const queries = queriesFor(orders, 2);
    let step = 0;
    const check = () => {
      expect(index.size).toBe(live.size);
      for (const q of queries.slice(step % 40, (step % 40) + 8))
        expect(index.search(q), q).toEqual(reference(live.values(), q));
    };
    // Enough changes to pass the rebuild threshold more than once.
    for (step = 0; step < 1400; step++) {
      const o = orders[(step * 37) % orders.length]!;
      if (step % 5 === 4) {
        expect(index.remove(o.orderId)).toBe(live.delete(o.orderId));
      } else {
        const changed: Order =
          step % 3 === 0
            ? { ...o, buyerName: `Renamed ${step} Walker`, purchaseDate: o.purchaseDate + 1 }
            : { ...o, shipments: o.shipments.map((x) => ({ ...x, trackingNumber: `ZZ${step}GB` })) };
        index.upsert(changed);
        live.set(o.orderId, changed);
      }
      if (step % 97 === 0) check();
    }
    check();
  });

  it("ranks orders with identifiers of any text as the reference does, built or rebuilt", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 14, unit: "binary" }), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.string({ maxLength: 6, unit: "binary" }),
        (ids, query) => {
          const orders = ids.map((id, i) =>
            makeOrder({
              orderId: id,
              purchaseDate: i,
              recipient: { name: "A", line1: "1", city: "C", postcode: id.slice(0, 7), countryCode: "GB" },
            }),
          );
          const built = OrderSearchIndex.build(orders);
          for (const q of [query, ids[0]!, ids[0]!.slice(0, 3)])
            expect(built.search(q), q).toEqual(reference(orders, q));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("lets the last of two orders with the same id stand in a build", () => {
    const [a, b] = distinctOrders(2, 3);
    const later = { ...b!, orderId: a!.orderId, buyerName: "Later Buyer" };
    const index = OrderSearchIndex.build([a!, later]);
    expect(index.size).toBe(1);
    expect(index.search("later")).toEqual([a!.orderId]);
    expect(index.search(a!.buyerName ?? "")).toEqual(reference([later], a!.buyerName ?? ""));
  });

  it("finds orders upserted into an empty index, before and after a rebuild", () => {
    const orders = distinctOrders(700, 13);
    const index = new OrderSearchIndex();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 699 }), (i) => {
        const o = orders[i]!;
        index.upsert(o);
        expect(index.search(o.orderId)[0]).toBe(o.orderId);
        expect(index.has(o.orderId)).toBe(true);
      }),
      { numRuns: 700 },
    );
  });
});

describe("order search after changes", () => {
  const base = makeOrder({
    orderId: "202-0000001-0000001",
    purchaseDate: 10,
    buyerName: "Priya Patel",
    items: [
      {
        orderItemId: "1",
        sku: "CAN-0007-RD",
        asin: "B0CANDLE01",
        title: "Marzipan Quokka Figurine",
        quantityOrdered: 1,
        quantityShipped: 0,
      },
    ],
    shipments: [
      {
        id: "s",
        courier: "royal-mail",
        serviceCode: "TPN24",
        trackingNumber: "JV123456785GB",
        amazonCarrierCode: "Royal Mail",
        boughtAt: 1,
      },
    ],
  });
  const others = distinctOrders(3000, 21);

  it("finds an order by the start of its tracking number", () => {
    const index = OrderSearchIndex.build([...others, base]);
    expect(index.search("JV1234")).toEqual([base.orderId]);
    expect(index.search("jv123456785gb")).toEqual([base.orderId]);
  });

  it("tolerates one typo in an item title word, but not in an identifier", () => {
    const index = OrderSearchIndex.build([...others, base]);
    expect(index.search("quokak")).toEqual([base.orderId]);
    expect(index.search("marzpan figurine")).toEqual([base.orderId]);
    expect(index.search("jv123465785gb")).toEqual([]);
  });

  it("shows what an upsert after the build changed, and hides a removed order", () => {
    const index = OrderSearchIndex.build([...others, base]);
    index.upsert({ ...base, buyerName: "Priya Shah" });
    expect(index.search("patel")).not.toContain(base.orderId);
    expect(index.search("priya shah")).toEqual([base.orderId]);
    index.remove(base.orderId);
    expect(index.search("priya shah")).toEqual([]);
    expect(index.search("JV1234")).toEqual([]);
    expect(index.has(base.orderId)).toBe(false);
    expect(index.size).toBe(others.length);
  });
});
