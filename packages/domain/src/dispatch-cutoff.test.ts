import { describe, expect, it } from "vitest";
import {
  courierHandoversOf,
  courierHandoversPatchSchema,
  DEFAULT_COURIER_HANDOVERS,
} from "./courier-cutoffs.ts";
import { courierClock, dispatchCutoffOf, dispatchRisk, nextCollection } from "./dispatch-cutoff.ts";
import { order } from "./metrics/fixtures.test-helpers.ts";
import type { CourierId, Order } from "./order.ts";

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

describe("each courier's cut-off and collection", () => {
  const cutoffs = { team: "17:00", couriers: DEFAULT_COURIER_HANDOVERS };
  const withService = (courier: CourierId) => ({
    ...shipByTonight,
    shipments: [],
    service: { courier, serviceCode: "X" },
  });

  it("reads an order's risk against its own courier's cut-off, and the team's when it has no courier yet", () => {
    // 15:30 UK: Amazon Shipping's 15:00 cut-off has gone, DPD's 16:30 and Royal Mail's 17:00 have not.
    const now = at("2026-07-14T14:30:00Z");
    expect(dispatchRisk(withService("amazon-shipping"), now, cutoffs)).toBe("misses_collection");
    expect(dispatchRisk(withService("dpd"), now, cutoffs)).toBeNull();
    expect(dispatchRisk(withService("royal-mail"), now, cutoffs)).toBeNull();
    // A bought label's courier wins over the service first chosen.
    const relabelled = {
      ...withService("royal-mail"),
      shipments: [
        {
          id: "o:1",
          courier: "amazon-shipping" as const,
          serviceCode: "SWA",
          trackingNumber: "T",
          amazonCarrierCode: "Amazon Shipping",
          boughtAt: now,
        },
      ],
    };
    expect(dispatchRisk(relabelled, now, cutoffs)).toBe("misses_collection");
    // No courier yet: the team's 17:00.
    expect(dispatchRisk({ ...shipByTonight, shipments: [] }, now, cutoffs)).toBeNull();
    expect(dispatchRisk({ ...shipByTonight, shipments: [] }, now, { ...cutoffs, team: "15:00" })).toBe(
      "misses_collection",
    );
    // The owner's own time for a courier moves its risk.
    const later = courierHandoversOf({
      "amazon-shipping": { cutoff: "16:00", handoverAt: "16:15", handover: "drop_off" },
    });
    expect(dispatchRisk(withService("amazon-shipping"), now, { team: "17:00", couriers: later })).toBeNull();
  });

  it("shows per courier the time to its cut-off, its collection, its ready orders and those at risk", () => {
    const now = at("2026-07-14T14:30:00Z"); // 15:30 UK
    const weighed = { weightGrams: 500 };
    const going = (courier: CourierId, more: Partial<Order> = {}): Order =>
      order({
        state: "new",
        latestShipDate: shipByTonight.latestShipDate,
        service: { courier, serviceCode: courier === "royal-mail" ? "TPN24" : "1^12" },
        package: weighed,
        shipments: [],
        ...more,
      });
    const label = (courier: CourierId) => [
      {
        id: "l",
        courier,
        serviceCode: "X",
        trackingNumber: "T",
        amazonCarrierCode: "Royal Mail",
        boughtAt: now,
      },
    ];
    const orders = [
      going("royal-mail"), // everything a label needs: ready
      going("royal-mail", { state: "printed", shipments: label("royal-mail") }), // labelled, waiting: ready
      going("royal-mail", { package: undefined }), // no weight yet: going with it, not ready
      going("royal-mail", { state: "dispatched", shipments: label("royal-mail") }), // gone
      going("royal-mail", {
        state: "label_bought",
        shipments: label("royal-mail"),
        latestShipDate: at("2026-07-14T16:45:00Z"), // ship-by 17:45 UK
      }),
      going("amazon-shipping"),
      order({
        state: "new",
        latestShipDate: shipByTonight.latestShipDate,
        service: undefined,
        shipments: [],
      }),
    ];
    for (const o of orders.slice(0, 3)) expect(o.items.length).toBeGreaterThan(0);
    const lines = courierClock(orders, now, DEFAULT_COURIER_HANDOVERS, ["dpd"]);
    // Couriers used (DPD is connected) or with an order to send; the order with no courier is on none.
    expect(lines.map((l) => l.courier)).toEqual(["royal-mail", "dpd", "amazon-shipping"]);
    const [rm, dpd, amz] = lines;
    expect(rm).toMatchObject({
      name: "Royal Mail",
      cutoffAt: at("2026-07-14T16:00:00Z"),
      handoverAt: at("2026-07-14T16:30:00Z"),
      handover: "collection",
      msToCutoff: 90 * 60_000,
      ready: 3,
      late: 0,
      missCollection: 0,
    });
    // Used but nothing to send today: a line with no orders.
    expect(dpd).toMatchObject({ ready: 0, cutoffAt: at("2026-07-14T15:30:00Z") });
    // Amazon Shipping's cut-off went 30 minutes ago: its order misses the collection.
    expect(amz).toMatchObject({ msToCutoff: -30 * 60_000, ready: 1, missCollection: 1 });
    // After Royal Mail's cut-off every order still to go with it misses today's collection.
    const after = courierClock(orders, at("2026-07-14T16:10:00Z"), DEFAULT_COURIER_HANDOVERS);
    expect(after[0]).toMatchObject({ courier: "royal-mail", missCollection: 4 });
  });

  it("refuses times that are not HH:MM, a cut-off after the collection, and unknown couriers, naming each", () => {
    const bad = courierHandoversPatchSchema.safeParse({
      "royal-mail": { cutoff: "18:00", handoverAt: "17:30", handover: "collection" },
      dpd: { cutoff: "4pm", handoverAt: "16:30", handover: "collection" },
      yodel: { cutoff: "16:00", handoverAt: "16:30", handover: "collection" },
    });
    expect(bad.success).toBe(false);
    const issues = bad.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(issues.join("\n")).toContain("dpd.cutoff: give the cut-off as a UK time HH:MM (24-hour)");
    expect(issues.some((i) => i.startsWith("yodel") || i.includes("yodel"))).toBe(true);
    const late = courierHandoversPatchSchema.safeParse({
      "royal-mail": { cutoff: "18:00", handoverAt: "17:30", handover: "collection" },
    });
    expect(late.error?.issues[0]).toMatchObject({
      path: ["royal-mail", "cutoff"],
      message:
        "Royal Mail's cut-off (18:00) is after its collection (17:30): the cut-off is the last moment to pack for it, so set it at or before 17:30",
    });
    // Stored values that are not readable keep the courier's default.
    expect(courierHandoversOf({ dpd: { cutoff: "99:00" } }).dpd).toEqual(DEFAULT_COURIER_HANDOVERS.dpd);
    expect(courierHandoversOf(undefined)).toEqual(DEFAULT_COURIER_HANDOVERS);
  });
});
