import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createConsignDoc } from "./schema.ts";
import { adjustStock, stockLevel, stockLevels } from "./stock.ts";

function exchange(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe("stock levels", () => {
  it("adds up decrements from two devices when one was offline for half of them", () => {
    const room = createConsignDoc({ clientID: 100 });
    adjustStock(room, "MUG-BLUE-350", 500, { counterId: "room" });
    const tablet = createConsignDoc({ clientID: 1 });
    const phone = createConsignDoc({ clientID: 2 });
    exchange(room, tablet);
    exchange(room, phone);
    for (let i = 0; i < 100; i++) {
      adjustStock(tablet, "MUG-BLUE-350", -1);
      exchange(tablet, room); // online: every change reaches the room at once
      adjustStock(phone, "MUG-BLUE-350", -1);
      if (i < 50) exchange(phone, room); // offline for the second half
    }
    exchange(room, tablet);
    exchange(phone, room);
    exchange(room, tablet);
    for (const doc of [room, tablet, phone]) expect(stockLevel(doc, "MUG-BLUE-350")).toBe(300);
  });

  it("keeps SKUs apart even when one SKU's name starts with another's", () => {
    const doc = createConsignDoc();
    adjustStock(doc, "MUG", 5);
    adjustStock(doc, "MUG/XL", 7, { counterId: "tab-1" });
    adjustStock(doc, "MUG-XL", 2);
    expect(stockLevel(doc, "MUG")).toBe(5);
    expect(stockLevel(doc, "MUG/XL")).toBe(7);
    expect(stockLevels(doc)).toEqual(
      new Map([
        ["MUG", 5],
        ["MUG/XL", 7],
        ["MUG-XL", 2],
      ]),
    );
  });

  it("refuses a change that is not a number", () => {
    expect(() => adjustStock(createConsignDoc(), "MUG", Number.NaN)).toThrow(/must be a number/);
  });
});
