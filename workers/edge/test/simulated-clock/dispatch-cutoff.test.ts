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
  service: { courier: string } | null;
}

interface CourierTimes {
  cutoff: string;
  handoverAt: string;
  handover: "collection" | "drop_off";
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

  it("reads an order against its own courier's cut-off, which the owner sets per courier with checked times", async () => {
    const { owner, token } = await connectedSeller("courier-cutoffs", {
      orders: 10,
      unshipped: 10,
      historyDays: 1,
    });
    // Defaults: every courier has its own UK afternoon cut-off and collection.
    const settings = await json<{ couriers: Record<string, CourierTimes> }>(
      await call("/api/v1/settings/courier-day", { token }),
    );
    expect(settings.couriers).toEqual({
      "royal-mail": { cutoff: "17:00", handoverAt: "17:30", handover: "collection" },
      dpd: { cutoff: "16:30", handoverAt: "17:00", handover: "collection" },
      evri: { cutoff: "16:00", handoverAt: "16:30", handover: "collection" },
      "amazon-shipping": { cutoff: "15:00", handoverAt: "15:30", handover: "collection" },
    });
    // Refused with the reason on the field: a cut-off after the van, a time that is not HH:MM, an unknown courier.
    const after = await write(
      token,
      "/api/v1/settings/courier-day",
      { couriers: { dpd: { cutoff: "18:00", handoverAt: "17:00", handover: "collection" } } },
      "PATCH",
    );
    expect(after.status).toBe(400);
    const afterError = await json<{
      error: { message: string; fields: { path: string; message: string }[] };
    }>(after);
    expect(afterError.error.fields).toContainEqual({
      path: "couriers.dpd.cutoff",
      message:
        "DPD's cut-off (18:00) is after its collection (17:00): the cut-off is the last moment to pack for it, so set it at or before 17:00",
    });
    expect(afterError.error.message).toContain("DPD's cut-off (18:00) is after its collection (17:00)");
    for (const bad of [
      { dpd: { cutoff: "4pm", handoverAt: "17:00", handover: "collection" } },
      { yodel: { cutoff: "16:00", handoverAt: "17:00", handover: "collection" } },
      { dpd: { cutoff: "16:00", handoverAt: "17:00", handover: "van" } },
    ]) {
      const res = await write(token, "/api/v1/settings/courier-day", { couriers: bad }, "PATCH");
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect((await json<{ error: { fields: unknown[] } }>(res)).error.fields.length).toBeGreaterThan(0);
    }
    // Nothing refused was kept.
    expect(
      (
        await json<{ couriers: Record<string, CourierTimes> }>(
          await call("/api/v1/settings/courier-day", { token }),
        )
      ).couriers.dpd?.cutoff,
    ).toBe("16:30");

    // Every order goes by DPD.
    const rules = await write(
      token,
      "/api/v1/rules",
      { rules: [{ id: "dpd", when: {}, use: { courier: "dpd", serviceCode: "1^12" } }] },
      "PUT",
    );
    expect(rules.status, await rules.clone().text()).toBe(200);
    const read = async (id: string) => json<ApiOrder>(await call(`/api/v1/orders/${id}`, { token }));
    const open = (
      await json<{ orders: ApiOrder[] }>(await call("/api/v1/orders?state=new,ready&limit=100", { token }))
    ).orders;
    const order = open
      .filter((o) => Date.parse(o.shipBy.latest) > Date.now() + 3 * 3_600_000)
      .sort((a, b) => Date.parse(a.shipBy.latest) - Date.parse(b.shipBy.latest))[0];
    expect(order, "the sandbox seeded no order with a ship-by hours away").toBeDefined();
    expect((await read(order!.orderId)).service?.courier).toBe("dpd");
    const shipBy = Date.parse(order!.shipBy.latest);

    // DPD collects an hour before the ship-by; the team's cut-off (for orders with no courier) two
    // hours before it: the DPD order is read against DPD's.
    const dpdCutoff = ukTime(shipBy - 3_600_000);
    const saved = await write(
      token,
      "/api/v1/settings/courier-day",
      { couriers: { dpd: { cutoff: dpdCutoff, handoverAt: dpdCutoff, handover: "drop_off" } } },
      "PATCH",
    );
    expect(saved.status, await saved.clone().text()).toBe(200);
    const now = await json<{ couriers: Record<string, CourierTimes> }>(saved);
    expect(now.couriers.dpd).toEqual({ cutoff: dpdCutoff, handoverAt: dpdCutoff, handover: "drop_off" });
    expect(now.couriers["royal-mail"]?.cutoff).toBe("17:00"); // couriers not named keep theirs
    const team = await write(
      token,
      "/api/v1/settings",
      { dispatchCutoff: ukTime(shipBy - 2 * 3_600_000) },
      "PATCH",
    );
    expect(team.status).toBe(200);

    const collection = Math.floor((shipBy - 3_600_000) / 60_000) * 60_000;
    let at = Date.now();
    // After the team's cut-off but before DPD's: the DPD order still catches its collection.
    at = await moveClockTo(owner.sellerId, collection - 5 * 60_000, at);
    expect((await read(order!.orderId)).shipBy.risk).toBeNull();
    // After DPD's: it misses it, in the list as in the order.
    at = await moveClockTo(owner.sellerId, collection + 5 * 60_000, at);
    expect((await read(order!.orderId)).shipBy.risk).toBe("misses_collection");
    const listed = (
      await json<{ orders: ApiOrder[] }>(await call("/api/v1/orders?state=new,ready&limit=100", { token }))
    ).orders.find((o) => o.orderId === order!.orderId);
    expect(listed?.shipBy.risk).toBe("misses_collection");
  });
});
