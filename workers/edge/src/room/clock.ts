// The one clock a seller's room reads: deadlines, label runs, dispatch and confirmation times,
// metrics, the importer's windows, the SP-API client's token expiry and limiter, and the alarms.
//
// In production it is the system clock. A local stack started with SIMULATED_CLOCK=true (the
// month simulation, test/sim) gives each room a clock that runs at real speed plus an offset the
// simulation driver moves forward through POST /_dev/clock; the sandbox's Amazon keeps the same
// offset for the same seller, so both worlds read the same simulated time. Never set
// SIMULATED_CLOCK in production: without it the route answers 404 and the offset does not exist.

export interface Clock {
  /** Product time now, in epoch milliseconds. */
  now(): number;
  /** The real (system) time at which product time `at` arrives: what a Durable Object alarm is set to. */
  toReal(at: number): number;
  /** Product time at real time `real` (a time the Worker read before calling the room). */
  fromReal(real: number): number;
  /** Resolves once `ms` of product time have passed (a retry's backoff, a rate limit's wait). */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  toReal: (at) => at,
  fromReal: (real) => real,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Real time plus an offset kept in the room's SQLite (so it survives the room being evicted). */
export class SimulatedClock implements Clock {
  private offset: number;
  /** The product times at which the room's pending sleeps end (a rate limit's wait, a retry's backoff). */
  private readonly sleeping = new Map<symbol, number>();

  constructor(private readonly sql: SqlStorage) {
    sql.exec(
      "CREATE TABLE IF NOT EXISTS sim_clock (id INTEGER PRIMARY KEY CHECK (id = 1), offset_ms INTEGER NOT NULL)",
    );
    this.offset =
      sql.exec<{ offset_ms: number }>("SELECT offset_ms FROM sim_clock WHERE id = 1").toArray()[0]
        ?.offset_ms ?? 0;
  }

  now(): number {
    return Date.now() + this.offset;
  }

  toReal(at: number): number {
    return at - this.offset;
  }

  fromReal(real: number): number {
    return real + this.offset;
  }

  /** Waits in product time: a jump of the clock ends the wait at once, as the time has passed. */
  async sleep(ms: number): Promise<void> {
    const until = this.now() + ms;
    const id = Symbol();
    this.sleeping.set(id, until);
    try {
      while (this.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(1, until - this.now()))));
      }
    } finally {
      this.sleeping.delete(id);
    }
  }

  /**
   * When the earliest of the room's pending sleeps ends (product time), or null when nothing in the room
   * sleeps on the clock: what a simulation may move time on to when the room has nothing else to do.
   */
  nextWake(): number | null {
    let next: number | null = null;
    for (const until of this.sleeping.values()) if (next === null || until < next) next = until;
    return next;
  }

  offsetMs(): number {
    return this.offset;
  }

  /** Moves product time forward (never back: deadlines and history only ever move on). */
  advance(ms: number): number {
    if (!Number.isInteger(ms) || ms < 0)
      throw new RangeError("The clock only moves forward, in whole milliseconds.");
    this.offset += ms;
    this.sql.exec(
      "INSERT INTO sim_clock (id, offset_ms) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET offset_ms = excluded.offset_ms",
      this.offset,
    );
    return this.now();
  }
}

/** The room's clock: simulated only where the deployment says SIMULATED_CLOCK=true (local stacks). */
export function roomClock(sql: SqlStorage, env: { SIMULATED_CLOCK?: string }): Clock {
  return env.SIMULATED_CLOCK === "true" ? new SimulatedClock(sql) : systemClock;
}
