import { describe, expect, it } from "vitest";
import { ConsignError } from "./errors.ts";
import {
  allowedActions,
  applyAction,
  IllegalTransitionError,
  ORDER_ACTION_TYPES,
  ORDER_STATES,
  type OrderAction,
  type OrderActionType,
} from "./lifecycle.ts";
import type { Order, OrderState, Shipment } from "./order.ts";
import { makeOrder } from "./testing/generate.ts";

const T0 = Date.UTC(2026, 10, 20, 9);
const ctx = { at: T0 + 60_000, by: "sam" };

const label = (rev = 0): Shipment => ({
  id: `202-0000000-0000001:${rev}`,
  courier: "royal-mail",
  serviceCode: "TPN24",
  trackingNumber: "GQ660548056GB",
  amazonCarrierCode: "Royal Mail",
  boughtAt: T0,
});

const sample: Record<OrderActionType, OrderAction> = {
  markReady: { type: "markReady" },
  labelBought: { type: "labelBought", shipment: label() },
  printed: { type: "printed" },
  dispatched: { type: "dispatched" },
  confirmed: { type: "confirmed", at: T0 + 3_600_000 },
  confirmationFailed: { type: "confirmationFailed", error: "InvalidInput", permanent: false },
  hold: { type: "hold" },
  release: { type: "release" },
  cancel: { type: "cancel", by: "seller" },
  voidLabel: { type: "voidLabel" },
};

/** An order in `state` with whatever that state implies (a label once bought, a held-from state). */
function orderIn(state: OrderState): Order {
  const hasLabel = ["label_bought", "printed", "dispatched", "confirmed"].includes(state);
  return makeOrder({
    state,
    shipments: hasLabel ? [label()] : [],
    ...(state === "on_hold" ? { heldFrom: "ready" as const } : {}),
  });
}

describe("order lifecycle", () => {
  it("walks an order from new to confirmed, one history entry per step", () => {
    let o = makeOrder();
    const steps: OrderAction[] = [
      sample.markReady,
      sample.labelBought,
      sample.printed,
      sample.dispatched,
      { type: "confirmed", at: T0 + 7_200_000 },
    ];
    for (const step of steps) o = applyAction(o, step, ctx);
    expect(o.state).toBe("confirmed");
    expect(o.confirmation).toEqual({ state: "confirmed", confirmedAt: T0 + 7_200_000, attempts: 1 });
    expect(o.history?.map((h) => h.action)).toEqual([
      "markReady",
      "labelBought",
      "printed",
      "dispatched",
      "confirmed",
    ]);
    expect(o.history?.every((h) => h.by === "sam" && h.at === ctx.at)).toBe(true);
    expect(o.dispatchedAt).toBe(ctx.at);
  });

  it("returns a new order and leaves the one given untouched", () => {
    const before = makeOrder();
    const snapshot = structuredClone(before);
    const after = applyAction(before, sample.markReady, ctx);
    expect(after).not.toBe(before);
    expect(before).toEqual(snapshot);
  });

  it("voiding a label sends the order back to ready with the next label revision", () => {
    const o = applyAction(orderIn("printed"), sample.voidLabel, ctx);
    expect(o.state).toBe("ready");
    expect(o.labelRevision).toBe(1);
    expect(o.shipments[0]?.voidedAt).toBe(ctx.at);
    expect(allowedActions(o)).toContain("labelBought");
    const again = applyAction(o, { type: "labelBought", shipment: label(1) }, ctx);
    expect(again.shipments).toHaveLength(2);
    expect(again.state).toBe("label_bought");
  });

  it("releases a hold back to the state the order was held from", () => {
    const held = applyAction(orderIn("label_bought"), { type: "hold", until: T0 + 86_400_000 }, ctx);
    expect(held.state).toBe("on_hold");
    expect(held.holdUntil).toBe(T0 + 86_400_000);
    const released = applyAction(held, sample.release, ctx);
    expect(released.state).toBe("label_bought");
    expect(released.heldFrom).toBeUndefined();
    expect(released.holdUntil).toBeUndefined();
  });

  it("records a refused confirmation without leaving the state, and flags permanent refusals", () => {
    const o = applyAction(
      orderIn("dispatched"),
      { type: "confirmationFailed", error: "Bad carrier", permanent: true },
      ctx,
    );
    expect(o.state).toBe("dispatched");
    expect(o.confirmation).toMatchObject({
      state: "failed",
      attempts: 1,
      error: "Bad carrier",
      needsAttention: true,
    });
  });

  it("records who cancelled and when, and warns when a label is still active", () => {
    const o = applyAction(orderIn("printed"), { type: "cancel", by: "buyer" }, ctx);
    expect(o).toMatchObject({ state: "cancelled", cancelledBy: "buyer", cancelledAt: ctx.at });
    expect(o.history?.at(-1)?.detail).toMatch(/void it with the courier/);
  });

  it("lets Amazon, and only Amazon, cancel a dispatched order", () => {
    expect(applyAction(orderIn("dispatched"), { type: "cancel", by: "amazon" }, ctx).state).toBe("cancelled");
    expect(() => applyAction(orderIn("dispatched"), { type: "cancel", by: "seller" }, ctx)).toThrow(
      /only Amazon/,
    );
  });

  it("refuses to print or void when there is no active label", () => {
    const o = { ...orderIn("label_bought"), shipments: [{ ...label(), voidedAt: T0 }] };
    expect(allowedActions(o)).not.toContain("printed");
    expect(() => applyAction(o, sample.printed, ctx)).toThrow(IllegalTransitionError);
  });

  describe("every transition outside the table throws, naming the state and the action", () => {
    for (const state of ORDER_STATES) {
      const order = orderIn(state);
      const allowed = new Set(allowedActions(order));
      for (const type of ORDER_ACTION_TYPES) {
        if (allowed.has(type)) {
          it(`${state} + ${type} is allowed`, () => {
            expect(() => applyAction(order, sample[type], ctx)).not.toThrow();
          });
          continue;
        }
        it(`${state} + ${type} throws`, () => {
          let caught: unknown;
          try {
            applyAction(order, sample[type], ctx);
          } catch (e) {
            caught = e;
          }
          expect(caught).toBeInstanceOf(IllegalTransitionError);
          expect(caught).toBeInstanceOf(ConsignError);
          const err = caught as IllegalTransitionError;
          expect(err.code).toBe("illegal_transition");
          expect(err.status).toBe(409);
          expect(err.state).toBe(state);
          expect(err.action).toBe(type);
          expect(err.message).toContain(`"${type}"`);
          expect(err.message).toContain(order.orderId);
        });
      }
    }
  });

  it("allows what the seller expects in each state", () => {
    expect(allowedActions(orderIn("new"))).toEqual(["markReady", "hold", "cancel"]);
    expect(allowedActions(orderIn("confirmed"))).toEqual([]);
    expect(allowedActions(orderIn("cancelled"))).toEqual([]);
    expect(allowedActions(orderIn("dispatched"))).toEqual(["confirmed", "confirmationFailed"]);
  });
});
