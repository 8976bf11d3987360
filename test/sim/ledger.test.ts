// The end-of-run counts read every order the room holds: a month's run archives most of its
// dispatched orders, and session 6's month printed 785 "lost" edits that Amazon had in fact accepted.
import type { Order, Shipment } from "@consign/domain";
import { makeOrder } from "@consign/domain/testing";
import { describe, expect, it } from "vitest";
import { countLedger, type Received, roomOrders } from "./ledger.ts";
import type { PrintEdit } from "./team.ts";
import type { AmazonOutcome } from "./world.ts";

const T = Date.UTC(2026, 11, 7, 9);
const label = (orderId: string, extra: Partial<Shipment> = {}): Shipment => ({
  id: `${orderId}:1`,
  courier: "royal-mail",
  serviceCode: "TPS48",
  trackingNumber: "GQ660548056GB",
  amazonCarrierCode: "Royal Mail",
  boughtAt: T,
  ...extra,
});
const sent = (orderId: string, state: Order["state"] = "dispatched", extra: Partial<Order> = {}): Order =>
  makeOrder({
    orderId,
    state,
    printedAt: T + 60_000,
    shipments: [label(orderId)],
    confirmation: { state: "confirmed", confirmedAt: T + 90_000, attempts: 1 },
    ...extra,
  });
const outcome = (orderId: string, accepted: number): AmazonOutcome => ({
  orderId,
  createdMs: T - 3_600_000,
  latestShipMs: T + 86_400_000,
  confirmedMs: accepted ? T + 90_000 : null,
  confirmationsAccepted: accepted,
  confirmationsRefused: 0,
  lateDispatch: false,
  validTracking: accepted > 0,
  deliveredMs: null,
  onTimeDelivery: null,
  lost: false,
  negativeFeedbackMs: null,
  claimMs: null,
  refundMs: null,
  cancelled: null,
  cancelRequested: false,
  prime: false,
});
const print = (orderId: string, offline = false): PrintEdit => ({
  orderId,
  packer: "Packer 1",
  at: T + 60_000,
  offline,
});

// Four orders archived after dispatch (one with a voided first label), two still live (one printed
// this morning, one its label bought and printed on a tablet whose edit never reached the room),
// and one in both places: archived, then changed again in the live document.
const archived = [
  sent("202-0000001-0000001"),
  sent("202-0000001-0000002"),
  sent("202-0000001-0000003", "dispatched", {
    shipments: [label("202-0000001-0000003", { id: "v", voidedAt: T + 1 }), label("202-0000001-0000003")],
  }),
  sent("202-0000001-0000004"),
  sent("202-0000001-0000005", "dispatched"),
];
const live = [
  sent("202-0000002-0000001", "printed"),
  makeOrder({
    orderId: "202-0000002-0000002",
    state: "label_bought",
    shipments: [label("202-0000002-0000002")],
  }),
  sent("202-0000001-0000005", "confirmed"),
];
const edits = [...new Set([...archived, ...live].map((o) => o.orderId))].map((id) => print(id));
const received: Received = {
  courierPurchases: 7,
  confirmations: { accepted: 6, refused: 0, acceptedTwice: [] },
  outcomes: [
    ...archived.map((o) => outcome(o.orderId, 1)),
    outcome("202-0000002-0000001", 1),
    outcome("202-0000002-0000002", 0),
  ],
};

describe("the end-of-run counts", () => {
  it("count the archived orders with the live ones, each once", () => {
    const orders = roomOrders(live, archived);
    const l = countLedger(orders, new Set(archived.map((o) => o.orderId)), edits, received);

    expect(l.orders).toEqual({ counted: 7, archived: 5 });
    // The one order in both places is the live document's (its newest version), counted once.
    expect(orders.get("202-0000001-0000005")?.state).toBe("confirmed");
    expect(l.labelsBought).toBe(8);
    expect(l.labelsVoided).toBe(1);
    expect(l.ordersWithTwoActiveLabels).toEqual([]);
    // Only the print the room never saw is lost; the archived orders' prints were acknowledged.
    expect(l.editsMade).toBe(7);
    expect(l.editsLost).toEqual(["202-0000002-0000002"]);
    expect(l.editsAcknowledged).toBe(6);
    // Amazon never heard of that one either; every other printed order it accepted once.
    expect(l.confirmationsMissing).toEqual(["202-0000002-0000002"]);
    expect(l.validTrackingInRoom).toEqual({ valid: 6, of: 6 });
    expect(l.printToConfirmedMs).toHaveLength(6);
  });

  it("would count every archived order's print as lost when reading the live document alone", () => {
    const l = countLedger(roomOrders(live, []), new Set(), edits, received);
    expect(l.editsLost).toHaveLength(5);
    expect(l.labelsBought).toBe(3);
  });

  it("names an order holding two labels that are not voided, wherever it lives", () => {
    const twice = sent("202-0000003-0000001", "dispatched", {
      shipments: [label("202-0000003-0000001", { id: "a" }), label("202-0000003-0000001", { id: "b" })],
    });
    const l = countLedger(roomOrders(live, [...archived, twice]), new Set([twice.orderId]), edits, received);
    expect(l.ordersWithTwoActiveLabels).toEqual(["202-0000003-0000001"]);
  });
});
