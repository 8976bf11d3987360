import { describe, expect, it } from "vitest";
import { SearchIndex, searchText } from "./search.ts";
import { testOrder } from "./test-orders.ts";

describe("order search", () => {
  it("finds by postcode without its space and by SKU, and forgets removed orders", () => {
    const index = new SearchIndex();
    index.upsert(testOrder({ orderId: "A" }));
    index.upsert(
      testOrder({
        orderId: "B",
        recipient: { name: "Bo", line1: "x", city: "York", postcode: "YO1 7HH", countryCode: "GB" },
      }),
    );
    expect(index.match("yo17hh")).toEqual(new Set(["B"]));
    expect(index.match("mug-blue")).toEqual(new Set(["A", "B"]));
    expect(index.match("mug york")).toEqual(new Set(["B"]));
    index.remove("B");
    expect(index.match("york")).toEqual(new Set());
    expect(index.match("  ")).toBeNull();
  });

  it("sees an order's new tracking number after it is updated", () => {
    const index = new SearchIndex();
    const o = testOrder({ orderId: "A" });
    index.upsert(o);
    expect(index.match("GQ660548056GB")?.size).toBe(0);
    index.upsert({
      ...o,
      shipments: [
        {
          id: "A:0",
          courier: "royal-mail",
          serviceCode: "TPN24",
          trackingNumber: "GQ660548056GB",
          amazonCarrierCode: "Royal Mail",
          boughtAt: 1,
        },
      ],
    });
    expect(index.match("gq660548056gb")).toEqual(new Set(["A"]));
  });
});

describe("order search while typing", () => {
  const york = testOrder({
    orderId: "B",
    recipient: { name: "Bo Smith", line1: "x", city: "York", postcode: "YO1 7HH", countryCode: "GB" },
  });

  it("narrows as letters are added and widens again when they are deleted", () => {
    const index = new SearchIndex();
    index.upsert(testOrder({ orderId: "A" }));
    index.upsert(york);
    expect(index.match("s")).toEqual(new Set(["A", "B"]));
    expect(index.match("sm")).toEqual(new Set(["B"]));
    expect(index.match("smx")).toEqual(new Set());
    expect(index.match("sm")).toEqual(new Set(["B"]));
    expect(index.match("sm mug")).toEqual(new Set(["B"]));
    expect(index.match("m")).toEqual(new Set(["A", "B"]));
  });

  it("sees an order changed between two keystrokes", () => {
    const index = new SearchIndex();
    index.upsert(testOrder({ orderId: "A" }));
    expect(index.match("bo")).toEqual(new Set());
    index.upsert({ ...testOrder({ orderId: "A" }), buyerName: "Bob" });
    expect(index.match("bob")).toEqual(new Set(["A"]));
    index.remove("A");
    expect(index.match("bob ")).toEqual(new Set());
  });

  it("indexes waiting orders a slice at a time, and finishes them before answering a search", () => {
    const index = new SearchIndex();
    for (let i = 0; i < 250; i++) index.upsert(testOrder({ orderId: `O-${i}` }));
    expect(index.pending).toBe(250);
    expect(index.indexSome(() => false)).toBe(false);
    expect(index.pending).toBe(150);
    expect(index.match("o-249")?.has("O-249")).toBe(true);
    expect(index.pending).toBe(0);
  });
});

describe("keeping the orders of a view that match a search", () => {
  it("keeps the view's order and agrees with match as letters are typed and deleted", () => {
    const index = new SearchIndex();
    const orders = [
      testOrder({ orderId: "C", buyerName: "Sam Smith" }),
      testOrder({ orderId: "A", buyerName: "Mo Smart" }),
      testOrder({ orderId: "B", buyerName: "Al Jones" }),
    ];
    for (const o of orders) index.upsert(o);
    const view = ["C", "B", "A"];
    for (const q of ["s", "sm", "smi", "sm", "s", "", "sm  mug", "jones", "x"]) {
      const m = index.match(q);
      expect(index.filter(view, q)).toEqual(m ? view.filter((id) => m.has(id)) : view);
    }
    expect(index.filter(view, "SM")).toEqual(["C", "A"]);
  });

  it("starts again from the whole view when the view or an order changes", () => {
    const index = new SearchIndex();
    index.upsert(testOrder({ orderId: "A", buyerName: "Sam" }));
    index.upsert(testOrder({ orderId: "B", buyerName: "Al" }));
    expect(index.filter(["A", "B"], "sa")).toEqual(["A"]);
    index.upsert(testOrder({ orderId: "B", buyerName: "Sara" }));
    expect(index.filter(["A", "B"], "sam")).toEqual(["A"]);
    expect(index.filter(["A", "B"], "sa")).toEqual(["A", "B"]);
    expect(index.filter(["B"], "sar")).toEqual(["B"]);
  });
});

describe("getting a view ready to search", () => {
  it("indexes waiting orders a slice at a time, then filters the prepared view as before", () => {
    const index = new SearchIndex();
    for (let i = 0; i < 250; i++)
      index.upsert(testOrder({ orderId: `O-${i}`, buyerName: i === 7 ? "Zed" : "Al" }));
    const view = Array.from({ length: 250 }, (_, i) => `O-${i}`);
    expect(index.prepare(view, () => false)).toBe(false);
    expect(index.prepare(view)).toBe(true);
    expect(index.pending).toBe(0);
    expect(index.filter(view, "zed")).toEqual(["O-7"]);
  });
});

describe("what a search finds", () => {
  it("finds a postcode typed with its space, without it, or in part", () => {
    const index = new SearchIndex();
    index.upsert(
      testOrder({
        orderId: "A",
        recipient: { name: "Ada", line1: "x", city: "Leeds", postcode: "LS1 1AA", countryCode: "GB" },
      }),
    );
    for (const q of ["ls1 1aa", "LS11AA", "s11a", "1aa", "ls1"])
      expect(index.match(q)).toEqual(new Set(["A"]));
    expect(index.match("ls1 1ab")).toEqual(new Set());
  });
});

describe("an order changing while someone types over the same view", () => {
  it("answers from the order as it is now, for a grown, a backspaced and a replaced query", () => {
    const index = new SearchIndex();
    const names = ["Sam Smith", "Al Jones", "Sara Lee", "Mo Smart"];
    for (const [i, buyerName] of names.entries()) index.upsert(testOrder({ orderId: `O-${i}`, buyerName }));
    const view = ["O-3", "O-2", "O-1", "O-0"];
    expect(index.prepare(view)).toBe(true);
    expect(index.filter(view, "sa")).toEqual(["O-2", "O-0"]);
    expect(index.filter(view, "sam")).toEqual(["O-0"]);
    // A teammate renames two buyers and an order leaves, the view's list itself unchanged.
    index.upsert(testOrder({ orderId: "O-1", buyerName: "Samir Khan" }));
    index.upsert(testOrder({ orderId: "O-0", buyerName: "Tom Smith" }));
    index.remove("O-3");
    expect(index.filter(view, "sami")).toEqual(["O-1"]);
    expect(index.filter(view, "sam")).toEqual(["O-1"]);
    expect(index.filter(view, "sa")).toEqual(["O-2", "O-1"]);
    expect(index.filter(view, "smi")).toEqual(["O-0"]);
    expect(index.filter(view, "sm")).toEqual(["O-0"]);
  });

  it("agrees with a fresh index after many changes, past the few it puts right in place", () => {
    const index = new SearchIndex();
    const view = Array.from({ length: 60 }, (_, i) => `O-${i}`);
    for (const id of view) index.upsert(testOrder({ orderId: id, buyerName: "Al" }));
    expect(index.filter(view, "a")).toHaveLength(60);
    for (const changes of [3, 40]) {
      for (let i = 0; i < changes; i++)
        index.upsert(testOrder({ orderId: `O-${i}`, buyerName: `Zed ${changes}` }));
      const fresh = new SearchIndex();
      for (let i = 0; i < 60; i++)
        fresh.upsert(
          testOrder({
            orderId: `O-${i}`,
            buyerName: i < changes ? `Zed ${changes}` : i < 3 ? "Zed 3" : "Al",
          }),
        );
      for (const q of ["z", "ze", "zed", `zed ${changes}`, "al", "a"])
        expect(index.filter(view, q), `${changes} changed, "${q}"`).toEqual(fresh.filter(view, q));
    }
  });
});

describe("the first letter or digit of a search", () => {
  const buyers = ["Sam Smith", "Al Jones", "Zoë Quinn", "Mo Smart", "Bea Ng", "", "Kai 9"];
  const orders = buyers.map((buyerName, i) => testOrder({ orderId: `O-${i}`, buyerName }));
  /** What a plain scan of the texts keeps, in the view's order. */
  const plain = (view: readonly string[], q: string, byId: Map<string, Parameters<typeof searchText>[0]>) =>
    view.filter((id) => {
      const o = byId.get(id);
      return !!o && searchText(o).includes(q.trim().toLowerCase());
    });

  it("keeps the same orders, in the view's order, whether or not the view was prepared", () => {
    // 40 orders: more than one 32-bit word of bits.
    const many = Array.from({ length: 40 }, (_, i) => ({ ...orders[i % orders.length]!, orderId: `P-${i}` }));
    const byId = new Map(many.map((o) => [o.orderId, o]));
    const view = many.map((o) => o.orderId).reverse();
    const cold = new SearchIndex();
    const ready = new SearchIndex();
    for (const o of many) {
      cold.upsert(o);
      ready.upsert(o);
    }
    ready.prepare(view);
    for (const q of ["s", "S", " m ", "q", "9", "1", "z", "ë", "-", "x"]) {
      expect(ready.filter(view, q), q).toEqual(plain(view, q, byId));
      expect(cold.filter(view, q), q).toEqual(plain(view, q, byId));
    }
  });

  it("sees an order changed or gone after the view was prepared", () => {
    const index = new SearchIndex();
    for (const o of orders) index.upsert(o);
    const view = orders.map((o) => o.orderId);
    index.prepare(view);
    expect(index.filter(view, "q")).toEqual(["O-2"]);
    index.filter(view, "");
    const changed = { ...orders[1]!, buyerName: "Al Quist" };
    index.upsert(changed);
    index.remove("O-2");
    const byId = new Map([...orders, changed].filter((o) => o.orderId !== "O-2").map((o) => [o.orderId, o]));
    for (const q of ["q", "j", "z", "s"]) expect(index.filter(view, q), q).toEqual(plain(view, q, byId));
  });

  it("answers right while its bits are only part made, and once they are all made", () => {
    const index = new SearchIndex();
    const many = Array.from({ length: 4100 }, (_, i) =>
      testOrder({ orderId: `P-${i}`, buyerName: i % 97 === 0 ? "Quinn" : "Al" }),
    );
    for (const o of many) index.upsert(o);
    const view = many.map((o) => o.orderId);
    const quinns = view.filter((_, i) => i % 97 === 0);
    let slices = 0;
    expect(index.prepare(view, () => ++slices < 2)).toBe(false);
    expect(index.filter(view, "q")).toEqual(quinns);
    expect(index.prepare(view)).toBe(true);
    index.filter(view, "");
    index.upsert({ ...many[1]!, buyerName: "Quinn" });
    expect(index.filter(view, "q")).toEqual([quinns[0], "P-1", ...quinns.slice(1)]);
  });
});

describe("answers kept for backspacing", () => {
  it("agree with a plain scan through 600 random keystrokes over more queries than are kept, prepared or not, with orders changing and the view replaced", () => {
    // Seeded (mulberry32): the same walk each run.
    let seed = 23;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const names = ["Sam Smith", "Al Jones", "Mo Smart", "Bea Ng", "Kai Mills", "Ann Marsh", "Tom Ash"];
    const byId = new Map(
      Array.from({ length: 150 }, (_, i) => {
        const o = testOrder({ orderId: `R-${i}`, buyerName: `${pick(names)} ${i % 13}` });
        return [o.orderId, o] as const;
      }),
    );
    const plain = (view: readonly string[], q: string) => {
      const words = q.toLowerCase().split(/\s+/).filter(Boolean);
      return view.filter((id) => words.every((w) => searchText(byId.get(id)!).includes(w)));
    };
    for (const prepared of [false, true]) {
      const index = new SearchIndex();
      for (const o of byId.values()) index.upsert(o);
      let view = [...byId.keys()];
      if (prepared) index.prepare(view);
      let q = "";
      for (let step = 0; step < 600; step++) {
        const r = random();
        if (r < 0.45) q += pick([..."smajokt0123 "]);
        else if (r < 0.8) q = q.slice(0, -1);
        else if (r < 0.9) q = pick(["s", "ma", "ash", "1", "mi", "n"]);
        else if (r < 0.95) {
          // Someone else's edit while this person types.
          const id = `R-${Math.floor(random() * 150)}`;
          const changed = { ...byId.get(id)!, buyerName: `${pick(names)} ${step}` };
          byId.set(id, changed);
          index.upsert(changed);
        } else {
          // Another view (a filter changed): a new array, some orders left out.
          view = [...byId.keys()].filter(() => random() < 0.7);
          if (prepared) index.prepare(view);
        }
        expect(index.filter(view, q), `step ${step}, "${q}", prepared: ${prepared}`).toEqual(plain(view, q));
      }
    }
  });
});
