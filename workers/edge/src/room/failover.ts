// Courier failover as the room runs it. Every label purchase tells it how the courier answered:
// three purchases in a row that got no answer (timeouts, 5xx, unreachable) or twenty refusals in a
// row mark the courier down. While it is down (and the owner has not switched failover off), label
// runs send each order with the next service the seller's rules allow, saying so on the order.
//
// Nothing is bought twice: an order whose purchase with the down courier ended uncertain is kept
// here before it is sent with another. When the courier answers again (the alarm asks it every
// minute), each such purchase is looked up under our key; a label it did create after all is
// cancelled with that courier, so the seller pays for one label per parcel.
import { type CourierAdapter, isOutcomeUncertain, type ShipmentRequest } from "@consign/couriers";
import { COURIER_NAMES, type CourierId } from "@consign/domain";

/** Purchases in a row with no answer before a courier is marked down. */
export const DOWN_AFTER_UNANSWERED = 3;
/** Refusals in a row (a storm: every order refused) before a courier is marked down. */
export const DOWN_AFTER_REFUSALS = 20;
/** How often a down courier is asked whether it is back. */
export const PROBE_EVERY_MS = 60_000;

export type PurchaseOutcome = "bought" | "unanswered" | "refused";

export interface CourierState {
  courier: CourierId;
  down: boolean;
  since?: number;
  /** "Royal Mail is not answering" / "Royal Mail refuses every label". */
  reason?: string;
}

export interface Reconciled {
  labelKey: string;
  orderId: string;
  courier: CourierId;
  state: "pending" | "nothing_bought" | "cancelled" | "cancel_failed";
  note?: string;
}

export class CourierFailover {
  constructor(
    private readonly sql: SqlStorage,
    private readonly now: () => number = Date.now,
  ) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS courier_health (
        courier TEXT PRIMARY KEY, unanswered INTEGER NOT NULL DEFAULT 0, refusals INTEGER NOT NULL DEFAULT 0,
        down_since INTEGER, reason TEXT);
      CREATE TABLE IF NOT EXISTS failover_reconcile (
        label_key TEXT NOT NULL, courier TEXT NOT NULL, order_id TEXT NOT NULL, request TEXT NOT NULL,
        state TEXT NOT NULL, note TEXT, at INTEGER NOT NULL, PRIMARY KEY (label_key, courier));
    `);
  }

  /** How one purchase went with a courier. Returns true when this marked the courier down. */
  record(courier: CourierId, outcome: PurchaseOutcome): boolean {
    const row = this.row(courier);
    if (outcome === "bought") {
      this.sql.exec(
        "UPDATE courier_health SET unanswered = 0, refusals = 0, down_since = NULL, reason = NULL WHERE courier = ?",
        courier,
      );
      return false;
    }
    const unanswered = outcome === "unanswered" ? Number(row.unanswered) + 1 : 0;
    const refusals = outcome === "refused" ? Number(row.refusals) + 1 : 0;
    const name = COURIER_NAMES[courier];
    const becomesDown =
      row.down_since === null && (unanswered >= DOWN_AFTER_UNANSWERED || refusals >= DOWN_AFTER_REFUSALS);
    this.sql.exec(
      "UPDATE courier_health SET unanswered = ?, refusals = ?, down_since = COALESCE(down_since, ?), reason = COALESCE(reason, ?) WHERE courier = ?",
      unanswered,
      refusals,
      becomesDown ? this.now() : null,
      becomesDown
        ? unanswered >= DOWN_AFTER_UNANSWERED
          ? `${name} is not answering`
          : `${name} refuses every label`
        : null,
      courier,
    );
    return becomesDown;
  }

  isDown(courier: CourierId): boolean {
    return this.row(courier).down_since !== null;
  }

  states(): CourierState[] {
    return (Object.keys(COURIER_NAMES) as CourierId[]).map((courier) => {
      const row = this.row(courier);
      return row.down_since === null
        ? { courier, down: false }
        : { courier, down: true, since: Number(row.down_since), reason: String(row.reason) };
    });
  }

  /** Marks a courier up by hand (the owner knows it is back) or after a probe answered. */
  markUp(courier: CourierId): void {
    this.record(courier, "bought");
  }

  /** Before an order leaves a down courier: keep its uncertain purchase there to check later. */
  keepForReconcile(labelKey: string, courier: CourierId, orderId: string, request: ShipmentRequest): void {
    this.sql.exec(
      `INSERT INTO failover_reconcile VALUES (?, ?, ?, ?, 'pending', NULL, ?)
       ON CONFLICT (label_key, courier) DO NOTHING`,
      labelKey,
      courier,
      orderId,
      JSON.stringify(request),
      this.now(),
    );
  }

  reconciliations(): Reconciled[] {
    return this.sql
      .exec("SELECT * FROM failover_reconcile ORDER BY at")
      .toArray()
      .map((r) => ({
        labelKey: String(r.label_key),
        orderId: String(r.order_id),
        courier: String(r.courier) as CourierId,
        state: String(r.state) as Reconciled["state"],
        ...(r.note !== null ? { note: String(r.note) } : {}),
      }));
  }

  /**
   * Asks each down courier whether it is back (looking up a kept purchase, or a made-up key),
   * and for every kept purchase of a courier that answers, cancels what it did create.
   * Returns when to ask again, or null when nothing is down or pending.
   */
  async probe(adapterFor: (courier: CourierId) => CourierAdapter): Promise<number | null> {
    const couriers = new Set<CourierId>([
      ...this.states()
        .filter((s) => s.down)
        .map((s) => s.courier),
      ...this.sql
        .exec("SELECT DISTINCT courier FROM failover_reconcile WHERE state = 'pending'")
        .toArray()
        .map((r) => String(r.courier) as CourierId),
    ]);
    for (const courier of couriers) {
      let adapter: CourierAdapter;
      try {
        adapter = adapterFor(courier);
      } catch {
        continue; // not connected any more: nothing to ask
      }
      const pending = this.sql
        .exec("SELECT * FROM failover_reconcile WHERE courier = ? AND state = 'pending'", courier)
        .toArray();
      try {
        if (pending.length === 0) {
          await adapter.findShipment({ idempotencyKey: `probe:${crypto.randomUUID()}` });
        }
        for (const row of pending) {
          const key = String(row.label_key);
          const request = JSON.parse(String(row.request)) as ShipmentRequest;
          const found = await adapter.findShipment({ idempotencyKey: key, request });
          if (!found) {
            this.settle(key, courier, "nothing_bought", `${COURIER_NAMES[courier]} had not bought a label`);
            continue;
          }
          try {
            await adapter.voidShipment(found);
            this.settle(
              key,
              courier,
              "cancelled",
              `${COURIER_NAMES[courier]} had created ${found.trackingNumber} before it stopped answering; cancelled so only one label is paid for`,
            );
          } catch (error) {
            this.settle(
              key,
              courier,
              "cancel_failed",
              `${COURIER_NAMES[courier]} created ${found.trackingNumber} and would not cancel it: ${error instanceof Error ? error.message : String(error)}. Cancel it in the courier's own site.`,
            );
          }
        }
        this.markUp(courier); // it answered
      } catch (error) {
        if (!isOutcomeUncertain(error)) this.markUp(courier); // it answered, if only to refuse
      }
    }
    const stillDown = this.states().some((s) => s.down);
    const pending = this.sql
      .exec("SELECT 1 FROM failover_reconcile WHERE state = 'pending' LIMIT 1")
      .toArray();
    return stillDown || pending.length ? this.now() + PROBE_EVERY_MS : null;
  }

  private settle(key: string, courier: CourierId, state: Reconciled["state"], note: string): void {
    this.sql.exec(
      "UPDATE failover_reconcile SET state = ?, note = ? WHERE label_key = ? AND courier = ?",
      state,
      note,
      key,
      courier,
    );
  }

  private row(courier: CourierId): Record<string, SqlStorageValue> {
    this.sql.exec(
      "INSERT INTO courier_health (courier) VALUES (?) ON CONFLICT (courier) DO NOTHING",
      courier,
    );
    return this.sql.exec("SELECT * FROM courier_health WHERE courier = ?", courier).one();
  }
}
