import { describe, expect, it } from "vitest";
import { Selection } from "./selection.ts";

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
