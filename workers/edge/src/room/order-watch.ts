// Watches the live document for what happened to orders, whoever did it (a tablet's edit, an
// import, a label purchase) and tells the room: webhooks to send and confirmations to queue.
// Remembers a small digest per order so it can tell a change of state from a repeat.
import { activeShipment, type Order } from "@consign/domain";
import {
  observeOrders,
  ordersMap,
  readOrder,
  rootTexts,
  textValue,
  workDefaults,
  workMap,
} from "@consign/sync";
import type * as Y from "yjs";
import type { WebhookEventType } from "../api/webhooks/events.ts";

interface Digest {
  state: Order["state"];
  shipmentId: string | undefined;
  confirmation: Order["confirmation"]["state"];
  notes: string | undefined;
}

export interface OrderHappenings {
  /**
   * Something happened to an order. Every transaction that touches an order reports at least one
   * event (`order.updated` when nothing more specific happened), so the change feed misses nothing.
   * `shipmentId` names the label concerned by shipment.created / shipment.voided.
   */
  event(type: WebhookEventType, order: Order, detail?: { shipmentId?: string }): void;
  /** A label exists and the parcel is printed or dispatched: Amazon should hear of it. */
  readyToConfirm(order: Order): void;
}

const DEFAULTS = workDefaults();

/** States of an order that has left the building. */
const gone = (state: Order["state"]) => state === "dispatched" || state === "confirmed";

const digestOf = (o: Pick<Order, "state" | "shipments" | "confirmation" | "notes">): Digest => ({
  state: o.state,
  shipmentId: activeShipment(o)?.id,
  confirmation: o.confirmation.state,
  notes: o.notes || undefined,
});

export class OrderWatch {
  private doc: Y.Doc | null = null;
  private stop: (() => void) | null = null;
  /** Digests of orders whose working keys differ from the defaults; others read as `digestOf(DEFAULTS)`. */
  private readonly digests = new Map<string, Digest>();
  /** Orders present when the document was attached (digest or not). */
  private known = new Set<string>();

  constructor(private readonly on: OrderHappenings) {}

  /** Attaches to the room's current document (again after a reload or a rebase). */
  attach(doc: Y.Doc): void {
    if (this.doc === doc) return;
    this.stop?.();
    this.doc = doc;
    this.digests.clear();
    // From the working keys alone (state, shipments, confirmation, notes): no order is read whole, and
    // an order without them is untouched since import (the defaults, below). One pass over the working
    // keys and one over the notes texts, not a lookup per order and field (5,000 orders: most have none).
    const found = new Map<string, Partial<Pick<Order, "state" | "shipments" | "confirmation" | "notes">>>();
    const entry = (id: string) => {
      let e = found.get(id);
      if (e === undefined) {
        e = {};
        found.set(id, e);
      }
      return e;
    };
    for (const [key, value] of workMap(doc).entries()) {
      const slash = key.lastIndexOf("/");
      const field = key.slice(slash + 1);
      const id = key.slice(0, slash);
      if (field === "state" && value !== undefined) entry(id).state = value as Order["state"];
      else if (field === "shipments" && value !== undefined)
        entry(id).shipments = value as Order["shipments"];
      else if (field === "confirmation" && value !== undefined)
        entry(id).confirmation = value as Order["confirmation"];
      else if (field === "notes") {
        // Layout 1: collaborative text at the work key (a text there wins over a top-level one).
        const notes = textValue(doc, id, "notes");
        if (notes) entry(id).notes = notes;
      }
    }
    // Layout 2 and later: an order's notes are its own top-level text, where someone typed.
    for (const { orderId, field } of rootTexts(doc)) {
      if (field !== "notes") continue;
      const notes = textValue(doc, orderId, "notes"); // a text at the work key wins, as readOrder reads
      if (notes) entry(orderId).notes = notes;
    }
    const orders = ordersMap(doc);
    for (const [id, e] of found) {
      if (!orders.has(id)) continue;
      this.digests.set(
        id,
        digestOf({
          ...DEFAULTS,
          ...(e.state && { state: e.state }),
          ...(e.shipments && { shipments: e.shipments }),
          ...(e.confirmation && { confirmation: e.confirmation }),
          ...(e.notes && { notes: e.notes }),
        } as Pick<Order, "state" | "shipments" | "confirmation" | "notes">),
      );
    }
    this.known = new Set(ordersMap(doc).keys());
    this.stop = observeOrders(doc, (change) => {
      for (const id of change.orderIds) this.changed(doc, id);
    });
  }

  private changed(doc: Y.Doc, orderId: string): void {
    const order = readOrder(doc, orderId);
    const before = this.digests.get(orderId) ?? (this.known.has(orderId) ? digestOf(DEFAULTS) : undefined);
    if (!order) {
      this.digests.delete(orderId);
      this.known.delete(orderId);
      return;
    }
    this.known.add(orderId);
    const now = digestOf(order);
    this.digests.set(orderId, now);
    if (!before) {
      this.on.event("order.created", order);
      if (order.state === "cancelled") this.on.event("order.cancelled", order);
      return;
    }
    const events: [WebhookEventType, { shipmentId?: string }?][] = [];
    if (now.state === "cancelled" && before.state !== "cancelled") events.push(["order.cancelled"]);
    if (before.shipmentId && before.shipmentId !== now.shipmentId)
      events.push(["shipment.voided", { shipmentId: before.shipmentId }]);
    if (now.shipmentId && now.shipmentId !== before.shipmentId)
      events.push(["shipment.created", { shipmentId: now.shipmentId }]);
    // Confirm-on-print takes an order from printed straight to confirmed: it left all the same.
    if (gone(now.state) && !gone(before.state)) events.push(["order.dispatched"]);
    if (now.confirmation === "confirmed" && before.confirmation !== "confirmed")
      events.push(["order.confirmed"]);
    if (
      now.confirmation === "failed" &&
      before.confirmation !== "failed" &&
      order.confirmation.needsAttention
    )
      events.push(["order.confirmation_failed"]);
    // Any other move between states (picked, packed, held, ready, printed…).
    if (now.state !== before.state && events.length === 0) events.push(["order.state_changed"]);
    if (now.notes !== before.notes) events.push(["order.notes_changed"]);
    if (events.length === 0) events.push(["order.updated"]);
    for (const [type, detail] of events) this.on.event(type, order, detail);
    const printedOrSent = now.state === "printed" || now.state === "dispatched";
    if (printedOrSent && now.shipmentId && order.confirmation.state !== "confirmed")
      this.on.readyToConfirm(order);
  }
}
