// Sessions signed out and members removed, remembered by the seller's room so that a token
// issued before then opens nothing, at once, even though tokens are verified statelessly.
import { ConsignError, ErrorCode } from "@consign/domain";
import type { Identity } from "../auth/identity.ts";

export class Revocations {
  private readonly sessions = new Set<string>();
  private readonly users = new Map<string, number>();

  constructor(private readonly sql: SqlStorage) {
    sql.exec(
      "CREATE TABLE IF NOT EXISTS revocations (kind TEXT NOT NULL, id TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (kind, id))",
    );
    for (const row of sql.exec<{ kind: string; id: string; at: number }>("SELECT * FROM revocations")) {
      if (row.kind === "session") this.sessions.add(row.id);
      else this.users.set(row.id, row.at);
    }
  }

  revokeSession(sessionId: string, at: number): void {
    this.sessions.add(sessionId);
    this.sql.exec("INSERT OR REPLACE INTO revocations VALUES ('session', ?, ?)", sessionId, at);
  }

  revokeUser(userId: string, at: number): void {
    this.users.set(userId, at);
    this.sql.exec("INSERT OR REPLACE INTO revocations VALUES ('user', ?, ?)", userId, at);
  }

  /** Throws 401 when the identity's session was signed out or its member removed after issue. */
  check(identity: Identity): void {
    if (identity.kind === "api-key") {
      // A key's id is its session id: revoking it lands here, so it stops at once.
      if (this.sessions.has(identity.sessionId))
        throw new ConsignError(ErrorCode.Unauthenticated, "That API key was revoked.");
      return;
    }
    if (identity.kind !== "session") return;
    if (this.sessions.has(identity.sessionId)) {
      throw new ConsignError(ErrorCode.Unauthenticated, "This device was signed out: sign in again.");
    }
    const since = this.users.get(identity.userId);
    if (since !== undefined && (identity.issuedAt ?? 0) <= since) {
      throw new ConsignError(ErrorCode.Unauthenticated, "Your access changed: sign in again.");
    }
  }
}
