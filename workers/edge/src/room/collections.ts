// Collections: the owner books a courier's driver for a day (parcels, weight, ready time), sees
// the booking as the courier has it, and cancels it. Evri books through Hermes' pickup orders,
// DPD through its (assumed) collection API (packages/couriers evri/ and dpd/collections.ts). When
// parcels or weight are not given, they are the labels of that courier bought and not yet
// dispatched. Recorded in SQLite.
import type { BookedCollection, CollectionState, CollectionsAdapter } from "@consign/couriers";
import {
  activeShipment,
  ConsignError,
  type CourierId,
  ErrorCode,
  isClockTime,
  ukOffsetMinutes,
} from "@consign/domain";
import { listOrders } from "@consign/sync";
import type { Identity } from "../auth/identity.ts";
import type { RoomDoc } from "./label-runs.ts";
import { readSender } from "./settings.ts";

export interface CollectionRecord {
  id: string;
  courier: CourierId;
  courierCollectionId: string;
  date: string;
  readyAt: string;
  window: string;
  parcels: number;
  weightKg: number;
  state: CollectionState;
  bookedBy: string;
  bookedAt: number;
  cancelledAt: number | null;
}

interface Row extends Record<string, SqlStorageValue> {
  id: string;
  courier: string;
  courier_collection_id: string;
  date: string;
  ready_at: string;
  window: string;
  parcels: number;
  weight_kg: number;
  state: string;
  booked_by: string;
  booked_at: number;
  cancelled_at: number | null;
}

export interface NewCollection {
  courier: CourierId;
  date: string;
  readyAt: string;
  parcels?: number;
  weightKg?: number;
}

const record = (r: Row): CollectionRecord => ({
  id: r.id,
  courier: r.courier as CourierId,
  courierCollectionId: r.courier_collection_id,
  date: r.date,
  readyAt: r.ready_at,
  window: r.window,
  parcels: r.parcels,
  weightKg: r.weight_kg,
  state: r.state as CollectionState,
  bookedBy: r.booked_by,
  bookedAt: r.booked_at,
  cancelledAt: r.cancelled_at,
});

/** The UK date (YYYY-MM-DD) of `now`. */
function ukDate(now: number): string {
  return new Date(now + ukOffsetMinutes(now) * 60_000).toISOString().slice(0, 10);
}

export class Collections {
  constructor(
    private readonly sql: SqlStorage,
    private readonly room: RoomDoc,
    private readonly collectionsFor: (courier: CourierId) => Promise<CollectionsAdapter>,
    private readonly now: () => number,
  ) {
    sql.exec(`CREATE TABLE IF NOT EXISTS collections (
      id TEXT PRIMARY KEY, courier TEXT NOT NULL, courier_collection_id TEXT NOT NULL, date TEXT NOT NULL,
      ready_at TEXT NOT NULL, window TEXT NOT NULL, parcels INTEGER NOT NULL, weight_kg REAL NOT NULL,
      state TEXT NOT NULL, booked_by TEXT NOT NULL, booked_at INTEGER NOT NULL, cancelled_at INTEGER)`);
  }

  /** Labels of this courier bought and not yet dispatched: what the driver would take. */
  private waiting(courier: CourierId): { parcels: number; weightKg: number } {
    let parcels = 0;
    let grams = 0;
    for (const o of listOrders(this.room.doc)) {
      if (o.state !== "label_bought" && o.state !== "printed") continue;
      if (activeShipment(o)?.courier !== courier) continue;
      parcels++;
      grams += o.package?.weightGrams ?? 0;
    }
    return { parcels, weightKg: Math.round(grams / 10) / 100 };
  }

  async book(identity: Identity, wanted: NewCollection): Promise<CollectionRecord> {
    const fields: { path: string; message: string }[] = [];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(wanted.date) || Number.isNaN(Date.parse(wanted.date)))
      fields.push({ path: "date", message: "give the day as YYYY-MM-DD" });
    else if (wanted.date < ukDate(this.now()))
      fields.push({ path: "date", message: `${wanted.date} has passed: book today or a later day` });
    if (!isClockTime(wanted.readyAt))
      fields.push({
        path: "readyAt",
        message: "give the UK time the parcels are ready as HH:MM, e.g. 10:00",
      });
    if (fields.length)
      throw new ConsignError(ErrorCode.BadRequest, "The collection cannot be booked as asked.", fields);
    const sender = readSender(this.room.doc);
    if (!sender) {
      throw new ConsignError(
        ErrorCode.Conflict,
        "Add your dispatch address in Settings → Sender: the driver collects from it.",
      );
    }
    const waiting = this.waiting(wanted.courier);
    const parcels = wanted.parcels ?? waiting.parcels;
    const weightKg = wanted.weightKg ?? waiting.weightKg;
    if (parcels < 1) {
      throw new ConsignError(
        ErrorCode.Conflict,
        `No ${wanted.courier} labels are waiting to go: give the number of parcels to collect.`,
        [{ path: "parcels", message: "at least 1" }],
      );
    }
    const taken = this.sql
      .exec<Row>(
        "SELECT * FROM collections WHERE courier = ? AND date = ? AND state = 'booked'",
        wanted.courier,
        wanted.date,
      )
      .toArray()[0];
    if (taken) {
      throw new ConsignError(
        ErrorCode.Conflict,
        `A ${wanted.courier} collection is already booked for ${wanted.date} (${taken.window}): cancel it first to change it.`,
      );
    }
    const adapter = await this.collectionsFor(wanted.courier);
    const id = `col_${crypto.randomUUID()}`;
    const booked: BookedCollection = await adapter.book({
      date: wanted.date,
      readyAt: wanted.readyAt,
      parcels,
      weightKg,
      address: sender,
      reference: id,
    });
    this.sql.exec(
      "INSERT INTO collections VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?, ?, NULL)",
      id,
      wanted.courier,
      booked.collectionId,
      wanted.date,
      wanted.readyAt,
      booked.window,
      parcels,
      weightKg,
      identity.name,
      this.now(),
    );
    return this.get(id)!;
  }

  get(id: string): CollectionRecord | undefined {
    const row = this.sql.exec<Row>("SELECT * FROM collections WHERE id = ?", id).toArray()[0];
    return row ? record(row) : undefined;
  }

  /** The booking as the courier has it now (its state refreshed from the courier). */
  async view(id: string): Promise<CollectionRecord | undefined> {
    const mine = this.get(id);
    if (!mine || mine.state === "cancelled") return mine;
    const theirs = await (await this.collectionsFor(mine.courier)).get(mine.courierCollectionId);
    const state: CollectionState = theirs ? theirs.state : "unknown";
    if (state !== mine.state) this.sql.exec("UPDATE collections SET state = ? WHERE id = ?", state, id);
    return this.get(id);
  }

  list(from?: string): CollectionRecord[] {
    return this.sql
      .exec<Row>("SELECT * FROM collections WHERE date >= ? ORDER BY date, booked_at", from ?? "0000-00-00")
      .toArray()
      .map(record);
  }

  async cancel(id: string): Promise<CollectionRecord> {
    const mine = this.get(id);
    if (!mine) throw new ConsignError(ErrorCode.NotFound, `No collection ${id} for this seller.`);
    if (mine.state === "cancelled") return mine;
    if (mine.state === "collected") {
      throw new ConsignError(
        ErrorCode.IllegalTransition,
        `The ${mine.date} collection has been collected: it cannot be cancelled.`,
      );
    }
    await (await this.collectionsFor(mine.courier)).cancel(mine.courierCollectionId);
    this.sql.exec(
      "UPDATE collections SET state = 'cancelled', cancelled_at = ? WHERE id = ?",
      this.now(),
      id,
    );
    return this.get(id)!;
  }
}
