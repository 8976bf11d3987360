// One Durable Object has one alarm; several jobs (import, confirmations, webhooks, archiving)
// each keep their own due time here, and the alarm is always set to the earliest.

import { type Clock, systemClock } from "./clock.ts";

export type JobName =
  | "import"
  | "confirmations"
  | "webhooks"
  | "archive"
  | "labels"
  | "health"
  | "stock"
  | "endOfDay"
  | "manifests"
  | "failover"
  | "tracking"
  | "notes";

export class AlarmSchedule {
  constructor(
    private readonly sql: SqlStorage,
    private readonly storage: DurableObjectStorage,
    /** Due times are product time (./clock.ts); the Durable Object's alarm is set in real time. */
    private readonly clock: Pick<Clock, "toReal"> = systemClock,
  ) {
    sql.exec("CREATE TABLE IF NOT EXISTS jobs (name TEXT PRIMARY KEY, due_at INTEGER NOT NULL)");
  }

  /** Asks for `job` to run at `at` (or sooner if it is already due sooner). */
  async request(job: JobName, at: number): Promise<void> {
    this.sql.exec(
      `INSERT INTO jobs VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET due_at = MIN(due_at, excluded.due_at)`,
      job,
      at,
    );
    await this.arm();
  }

  /** Takes the jobs due at `now` off the schedule and returns them. */
  takeDue(now: number): JobName[] {
    const due = this.sql
      .exec<{ name: string }>("SELECT name FROM jobs WHERE due_at <= ?", now)
      .toArray()
      .map((r) => r.name as JobName);
    this.sql.exec("DELETE FROM jobs WHERE due_at <= ?", now);
    return due;
  }

  /** The earliest due time on the schedule (product time), or null when no job is asked for. */
  nextDue(): number | null {
    return this.sql.exec<{ at: number | null }>("SELECT MIN(due_at) AS at FROM jobs").one().at;
  }

  async arm(): Promise<void> {
    const next = this.sql.exec<{ at: number | null }>("SELECT MIN(due_at) AS at FROM jobs").one().at;
    if (next === null) return;
    const real = this.clock.toReal(next);
    const current = await this.storage.getAlarm();
    if (current === null || current > real) await this.storage.setAlarm(real);
  }
}

/**
 * Runs one alarm's jobs side by side. While an alarm runs no other fires, so the alarm waits for
 * its jobs at most `waitMs` (a slow job, say review requests at Amazon's 1 a second, must not hold
 * up a label run asked for meanwhile); jobs still running then finish on their own. A job still
 * running from an earlier alarm is not started twice: `onBusy` hears of it (ask for it again later).
 */
export class JobRunner {
  private readonly busy = new Set<JobName>();

  constructor(private readonly waitMs: number) {}

  /** Starts each job not already running; resolves when all are done or `waitMs` has passed. */
  async run(
    jobs: ReadonlyMap<JobName, () => Promise<unknown>>,
    onBusy: (job: JobName) => void,
  ): Promise<void> {
    const running: Promise<unknown>[] = [];
    for (const [job, work] of jobs) {
      if (this.busy.has(job)) {
        onBusy(job);
        continue;
      }
      this.busy.add(job);
      running.push(work().finally(() => this.busy.delete(job)));
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(running),
      new Promise((r) => {
        timer = setTimeout(r, this.waitMs);
      }),
    ]);
    clearTimeout(timer);
  }

  isRunning(job: JobName): boolean {
    return this.busy.has(job);
  }

  /** The jobs running now (started by an alarm, not yet finished). */
  running(): JobName[] {
    return [...this.busy];
  }
}
