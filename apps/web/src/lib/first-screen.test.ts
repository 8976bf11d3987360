import { describe, expect, it } from "vitest";
import { warehouseClock } from "./clock.ts";
import {
  FIRST_SCREEN_ROWS,
  FIRST_SCREEN_VERSION,
  type FirstScreen,
  firstRowsOf,
  firstScreenKey,
  parseFirstScreen,
  teamScreenFor,
} from "./first-screen.ts";
import { testOrder } from "./test-orders.ts";
import { byDeadline, countViews, VIEWS } from "./views.ts";

const now = Date.UTC(2025, 10, 26, 12); // Wed 26 Nov 2025, 12:00 in London
const clock = warehouseClock(now);
const H = 3_600_000;

const orders = Array.from({ length: 80 }, (_, i) =>
  testOrder({
    orderId: `203-0000000-${String(i).padStart(7, "0")}`,
    // Half due today, half next week; every fifth on hold.
    latestShipDate: i % 2 === 0 ? now + (i % 5) * 60_000 : now + 7 * 24 * H + i,
    state: i % 5 === 0 ? "on_hold" : "new",
    history: [{ at: now, by: "Ada", device: "Bench A", what: "put on hold" }] as never,
  }),
).sort(byDeadline);

function kept(over: Partial<FirstScreen> = {}): FirstScreen {
  return {
    version: FIRST_SCREEN_VERSION,
    sellerId: "s1",
    view: "due_today",
    savedAt: now,
    total: 40,
    counts: countViews(orders, clock),
    dispatch: { left: 40, late: 0, missCollection: 0 },
    orders: firstRowsOf(orders, "due_today", clock),
    ...over,
  };
}
/** As it comes back from IndexedDB: a structured copy. */
const stored = (s: unknown) => structuredClone(s);

describe("the kept first screen of a view", () => {
  it("keeps the view's first rows in the list's order, without their history", () => {
    const rows = firstRowsOf(orders, "due_today", clock);
    expect(rows).toHaveLength(FIRST_SCREEN_ROWS);
    const dueToday = orders.filter((o) => o.latestShipDate < clock.tomorrowStart && o.state !== "on_hold");
    expect(rows.map((o) => o.orderId)).toEqual(dueToday.slice(0, FIRST_SCREEN_ROWS).map((o) => o.orderId));
    expect(rows.every((o) => o.history === undefined)).toBe(true);
    expect(firstRowsOf(orders, "on_hold", clock).every((o) => o.state === "on_hold")).toBe(true);
  });

  it("is read back as it was kept", () => {
    const screen = kept();
    expect(parseFirstScreen(stored(screen), "s1", "due_today")).toEqual(screen);
  });

  it("keeps the dispatch clock's courier lines, so the list does not move when the live lines arrive", () => {
    const line = {
      courier: "royal-mail" as const,
      name: "Royal Mail",
      cutoffAt: now + 3_600_000,
      handoverAt: now + 5_400_000,
      handover: "collection" as const,
      msToCutoff: 3_600_000,
      ready: 12,
      late: 1,
      missCollection: 0,
    };
    const screen = kept({ couriers: [line] });
    expect(parseFirstScreen(stored(screen), "s1", "due_today")?.couriers).toEqual([line]);
    expect(
      parseFirstScreen(stored(kept({ couriers: [{ ...line, ready: -2 }] })), "s1", "due_today"),
    ).toBeNull();
    expect(parseFirstScreen(stored({ ...kept(), couriers: "Royal Mail" }), "s1", "due_today")).toBeNull();
    // The same lines a minute later (only the time left moved) are not written again.
    expect(firstScreenKey(kept({ couriers: [{ ...line, msToCutoff: 3_540_000 }] }))).toBe(
      firstScreenKey(screen),
    );
    expect(firstScreenKey(kept({ couriers: [{ ...line, ready: 13 }] }))).not.toBe(firstScreenKey(screen));
  });

  it("keeps how tall the strip and the filters stood above the list, and refuses a damaged height", () => {
    const screen = kept({ above: { strip: 96, filters: 88 } });
    expect(parseFirstScreen(stored(screen), "s1", "due_today")?.above).toEqual({ strip: 96, filters: 88 });
    // A screen kept before heights were kept is still drawn (at its natural height).
    expect(parseFirstScreen(stored(kept()), "s1", "due_today")?.above).toBeUndefined();
    for (const above of [{ strip: -1, filters: 88 }, { strip: 96 }, { strip: 96, filters: 1e9 }, "tall"]) {
      expect(parseFirstScreen(stored({ ...kept(), above }), "s1", "due_today")).toBeNull();
    }
    // A change of height alone is written again (the next reload must draw the new one).
    expect(firstScreenKey(kept({ above: { strip: 140, filters: 88 } }))).not.toBe(firstScreenKey(screen));
  });

  it("is not drawn for another seller, another view or another version of the app", () => {
    expect(parseFirstScreen(stored(kept()), "s2", "due_today")).toBeNull();
    expect(parseFirstScreen(stored(kept()), "s1", "ready")).toBeNull();
    expect(parseFirstScreen(stored({ ...kept(), version: 0 }), "s1", "due_today")).toBeNull();
    expect(parseFirstScreen(undefined, "s1", "due_today")).toBeNull();
  });

  it("is ignored whole when any field a row or count reads is damaged", () => {
    const first = kept().orders[0]!;
    const damaged: unknown[] = [
      { ...kept(), counts: { ...kept().counts, ready: -1 } },
      { ...kept(), counts: Object.fromEntries(VIEWS.slice(1).map((v) => [v.id, 1])) },
      { ...kept(), dispatch: { left: "3", late: 0, missCollection: 0 } },
      { ...kept(), orders: [{ ...first, state: "teleported" }] },
      { ...kept(), orders: [{ ...first, items: [{ sku: 7, quantityOrdered: 1 }] }] },
      { ...kept(), orders: [{ ...first, latestShipDate: "tomorrow" }] },
      { ...kept(), orders: [{ ...first, confirmation: null }] },
      { ...kept(), orders: [{ ...first, recipient: "LS1 1AA" }] },
      { ...kept(), orders: "rows" },
      { ...kept(), orders: firstRowsOf(orders, "all", clock, FIRST_SCREEN_ROWS + 1) },
      { ...kept(), total: 1.5 },
    ];
    for (const raw of damaged) expect(parseFirstScreen(stored(raw), "s1", "due_today")).toBeNull();
  });

  it("is written again only when what the screen shows changed, not for the time alone", () => {
    expect(firstScreenKey(kept())).toBe(firstScreenKey(kept({ savedAt: now + 60_000 })));
    const held = kept().orders.map((o, i) => (i === 0 ? { ...o, state: "on_hold" as const } : o));
    expect(firstScreenKey(kept({ orders: held }))).not.toBe(firstScreenKey(kept()));
    expect(firstScreenKey(kept({ total: 39 }))).not.toBe(firstScreenKey(kept()));
  });
});

describe("the room's first screen (a device with no copy of its own)", () => {
  // As the room answers it: every view's first rows by id, each record once.
  const views = Object.fromEntries(
    VIEWS.map((v) => [v.id, firstRowsOf(orders, v.id, clock).map((o) => o.orderId)]),
  );
  const records = new Map(VIEWS.flatMap((v) => firstRowsOf(orders, v.id, clock)).map((o) => [o.orderId, o]));
  const team = {
    version: 1,
    sellerId: "s1",
    at: now,
    counts: countViews(orders, clock),
    dispatch: { left: 40, late: 0, missCollection: 0 },
    couriers: [],
    views,
    orders: [...records.values()],
  };

  it("draws any view from it, in the room's order, marked as the team's", () => {
    for (const view of ["due_today", "on_hold", "all"] as const) {
      const screen = teamScreenFor(team, "s1", view);
      expect(screen?.from).toBe("team");
      expect(screen?.orders.map((o) => o.orderId)).toEqual(views[view]);
      expect(screen?.total).toBe(team.counts[view]);
      expect(screen?.savedAt).toBe(now);
    }
  });

  it("draws nothing from an answer of another seller, another version, or one missing a row", () => {
    expect(teamScreenFor(team, "s2", "all")).toBeNull();
    expect(teamScreenFor({ ...team, version: 2 }, "s1", "all")).toBeNull();
    expect(teamScreenFor({ ...team, orders: team.orders.slice(1) }, "s1", "all")).toBeNull();
    expect(teamScreenFor({ ...team, views: { ...views, all: undefined } }, "s1", "all")).toBeNull();
    expect(teamScreenFor("<html>", "s1", "all")).toBeNull();
    expect(teamScreenFor(null, "s1", "all")).toBeNull();
  });
});
