// The room's Yjs persistence in the Durable Object's SQLite: a snapshot (in chunks under the 2 MB
// row limit) and a log of updates written since. Every update is appended before anyone is told
// of it; compaction folds the log into a new snapshot in one transaction.

/** Below SQLite-backed Durable Objects' 2 MB per row/value. */
export const ROW_BYTES = 1_900_000;

export interface StoredState {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
}

function toBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

export class SyncStore {
  private logRows = 0;
  private logBytes = 0;
  private snapshotBytes = 0;

  constructor(private readonly storage: DurableObjectStorage) {
    const sql = storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS sync_snapshot (idx INTEGER PRIMARY KEY, data BLOB NOT NULL)");
    // One update may span several rows (parts); `last` marks its final part.
    sql.exec(
      "CREATE TABLE IF NOT EXISTS sync_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, last INTEGER NOT NULL, data BLOB NOT NULL)",
    );
    const row = sql
      .exec<{ n: number; bytes: number | null }>(
        "SELECT count(*) AS n, sum(length(data)) AS bytes FROM sync_log",
      )
      .one();
    this.logRows = row.n;
    this.logBytes = row.bytes ?? 0;
    this.snapshotBytes =
      sql.exec<{ bytes: number | null }>("SELECT sum(length(data)) AS bytes FROM sync_snapshot").one()
        .bytes ?? 0;
  }

  load(): StoredState {
    const chunks = this.storage.sql
      .exec<{ data: ArrayBuffer }>("SELECT data FROM sync_snapshot ORDER BY idx")
      .toArray()
      .map((r) => new Uint8Array(r.data));
    const updates: Uint8Array[] = [];
    let parts: Uint8Array[] = [];
    for (const r of this.storage.sql.exec<{ last: number; data: ArrayBuffer }>(
      "SELECT last, data FROM sync_log ORDER BY seq",
    )) {
      parts.push(new Uint8Array(r.data));
      if (r.last === 1) {
        updates.push(concat(parts));
        parts = [];
      }
    }
    // A trailing update without its last part cannot exist (parts are written in one transaction).
    return { snapshot: chunks.length > 0 ? concat(chunks) : null, updates };
  }

  /** Appends one update, durably, before the caller broadcasts it. */
  append(update: Uint8Array): void {
    const write = () => {
      for (let at = 0; at < update.byteLength; at += ROW_BYTES) {
        const end = Math.min(update.byteLength, at + ROW_BYTES);
        this.storage.sql.exec(
          "INSERT INTO sync_log (last, data) VALUES (?, ?)",
          end === update.byteLength ? 1 : 0,
          toBuffer(update.subarray(at, end)),
        );
        this.logRows++;
      }
    };
    if (update.byteLength > ROW_BYTES) this.storage.transactionSync(write);
    else write();
    this.logBytes += update.byteLength;
  }

  /** Replaces snapshot and log by one snapshot of the whole state, in one transaction. */
  writeSnapshot(state: Uint8Array): void {
    this.storage.transactionSync(() => {
      this.storage.sql.exec("DELETE FROM sync_snapshot");
      let idx = 0;
      for (let at = 0; at < state.byteLength; at += ROW_BYTES) {
        this.storage.sql.exec(
          "INSERT INTO sync_snapshot (idx, data) VALUES (?, ?)",
          idx++,
          toBuffer(state.subarray(at, Math.min(state.byteLength, at + ROW_BYTES))),
        );
      }
      this.storage.sql.exec("DELETE FROM sync_log");
    });
    this.logRows = 0;
    this.logBytes = 0;
    this.snapshotBytes = state.byteLength;
  }

  get log(): { rows: number; bytes: number } {
    return { rows: this.logRows, bytes: this.logBytes };
  }

  /** Bytes of the stored snapshot (0 when there is none). */
  get snapshotSize(): number {
    return this.snapshotBytes;
  }
}
