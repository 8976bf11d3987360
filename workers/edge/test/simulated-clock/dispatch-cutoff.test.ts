// The dispatch cut-off is read on the room's clock, not the Worker's: with SIMULATED_CLOCK=true the
// simulation moves a room's time forward (POST /_dev/clock) and an order that would catch today's
// collection a few minutes before the cut-off is shown at risk a few minutes after it, then late
// once its ship-by has passed; the ship-by bucket and the filter move with it, and the day's
// spend answers for the room's day.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, json } from "../helpers.ts";
import { connectedSeller } from "../room-helpers.ts";

interface ApiOrder {
  orderId: string;
  state: string;
  shipBy: { latest: string; bucket: string; risk: string | null };
}

const write = (token: string, path: string, body: unknown, method = "POST") =>
  call(path, { token, method, body, headers: { "Idempotency-Key": crypto.randomUUID() } });

/** Moves the seller's room clock to `at` (product time), answering the room's new now. */
async function moveClockTo(sellerId: string, at: number, current: number): Promise<number> {
  const res = await exports.default.fetch("http://edge.test/_dev/clock", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sellerId, advanceMs: Math.max(0, Math.round(at - current)) }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { now: number }).now;
}

const ukTime = (at: number) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit" }).format(
    at,
  );

describe("the dispatch cut-off on the room's clock", () => {
  it("shows an order at risk once the simulated clock passes the cut-off, and late once its ship-by has gone", async () => {
    const { owner, token } = await connectedSeller("cutoff-clock", {
      orders: 10,
      unshipped: 10,
      historyDays: 1,
    });
    const read = async (id: string) => json<ApiOrder>(await call(`/api/v1/orders/${id}`, { token }));
    const open = (
      await json<{ orders: ApiOrder[] }>(await call("/api/v1/orders?state=new,ready&limit=100", { token }))
    ).orders;
    // An order whose ship-by is hours away, so the room's clock can be moved to its day's cut-off.
    const order = open
      .filter((o) => Date.parse(o.shipBy.latest) > Date.now() + 3 * 3_600_000)
      .sort((a, b) => Date.parse(a.shipBy.latest) - Date.parse(b.shipBy.latest))[0];
    expect(order, "the sandbox seeded no order with a ship-by hours away").toBeDefined();
    const shipBy = Date.parse(order!.shipBy.latest);
    // (Its risk now depends on the time of day the suite runs against the default 17:00: not asserted.)

    // The courier collects an hour before the ship-by (on the UK clock, to the minute).
    const cutoff = ukTime(shipBy - 3_600_000);
    const saved = await write(token, "/api/v1/settings", { dispatchCutoff: cutoff }, "PATCH");
    expect(saved.status, await saved.clone().text()).toBe(200);
    expect((await json<{ dispatchCutoff: string }>(saved)).dispatchCutoff).toBe(cutoff);
    const bad = await write(token, "/api/v1/settings", { dispatchCutoff: "5pm" }, "PATCH");
    expect(bad.status).toBe(400);

    // The collection on the ship-by's day, in product time: the cut-off minute before the ship-by.
    const collection = Math.floor((shipBy - 3_600_000) / 60_000) * 60_000;
    let now = Date.now();
    // Five minutes before the collection: the order still catches it.
    now = await moveClockTo(owner.sellerId, collection - 5 * 60_000, now);
    expect((await read(order!.orderId)).shipBy.risk).toBeNull();

    // Five minutes after it: the next collection is tomorrow's, after the ship-by.
    now = await moveClockTo(owner.sellerId, collection + 5 * 60_000, now);
    const missed = await read(order!.orderId);
    expect(missed.shipBy.risk).toBe("misses_collection");
    // The bucket is read on the room's day too (today, unless the ship-by falls after UK midnight).
    const ukDate = (at: number) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(at);
    expect(missed.shipBy.bucket).toBe(ukDate(shipBy) === ukDate(now) ? "today" : "tomorrow");
    // The list says the same as the order, on the same clock.
    const listed = (
      await json<{ orders: ApiOrder[] }>(await call("/api/v1/orders?state=new,ready&limit=100", { token }))
    ).orders.find((o) => o.orderId === order!.orderId);
    expect(listed?.shipBy.risk).toBe("misses_collection");

    // Past the ship-by: late, and the overdue filter finds it although the real time is hours earlier.
    now = await moveClockTo(owner.sellerId, shipBy + 60_000, now);
    const late = await read(order!.orderId);
    expect(late.shipBy).toMatchObject({ risk: "late", bucket: "overdue" });
    const overdue = await json<{ orders: ApiOrder[] }>(
      await call("/api/v1/orders?shipBy=overdue&limit=100", { token }),
    );
    expect(overdue.orders.map((o) => o.orderId)).toContain(order!.orderId);
    expect(overdue.orders.every((o) => o.shipBy.bucket === "overdue")).toBe(true);

    // The day's spend defaults to the room's UK day, not the real one.
    const spendDay = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(now);
    const spendRes = await call("/api/v1/spend", { token });
    expect(spendRes.status, await spendRes.clone().text()).toBe(200);
    const spend = await json<{ day: string }>(spendRes);
    expect(spend.day).toBe(spendDay);
  });
});
