// The one clock a room reads (src/room/clock.ts): the system clock in production; a simulated
// clock (real time plus an offset the month simulation moves) only where SIMULATED_CLOCK=true.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AlarmSchedule } from "../src/room/alarms.ts";
import { roomClock, SimulatedClock, systemClock } from "../src/room/clock.ts";
import { inRoom } from "./amazon-helpers.ts";

describe("the room's clock", () => {
  it("is the system clock unless the deployment says SIMULATED_CLOCK=true", async () => {
    await inRoom(`clock-sys-${crypto.randomUUID()}`, async (sql) => {
      expect(roomClock(sql, {})).toBe(systemClock);
      expect(roomClock(sql, { SIMULATED_CLOCK: "false" })).toBe(systemClock);
      expect(roomClock(sql, { SIMULATED_CLOCK: "true" })).toBeInstanceOf(SimulatedClock);
    });
  });

  it("moves forward only, keeps its offset across a restart of the room, and arms alarms in real time", async () => {
    await inRoom(`clock-sim-${crypto.randomUUID()}`, async (sql, state) => {
      const clock = new SimulatedClock(sql);
      const day = 86_400_000;
      const before = Date.now();
      clock.advance(3 * day);
      expect(clock.now()).toBeGreaterThanOrEqual(before + 3 * day);
      expect(clock.now()).toBeLessThan(Date.now() + 3 * day + 1_000);
      expect(() => clock.advance(-1)).toThrow(/only moves forward/);
      // A room evicted and loaded again reads the same simulated time.
      expect(new SimulatedClock(sql).offsetMs()).toBe(3 * day);

      // A job due an hour from now in product time wakes the Durable Object an hour from now in
      // real time, not three days and an hour from now.
      const alarms = new AlarmSchedule(sql, state.storage, clock);
      await alarms.request("import", clock.now() + 3_600_000);
      const armed = (await state.storage.getAlarm()) ?? 0;
      expect(armed - Date.now()).toBeGreaterThan(3_590_000);
      expect(armed - Date.now()).toBeLessThan(3_610_000);
      // Moving the clock past it brings the alarm forward to now.
      clock.advance(2 * 3_600_000);
      await alarms.arm();
      expect(((await state.storage.getAlarm()) ?? Infinity) - Date.now()).toBeLessThanOrEqual(0); // workerd sets a past alarm to now
      expect(alarms.takeDue(clock.now())).toEqual(["import"]);
    });
  });

  it("says when its earliest pending sleep ends, and ends a sleep when moved past it", async () => {
    await inRoom(`clock-wake-${crypto.randomUUID()}`, async (sql) => {
      const clock = new SimulatedClock(sql);
      // Nothing asleep: the month simulation's driver moves time on for nobody (a label run's real
      // work is not a wait on the clock).
      expect(clock.nextWake()).toBeNull();
      const start = clock.now();
      let woke = 0;
      const long = clock.sleep(60_000).then(() => woke++);
      const short = clock.sleep(20_000).then(() => woke++);
      const wake = clock.nextWake() ?? 0;
      expect(wake - start).toBeGreaterThanOrEqual(20_000);
      expect(wake - start).toBeLessThan(21_000);
      // Moved to that time, the shorter sleep ends at once and the next one is named.
      clock.advance(wake - clock.now() + 1);
      await short;
      expect(woke).toBe(1);
      expect((clock.nextWake() ?? 0) - start).toBeGreaterThanOrEqual(60_000);
      clock.advance(60_000);
      await long;
      expect(clock.nextWake()).toBeNull();
    });
  });

  it("has no control route where SIMULATED_CLOCK is not set", async () => {
    expect(env.SIMULATED_CLOCK).toBeUndefined();
    const res = await exports.default.fetch("http://127.0.0.1:8787/_dev/clock", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sellerId: "anyone", advanceMs: 1000 }),
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /no simulated clock/,
    );
  });
});
