// Returns labels: a label the buyer uses to send a despatched order back, bought from a courier
// that offers returns (Royal Mail Tracked Returns and DPD: a PDF to email; Evri: a PDF, or a QR
// code for a ParcelShop), linked to the
// original order and kept with the return's own tracking number. Recorded in SQLite; the label
// itself is small and kept beside the record.
import type { ReturnLabel, ReturnsAdapter } from "@consign/couriers";
import {
  activeShipment,
  ConsignError,
  type CourierId,
  deliveryAddress,
  ErrorCode,
  mergeDefects,
  type Order,
} from "@consign/domain";
import { readOrder, writeOrder } from "@consign/sync";
import type { Identity } from "../auth/identity.ts";
import type { RoomDoc } from "./label-runs.ts";
import { readSender } from "./settings.ts";

export interface ReturnRecord {
  id: string;
  orderId: string;
  courier: CourierId;
  courierReturnId: string;
  trackingNumber: string | null;
  /** The original label's tracking number, linking the return to the parcel sent. */
  originalTrackingNumber: string | null;
  format: "pdf" | "qr";
  reason: string | null;
  createdBy: string;
  createdAt: number;
}

interface ReturnRow extends Record<string, SqlStorageValue> {
  id: string;
  order_id: string;
  courier: string;
  courier_return_id: string;
  tracking_number: string | null;
  original_tracking: string | null;
  format: string;
  reason: string | null;
  created_by: string;
  created_at: number;
  document: ArrayBuffer;
}

export interface NewReturn {
  courier?: CourierId;
  format?: "pdf" | "qr";
  reason?: string;
}

/** States in which the parcel has left: a return can only follow a parcel that was sent. */
const SENT = new Set(["dispatched", "confirmed"]);

function record(row: ReturnRow): ReturnRecord {
  return {
    id: row.id,
    orderId: row.order_id,
    courier: row.courier as CourierId,
    courierReturnId: row.courier_return_id,
    trackingNumber: row.tracking_number,
    originalTrackingNumber: row.original_tracking,
    format: row.format === "qr" ? "qr" : "pdf",
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export class Returns {
  constructor(
    private readonly sql: SqlStorage,
    private readonly room: RoomDoc,
    private readonly returnsFor: (courier: CourierId) => Promise<ReturnsAdapter>,
    private readonly now: () => number,
  ) {
    sql.exec(`CREATE TABLE IF NOT EXISTS returns (
      id TEXT PRIMARY KEY, order_id TEXT NOT NULL, courier TEXT NOT NULL, courier_return_id TEXT NOT NULL,
      tracking_number TEXT, original_tracking TEXT, format TEXT NOT NULL, reason TEXT,
      created_by TEXT NOT NULL, created_at INTEGER NOT NULL, document BLOB NOT NULL)`);
    sql.exec("CREATE INDEX IF NOT EXISTS returns_by_order ON returns (order_id, created_at)");
  }

  /** Buys a returns label for a sent order. */
  async create(identity: Identity, orderId: string, wanted: NewReturn = {}): Promise<ReturnRecord> {
    const order = readOrder(this.room.doc, orderId);
    if (!order) throw new ConsignError(ErrorCode.NotFound, `Order ${orderId} is not in the live list.`);
    this.check(order);
    const sender = readSender(this.room.doc);
    if (!sender) {
      throw new ConsignError(
        ErrorCode.Conflict,
        "Add your dispatch address in Settings → Sender: returns come back to it.",
      );
    }
    const courier = wanted.courier ?? "evri";
    const adapter = await this.returnsFor(courier);
    const format = wanted.format ?? "pdf";
    if (!adapter.formats.includes(format)) {
      throw new ConsignError(
        ErrorCode.BadRequest,
        `${adapter.displayName} returns come as a printable label, not a QR code: choose the PDF label, or Evri for a QR code.`,
        [{ path: "format", message: `use ${adapter.formats.join(" or ")} with ${courier}` }],
      );
    }
    const original = activeShipment(order) ?? order.shipments.at(-1);
    const count = this.forOrder(orderId).length;
    const label: ReturnLabel = await adapter.createReturn({
      orderId,
      reference: `${orderId}:return:${count + 1}`,
      from: deliveryAddress(order)!,
      to: sender,
      ...(order.package?.weightGrams ? { weightGrams: order.package.weightGrams } : {}),
      format,
      at: this.now(),
    });
    const document = label.labelPdf ?? label.qrCodePng;
    if (!document) {
      throw new ConsignError(ErrorCode.UpstreamMalformed, `${adapter.displayName} sent no returns label.`);
    }
    const id = `rt_${crypto.randomUUID()}`;
    this.sql.exec(
      "INSERT INTO returns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      id,
      orderId,
      courier,
      label.returnId,
      label.trackingNumber ?? null,
      original?.trackingNumber ?? null,
      label.qrCodePng ? "qr" : "pdf",
      wanted.reason?.trim() || null,
      identity.name,
      this.now(),
      document,
    );
    // The return counts in the refund rate from now (the refund Amazon reports later is the same
    // refunded order, counted once: the first of the two times is kept).
    const bookedAt = this.now();
    this.room.transact((d) => {
      const current = readOrder(d, orderId);
      if (current)
        writeOrder(d, { orderId, defects: mergeDefects(current.defects, { returnedAt: bookedAt }) });
    });
    return this.get(id)!;
  }

  private check(order: Order): void {
    if (!SENT.has(order.state)) {
      throw new ConsignError(
        ErrorCode.IllegalTransition,
        `Order ${order.orderId} is ${order.state.replace("_", " ")}: a returns label follows a parcel that was sent. Dispatch it first.`,
      );
    }
    if (!order.recipient) {
      throw new ConsignError(
        ErrorCode.Conflict,
        `Order ${order.orderId} has no buyer's address (Amazon no longer shares it): a returns label needs it.`,
      );
    }
  }

  get(id: string): ReturnRecord | undefined {
    const row = this.sql.exec<ReturnRow>("SELECT * FROM returns WHERE id = ?", id).toArray()[0];
    return row ? record(row) : undefined;
  }

  forOrder(orderId: string): ReturnRecord[] {
    return this.sql
      .exec<ReturnRow>("SELECT * FROM returns WHERE order_id = ? ORDER BY created_at", orderId)
      .toArray()
      .map(record);
  }

  /** Newest first. */
  list(limit = 100): ReturnRecord[] {
    return this.sql
      .exec<ReturnRow>("SELECT * FROM returns ORDER BY created_at DESC LIMIT ?", limit)
      .toArray()
      .map(record);
  }

  /** The label to send the buyer: a PDF, or a PNG QR code. */
  document(id: string): { bytes: Uint8Array; contentType: string } | undefined {
    const row = this.sql.exec<ReturnRow>("SELECT * FROM returns WHERE id = ?", id).toArray()[0];
    if (!row) return undefined;
    return {
      bytes: new Uint8Array(row.document),
      contentType: row.format === "qr" ? "image/png" : "application/pdf",
    };
  }
}
