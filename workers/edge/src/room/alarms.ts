// One Durable Object has one alarm; several jobs (import, confirmations, webhooks, archiving)
// each keep their own due time here, and the alarm is always set to the earliest.

export type JobName = "import" | "confirmations" | "webhooks" | "archive" | "labels" | "health" | "stock";

export class AlarmSchedule {
  constructor(
    private readonly sql: SqlStorage,
    private readonly storage: DurableObjectStorage,
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

  async arm(): Promise<void> {
    const next = this.sql.exec<{ at: number | null }>("SELECT MIN(due_at) AS at FROM jobs").one().at;
    if (next === null) return;
    const current = await this.storage.getAlarm();
    if (current === null || current > next) await this.storage.setAlarm(next);
  }
}
