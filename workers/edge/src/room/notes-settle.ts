// Notes are collaborative text, so every keystroke is its own update of the live document. An
// integrator wants one `order.notes_changed` when someone has written a note, not one per letter:
// a notes change is held here until typing on that order has paused for NOTES_SETTLE_MS (or has
// gone on for NOTES_SETTLE_MAX_MS), then reported once, with the note as it is then, through the
// same change feed and webhooks as every other change. Held in SQLite and released by the room's
// alarm, so a room that restarts mid-note still reports it.

/** Quiet time after the last keystroke before the change is reported. */
export const NOTES_SETTLE_MS = 5_000;
/** Someone typing without pause is still reported at least this often. */
export const NOTES_SETTLE_MAX_MS = 60_000;

export class NotesSettle {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS notes_settling (
      order_id TEXT PRIMARY KEY, first_at INTEGER NOT NULL, due_at INTEGER NOT NULL)`);
  }

  /** A keystroke in an order's notes at `now`; returns when the room should look again. */
  touch(orderId: string, now: number): number {
    return this.sql
      .exec<{ due_at: number }>(
        `INSERT INTO notes_settling (order_id, first_at, due_at) VALUES (?, ?, ?)
         ON CONFLICT(order_id) DO UPDATE SET due_at = MIN(excluded.due_at, notes_settling.first_at + ?)
         RETURNING due_at`,
        orderId,
        now,
        now + NOTES_SETTLE_MS,
        NOTES_SETTLE_MAX_MS,
      )
      .one().due_at;
  }

  /** Takes the orders whose notes have settled by `now`. */
  takeSettled(now: number): string[] {
    return this.sql
      .exec<{ order_id: string }>("DELETE FROM notes_settling WHERE due_at <= ? RETURNING order_id", now)
      .toArray()
      .map((r) => r.order_id);
  }

  /** When the next held change settles (null: none held). */
  nextDueAt(): number | null {
    return this.sql.exec<{ at: number | null }>("SELECT MIN(due_at) AS at FROM notes_settling").one().at;
  }
}
