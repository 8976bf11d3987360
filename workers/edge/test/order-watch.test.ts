// The watch that turns document changes into webhooks and confirmations: its memory of each order
// starts from the working keys alone when it attaches (no order read whole), so an order untouched
// since import and one half-way through despatch must both be told apart from a new one.
import { initialiseGeneration, setWork, upsertOrders } from "@consign/sync";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { WebhookEventType } from "../src/api/webhooks/events.ts";
import { OrderWatch } from "../src/room/order-watch.ts";
import { order } from "./sync-fixtures.ts";

const shipment = {
  id: "s1",
  courier: "royal-mail" as const,
  serviceCode: "TPN24",
  trackingNumber: "GQ660548056GB",
  amazonCarrierCode: "Royal Mail",
  boughtAt: 1,
};

describe("what the room's order watch reports after it attaches to a loaded document", () => {
  it("reports each real change once and never mistakes an existing order for a new one", () => {
    const doc = new Y.Doc();
    upsertOrders(doc, [order("A"), order("B"), order("D"), order("E"), order("F")], "import");
    setWork(doc, "B", { state: "printed", shipments: [shipment] });
    setWork(doc, "E", { state: "printed", shipments: [shipment] });
    setWork(doc, "F", { state: "label_bought", shipments: [{ ...shipment, id: "f1" }] });
    const events: string[] = [];
    const confirm: string[] = [];
    const watch = new OrderWatch({
      event: (type: WebhookEventType, o) => events.push(`${type}:${o.orderId}`),
      readyToConfirm: (o) => confirm.push(o.orderId),
    });
    watch.attach(doc);

    setWork(doc, "A", { state: "cancelled" });
    setWork(doc, "B", { state: "dispatched" });
    setWork(doc, "D", { notes: "fragile" });
    upsertOrders(doc, [order("C")], "import");
    // Confirm-on-print: printed straight to confirmed still tells integrations it left.
    setWork(doc, "E", { state: "confirmed", confirmation: { state: "confirmed", attempts: 1 } });
    // Voiding a label is a change integrations must hear of too; so is a plain change of state.
    setWork(doc, "F", { state: "ready", shipments: [{ ...shipment, id: "f1", voidedAt: 2 }] });
    setWork(doc, "F", { state: "on_hold" });

    expect(events).toEqual([
      "order.cancelled:A",
      "order.dispatched:B",
      "order.notes_changed:D",
      "order.created:C",
      "order.dispatched:E",
      "order.confirmed:E",
      "shipment.voided:F",
      "order.state_changed:F",
    ]);
    expect(confirm).toEqual(["B"]);
  });

  it.each([1, 3])("remembers the notes typed before it attached (layout %i)", (layout) => {
    const doc = new Y.Doc();
    if (layout === 3) initialiseGeneration(doc, "g1"); // a new room's document: the current layout
    upsertOrders(doc, [order("N"), order("M")], "import");
    setWork(doc, "N", { notes: "fragile" });
    const events: string[] = [];
    const watch = new OrderWatch({
      event: (type: WebhookEventType, o) => events.push(`${type}:${o.orderId}`),
      readyToConfirm: () => undefined,
    });
    watch.attach(doc);
    setWork(doc, "N", { state: "ready" });
    setWork(doc, "M", { state: "ready" });
    setWork(doc, "N", { notes: "fragile, glass" });
    expect(events).toEqual(["order.state_changed:N", "order.state_changed:M", "order.notes_changed:N"]);
  });
});
