import { describe, expect, it } from "vitest";
import { nextToSelect, Selection } from "./selection.ts";

const list = ["a", "b", "c", "d", "e"];

describe("order selection", () => {
  it("shift-click selects the range from the last clicked order, in either direction", () => {
    const s = new Selection();
    s.toggle("d");
    s.extend("b", list);
    expect([...s.ids].sort()).toEqual(["b", "c", "d"]);
  });

  it("select all matching adds every listed order; clear empties it", () => {
    const s = new Selection();
    s.selectAll(list);
    expect(s.ids.size).toBe(5);
    s.clear();
    expect(s.ids.size).toBe(0);
  });

  it("a second click on an order unselects it", () => {
    const s = new Selection();
    s.toggle("a");
    s.toggle("a");
    expect(s.ids.has("a")).toBe(false);
  });
});

describe("select the next N ready", () => {
  it("takes the first N eligible orders not yet selected, in the order shown", () => {
    const list = ["a", "b", "c", "d", "e", "f"];
    const ready = new Set(["a", "c", "d", "e", "f"]);
    expect(nextToSelect(list, new Set(["c"]), 3, (id) => ready.has(id))).toEqual(["a", "d", "e"]);
    expect(nextToSelect(list, new Set(), 10, (id) => ready.has(id))).toEqual(["a", "c", "d", "e", "f"]);
    expect(nextToSelect(list, new Set(), 0, () => true)).toEqual([]);
  });
});
