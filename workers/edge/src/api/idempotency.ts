// Idempotency-Key for every POST, stored in the seller's Durable Object (SQLite).
// The first request with a key runs; a repeat from the same caller with the same body gets the
// first answer back (status and body) without running again; the same key with a different body
// is refused, and so is a repeat while the first is still running.

export interface SavedResponse {
  status: number;
  contentType: string;
  body: string;
}

export type IdempotencyBegin =
  | { outcome: "started" }
  | { outcome: "replay"; response: SavedResponse }
  | { outcome: "mismatch" }
  | { outcome: "in_flight" };

/** How long an answer is kept for replay. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A request "in flight" this long is taken to have died with its isolate, and may run again. */
export const IN_FLIGHT_STALE_MS = 2 * 60 * 1000;

type Row = {
  fingerprint: string;
  state: string;
  started_at: number;
  status: number | null;
  content_type: string | null;
  body: string | null;
};

export class IdempotencyStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS api_idempotency (
      scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
      state TEXT NOT NULL, started_at INTEGER NOT NULL,
      status INTEGER, content_type TEXT, body TEXT,
      PRIMARY KEY (scope, key))`);
  }

  /**
   * Claims `key` for `scope` (the caller), or says why not. `fingerprint` identifies the request
   * (method, path and body hashed by the router).
   */
  begin(scope: string, key: string, fingerprint: string, now: number): IdempotencyBegin {
    const row = this.sql
      .exec<Row>(
        "SELECT fingerprint, state, started_at, status, content_type, body FROM api_idempotency WHERE scope = ? AND key = ?",
        scope,
        key,
      )
      .toArray()[0];
    const expired =
      row !== undefined &&
      (now - row.started_at > IDEMPOTENCY_TTL_MS ||
        (row.state === "in_flight" && now - row.started_at > IN_FLIGHT_STALE_MS));
    if (row && !expired) {
      if (row.fingerprint !== fingerprint) return { outcome: "mismatch" };
      if (row.state === "in_flight") return { outcome: "in_flight" };
      return {
        outcome: "replay",
        response: {
          status: row.status ?? 200,
          contentType: row.content_type ?? "application/json",
          body: row.body ?? "",
        },
      };
    }
    this.sql.exec(
      `INSERT INTO api_idempotency (scope, key, fingerprint, state, started_at) VALUES (?, ?, ?, 'in_flight', ?)
       ON CONFLICT(scope, key) DO UPDATE SET fingerprint = excluded.fingerprint, state = 'in_flight',
         started_at = excluded.started_at, status = NULL, content_type = NULL, body = NULL`,
      scope,
      key,
      fingerprint,
      now,
    );
    return { outcome: "started" };
  }

  /** Saves the answer to replay for repeats of this key. */
  complete(scope: string, key: string, response: SavedResponse): void {
    this.sql.exec(
      "UPDATE api_idempotency SET state = 'done', status = ?, content_type = ?, body = ? WHERE scope = ? AND key = ?",
      response.status,
      response.contentType,
      response.body,
      scope,
      key,
    );
  }

  /** Forgets a key whose request failed before deciding anything, so the caller may retry with it. */
  release(scope: string, key: string): void {
    this.sql.exec(
      "DELETE FROM api_idempotency WHERE scope = ? AND key = ? AND state = 'in_flight'",
      scope,
      key,
    );
  }

  /** Drops answers past their replay window (call from an alarm now and then). */
  prune(now: number): void {
    this.sql.exec("DELETE FROM api_idempotency WHERE started_at < ?", now - IDEMPOTENCY_TTL_MS);
  }
}
