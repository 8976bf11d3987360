import { describe, expect, it } from "vitest";
import { dispatchCutoffOf, dispatchRisk, nextCollection } from "./dispatch-cutoff.ts";

// 2026-07-14 is in British Summer Time: 17:00 UK is 16:00 UTC.
const at = (iso: string) => Date.parse(iso);
const shipByTonight = { state: "ready" as const, latestShipDate: at("2026-07-14T22:59:00Z") };

describe("the dispatch cut-off", () => {
  it("sends an order with the next collection, and says when that is too late for its ship-by", () => {
    expect(nextCollection(at("2026-07-14T15:59:00Z"), "17:00")).toBe(at("2026-07-14T16:00:00Z"));
    expect(nextCollection(at("2026-07-14T16:00:01Z"), "17:00")).toBe(at("2026-07-15T16:00:00Z"));
    // Before the cut-off the order still catches today's collection; a minute after, it cannot.
    expect(dispatchRisk(shipByTonight, at("2026-07-14T15:59:00Z"), "17:00")).toBeNull();
    expect(dispatchRisk(shipByTonight, at("2026-07-14T16:01:00Z"), "17:00")).toBe("misses_collection");
    // An earlier cut-off moves the moment; a passed ship-by is late whatever the cut-off.
    expect(dispatchRisk(shipByTonight, at("2026-07-14T14:01:00Z"), "15:00")).toBe("misses_collection");
    expect(dispatchRisk(shipByTonight, at("2026-07-14T23:00:00Z"), "17:00")).toBe("late");
    // Gone already: no risk.
    expect(
      dispatchRisk({ ...shipByTonight, state: "dispatched" }, at("2026-07-15T09:00:00Z"), "17:00"),
    ).toBeNull();
  });

  it("falls back to 17:00 when the setting is missing or not a time", () => {
    expect(dispatchCutoffOf(undefined)).toBe("17:00");
    expect(dispatchCutoffOf("25:00")).toBe("17:00");
    expect(dispatchCutoffOf("15:30")).toBe("15:30");
  });
});
