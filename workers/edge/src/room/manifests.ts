// The end of the day with Royal Mail: one Click & Drop manifest hands over every Royal Mail label
// bought since the last one. Recorded here before the courier is called (a second tablet pressing
// "Close the day" meanwhile is told so), then each label on it is marked in the live document
// (shipment.manifest) and can no longer be voided, with a reason that says which manifest and when.
// The PDF comes with the answer (201) or later (202): the alarm asks again until Royal Mail has it,
// retries a manifest Royal Mail says failed, and gives the labels back (voidable) if it never works.
//
// Which labels: Click & Drop manifests every order of the account in "Label Generated", so ours are
// the Royal Mail rows of the label ledger that are bought and not yet on a manifest.
import { isOutcomeUncertain, type RoyalMailManifest, type RoyalMailManifests } from "@consign/couriers";
import { ConsignError, ErrorCode, type Shipment } from "@consign/domain";
import { readOrder, writeOrder } from "@consign/sync";
import type { RoomDoc } from "./label-runs.ts";

export type ManifestState = "closing" | "in_progress" | "completed" | "failed" | "refused" | "uncertain";

export interface ManifestRecord {
  id: string;
  courier: "royal-mail";
  /** Royal Mail's manifest number, once it gave one. */
  manifestNumber?: number;
  state: ManifestState;
  /** Who closed the day, or "Automatic end of day". */
  requestedBy: string;
  requestedAt: number;
  auto: boolean;
  /** How many labels went on it. */
  labels: number;
  /** The label ids (`${orderId}:${revision}`) on it. */
  labelIds: string[];
  /** The printable manifest is stored (GET …/document). */
  documentReady: boolean;
  completedAt?: number;
  /** Why it did not work, in words a person can act on. */
  error?: string;
}

export interface EndOfDayDeps {
  sql: SqlStorage;
  room: RoomDoc;
  documents: R2Bucket;
  /** R2 keys start with this (the seller's room id). */
  prefix: string;
  manifests: () => Promise<RoyalMailManifests>;
  now?: () => number;
}

/** A manifest Royal Mail says failed is retried this many times before its labels are given back. */
const MAX_RETRIES = 3;
/** How soon to ask again for a PDF still being made. */
export const MANIFEST_POLL_MS = 30_000;

type Row = Record<string, SqlStorageValue>;

function toRecord(row: Row, labelIds: string[]): ManifestRecord {
  return {
    id: String(row.id),
    courier: "royal-mail",
    ...(row.manifest_number !== null ? { manifestNumber: Number(row.manifest_number) } : {}),
    state: String(row.state) as ManifestState,
    requestedBy: String(row.requested_by),
    requestedAt: Number(row.requested_at),
    auto: Number(row.auto) === 1,
    labels: labelIds.length,
    labelIds,
    documentReady: row.document_key !== null,
    ...(row.completed_at !== null ? { completedAt: Number(row.completed_at) } : {}),
    ...(row.error !== null ? { error: String(row.error) } : {}),
  };
}

const ukTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});

export class EndOfDay {
  private readonly now: () => number;

  constructor(private readonly deps: EndOfDayDeps) {
    this.now = deps.now ?? (() => Date.now());
    deps.sql.exec(`
      CREATE TABLE IF NOT EXISTS manifests (
        id TEXT PRIMARY KEY, courier TEXT NOT NULL, manifest_number INTEGER, state TEXT NOT NULL,
        requested_by TEXT NOT NULL, requested_at INTEGER NOT NULL, auto INTEGER NOT NULL,
        retries INTEGER NOT NULL DEFAULT 0, document_key TEXT, completed_at INTEGER, error TEXT);
      CREATE TABLE IF NOT EXISTS manifest_labels (
        label_id TEXT PRIMARY KEY, manifest_id TEXT NOT NULL, order_id TEXT NOT NULL);
    `);
  }

  /**
   * Closes the day with Royal Mail: every Royal Mail label bought and not yet manifested goes on
   * one manifest. Refuses while another close is under way, and when there is nothing to hand over.
   */
  async close(by: string, auto = false): Promise<ManifestRecord> {
    const closing = this.deps.sql
      .exec("SELECT * FROM manifests WHERE state = 'closing' LIMIT 1")
      .toArray()[0];
    if (closing) {
      throw new ConsignError(
        ErrorCode.Conflict,
        `The day is already being closed with Royal Mail (by ${String(closing.requested_by)}); wait for it to finish.`,
      );
    }
    const labels = this.deps.sql
      .exec(
        `SELECT key, order_id FROM label_ledger WHERE courier = 'royal-mail' AND state = 'bought'
         AND key NOT IN (SELECT label_id FROM manifest_labels) ORDER BY bought_at`,
      )
      .toArray();
    if (labels.length === 0) {
      throw new ConsignError(
        ErrorCode.Conflict,
        "No Royal Mail labels have been bought since the last manifest: there is nothing to hand over.",
      );
    }
    const id = `mf_${crypto.randomUUID()}`;
    // Written before the call: the labels are held (no void) while Royal Mail works.
    this.deps.sql.exec(
      "INSERT INTO manifests (id, courier, state, requested_by, requested_at, auto) VALUES (?, 'royal-mail', 'closing', ?, ?, ?)",
      id,
      by,
      this.now(),
      auto ? 1 : 0,
    );
    for (const l of labels) {
      this.deps.sql.exec(
        "INSERT INTO manifest_labels VALUES (?, ?, ?)",
        String(l.key),
        id,
        String(l.order_id),
      );
    }
    let answer: RoyalMailManifest;
    try {
      answer = await (await this.deps.manifests()).manifestEligible();
    } catch (error) {
      return this.unsent(id, error);
    }
    return this.accepted(id, answer);
  }

  /** Tries again: a failed or uncertain manifest with Royal Mail's retry, a refused one closes anew. */
  async retry(id: string, by: string): Promise<ManifestRecord> {
    const m = this.get(id);
    if (!m) throw new ConsignError(ErrorCode.NotFound, `No manifest ${id} for this seller.`);
    if (m.state === "completed" || m.state === "in_progress" || m.state === "closing") return m;
    if (m.manifestNumber === undefined) return this.close(by, false);
    let answer: RoyalMailManifest;
    try {
      answer = await (await this.deps.manifests()).retry(m.manifestNumber);
    } catch (error) {
      this.setError(id, error);
      return this.require(id);
    }
    this.deps.sql.exec("UPDATE manifests SET state = 'closing' WHERE id = ?", id);
    this.relabel(id); // the labels given back on failure go on it again
    return this.accepted(id, answer);
  }

  /** Asks Royal Mail about manifests whose PDF is not ready yet. Returns when to ask again, or null. */
  async poll(): Promise<number | null> {
    const waiting = this.deps.sql
      .exec("SELECT id FROM manifests WHERE state = 'in_progress' ORDER BY requested_at")
      .toArray()
      .map((r) => String(r.id));
    if (waiting.length === 0) return null;
    const api = await this.deps.manifests();
    for (const id of waiting) {
      const m = this.require(id);
      if (m.manifestNumber === undefined) continue;
      try {
        const seen = await api.get(m.manifestNumber);
        if (seen.status === "failed") await this.failed(id, m.manifestNumber, api);
        else await this.accepted(id, seen);
      } catch (error) {
        this.setError(id, error);
      }
    }
    return this.deps.sql.exec("SELECT 1 FROM manifests WHERE state = 'in_progress'").toArray().length
      ? this.now() + MANIFEST_POLL_MS
      : null;
  }

  /** Why the label cannot be voided, or undefined when nothing stops it. */
  voidRefusal(labelId: string, trackingNumber: string): string | undefined {
    const row = this.deps.sql
      .exec(
        "SELECT m.* FROM manifest_labels l JOIN manifests m ON m.id = l.manifest_id WHERE l.label_id = ?",
        labelId,
      )
      .toArray()[0];
    if (!row) return undefined;
    if (String(row.state) === "closing") {
      return `Label ${trackingNumber} is being handed to Royal Mail on tonight's manifest right now; it cannot be voided.`;
    }
    const when = ukTime.format(Number(row.completed_at ?? row.requested_at));
    return `Label ${trackingNumber} was handed to Royal Mail on manifest ${String(row.manifest_number)} (${when}); a manifested label can no longer be voided.`;
  }

  list(limit = 30): ManifestRecord[] {
    return this.deps.sql
      .exec("SELECT * FROM manifests ORDER BY requested_at DESC LIMIT ?", limit)
      .toArray()
      .map((row) => toRecord(row, this.labelIdsOf(String(row.id))));
  }

  get(id: string): ManifestRecord | null {
    const row = this.deps.sql.exec("SELECT * FROM manifests WHERE id = ?", id).toArray()[0];
    return row ? toRecord(row, this.labelIdsOf(id)) : null;
  }

  async document(id: string): Promise<Uint8Array | null> {
    const row = this.deps.sql.exec("SELECT document_key FROM manifests WHERE id = ?", id).toArray()[0];
    if (!row || row.document_key === null) return null;
    const object = await this.deps.documents.get(String(row.document_key));
    return object ? new Uint8Array(await object.arrayBuffer()) : null;
  }

  private require(id: string): ManifestRecord {
    const m = this.get(id);
    if (!m) throw new ConsignError(ErrorCode.NotFound, `No manifest ${id} for this seller.`);
    return m;
  }

  private labelIdsOf(id: string): string[] {
    return this.deps.sql
      .exec("SELECT label_id FROM manifest_labels WHERE manifest_id = ? ORDER BY rowid", id)
      .toArray()
      .map((r) => String(r.label_id));
  }

  /** Royal Mail gave a manifest number: the labels are handed over; store the PDF when there is one. */
  private async accepted(id: string, answer: RoyalMailManifest): Promise<ManifestRecord> {
    const at = this.now();
    const wasClosing = this.require(id).state === "closing";
    if (answer.status === "failed") {
      this.deps.sql.exec("UPDATE manifests SET manifest_number = ? WHERE id = ?", answer.manifestNumber, id);
      return this.failed(id, answer.manifestNumber, await this.deps.manifests());
    }
    let documentKey: string | null = null;
    if (answer.documentPdf) {
      documentKey = `${this.deps.prefix}/manifests/${id}.pdf`;
      await this.deps.documents.put(documentKey, answer.documentPdf, {
        httpMetadata: { contentType: "application/pdf" },
        customMetadata: { manifestNumber: String(answer.manifestNumber), courier: "royal-mail" },
      });
    }
    this.deps.sql.exec(
      `UPDATE manifests SET manifest_number = ?, state = ?, document_key = COALESCE(?, document_key),
       completed_at = COALESCE(completed_at, ?), error = NULL WHERE id = ?`,
      answer.manifestNumber,
      documentKey ? "completed" : "in_progress",
      documentKey,
      at,
      id,
    );
    if (wasClosing) this.markOrders(id, { number: String(answer.manifestNumber), at });
    return this.require(id);
  }

  /** Royal Mail says the manifest failed: retry it, and after MAX_RETRIES give the labels back. */
  private async failed(id: string, manifestNumber: number, api: RoyalMailManifests): Promise<ManifestRecord> {
    const row = this.deps.sql.exec("SELECT retries FROM manifests WHERE id = ?", id).one();
    const retries = Number(row.retries);
    if (retries < MAX_RETRIES) {
      this.deps.sql.exec("UPDATE manifests SET retries = ? WHERE id = ?", retries + 1, id);
      try {
        const again = await api.retry(manifestNumber);
        if (again.status !== "failed") return this.accepted(id, again);
      } catch {
        // counted as a failed retry below
      }
      return this.failed(id, manifestNumber, api);
    }
    this.deps.sql.exec(
      "UPDATE manifests SET state = 'failed', error = ? WHERE id = ?",
      `Royal Mail could not process manifest ${manifestNumber} after ${MAX_RETRIES} retries; its labels can be voided again. Retry it, or manifest them in Click & Drop.`,
      id,
    );
    this.unmarkOrders(id);
    return this.require(id);
  }

  /** The manifest call failed: refused (nothing handed over) or unknown (Royal Mail did not answer). */
  private unsent(id: string, error: unknown): ManifestRecord {
    const uncertain = isOutcomeUncertain(error);
    const message = error instanceof Error ? error.message : String(error);
    this.deps.sql.exec(
      "UPDATE manifests SET state = ?, error = ? WHERE id = ?",
      uncertain ? "uncertain" : "refused",
      uncertain
        ? `${message}. Royal Mail may or may not have made the manifest: check Click & Drop, or retry (a retry says so if there is nothing left to manifest).`
        : message,
      id,
    );
    // Nothing is known to be handed over: the labels stay voidable (Royal Mail refuses a void itself if it did manifest them).
    this.deps.sql.exec("DELETE FROM manifest_labels WHERE manifest_id = ?", id);
    if (!uncertain && error instanceof ConsignError) throw error;
    return this.require(id);
  }

  private setError(id: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.deps.sql.exec("UPDATE manifests SET error = ? WHERE id = ?", message, id);
  }

  private relabel(id: string): void {
    const labels = this.deps.sql
      .exec(
        `SELECT key, order_id FROM label_ledger WHERE courier = 'royal-mail' AND state = 'bought'
         AND key NOT IN (SELECT label_id FROM manifest_labels)`,
      )
      .toArray();
    for (const l of labels) {
      this.deps.sql.exec(
        "INSERT INTO manifest_labels VALUES (?, ?, ?)",
        String(l.key),
        id,
        String(l.order_id),
      );
    }
  }

  private markOrders(id: string, manifest: Shipment["manifest"]): void {
    this.writeMarks(id, manifest);
  }

  private unmarkOrders(id: string): void {
    this.writeMarks(id, undefined);
    this.deps.sql.exec("DELETE FROM manifest_labels WHERE manifest_id = ?", id);
  }

  /** Writes (or clears) `manifest` on each label's shipment in the live document. */
  private writeMarks(id: string, manifest: Shipment["manifest"]): void {
    const rows = this.deps.sql
      .exec("SELECT label_id, order_id FROM manifest_labels WHERE manifest_id = ?", id)
      .toArray();
    this.deps.room.transact((d) => {
      for (const r of rows) {
        const order = readOrder(d, String(r.order_id));
        if (!order) continue;
        let changed = false;
        const shipments = order.shipments.map((s) => {
          if (s.id !== String(r.label_id)) return s;
          changed = true;
          const { manifest: _old, ...rest } = s;
          return manifest ? { ...rest, manifest } : rest;
        });
        if (changed) writeOrder(d, { orderId: order.orderId, shipments });
      }
    }, "server");
  }
}
