// The order's working lifecycle in the warehouse, as a pure state machine.
//
//   new ─markReady→ ready ─labelBought→ label_bought ─printed→ printed ─dispatched→ dispatched ─confirmed→ confirmed
//                     ↑                      │   └──────────dispatched──────────↑
//                     └──────voidLabel───────┴── (from printed too; labelRevision + 1)
//   hold: new | ready | label_bought | printed → on_hold;  release: on_hold → the state it was held from
//   cancel: any state before dispatch → cancelled (Amazon may also cancel a dispatched order it never saw confirmed)
//
// Every change returns a new Order with one more history entry; an illegal change throws, never passes silently.

import { ConsignError, ErrorCode } from "./errors.ts";
import type { CancelledBy, Millis, Order, OrderState, Shipment } from "./order.ts";
import { activeShipment } from "./order.ts";

export type OrderAction =
  | { type: "markReady" }
  | { type: "labelBought"; shipment: Shipment }
  | { type: "printed" }
  | { type: "dispatched" }
  | { type: "confirmed"; at: Millis }
  | { type: "confirmationFailed"; error: string; permanent: boolean }
  | { type: "hold"; until?: Millis; reason?: string }
  | { type: "release" }
  | { type: "cancel"; by: CancelledBy; reason?: string }
  | { type: "voidLabel" };

export type OrderActionType = OrderAction["type"];

/** Who did it and when: recorded in the order's history. */
export interface ActionContext {
  at: Millis;
  by: string;
  /** The device it was done on, written into the history where known. */
  device?: string;
}

export const ORDER_ACTION_TYPES: readonly OrderActionType[] = [
  "markReady",
  "labelBought",
  "printed",
  "dispatched",
  "confirmed",
  "confirmationFailed",
  "hold",
  "release",
  "cancel",
  "voidLabel",
];

export const ORDER_STATES: readonly OrderState[] = [
  "new",
  "ready",
  "label_bought",
  "printed",
  "dispatched",
  "confirmed",
  "on_hold",
  "cancelled",
];

const BEFORE_DISPATCH: readonly OrderState[] = ["new", "ready", "label_bought", "printed"];

/** The states each action may start from. */
const ALLOWED_FROM: Record<OrderActionType, readonly OrderState[]> = {
  markReady: ["new"],
  labelBought: ["ready"],
  // A label may be printed again (a jammed printer); printing needs a label.
  printed: ["label_bought", "printed"],
  // Some teams hand parcels over without printing through Consign.
  dispatched: ["label_bought", "printed"],
  // Confirmation may be sent as soon as a label exists; Amazon's answer is what counts.
  confirmed: ["label_bought", "printed", "dispatched"],
  confirmationFailed: ["label_bought", "printed", "dispatched"],
  hold: BEFORE_DISPATCH,
  release: ["on_hold"],
  cancel: [...BEFORE_DISPATCH, "on_hold"],
  voidLabel: ["label_bought", "printed"],
};

/** Thrown when an action does not apply to the order's current state. */
export class IllegalTransitionError extends ConsignError {
  constructor(
    readonly orderId: string,
    readonly state: OrderState,
    readonly action: OrderActionType,
    why?: string,
  ) {
    super(
      ErrorCode.IllegalTransition,
      `Order ${orderId} is ${describeState(state)}: "${action}" is not possible now${why ? ` (${why})` : ""}.`,
      [{ path: "state", message: `cannot ${action} from ${state}` }],
    );
  }
}

export function describeState(state: OrderState): string {
  switch (state) {
    case "new":
      return "new";
    case "ready":
      return "ready to pack";
    case "label_bought":
      return "label bought";
    case "printed":
      return "printed";
    case "dispatched":
      return "dispatched (not yet confirmed on Amazon)";
    case "confirmed":
      return "confirmed on Amazon";
    case "on_hold":
      return "on hold";
    case "cancelled":
      return "cancelled";
  }
}

/** Why the action cannot apply: null when it can, "" when the state table alone forbids it. */
function refusal(order: Order, action: OrderAction): string | null {
  const amazonCancelsDispatched =
    action.type === "cancel" && order.state === "dispatched" && action.by === "amazon";
  if (!ALLOWED_FROM[action.type].includes(order.state) && !amazonCancelsDispatched) {
    if (action.type === "cancel" && order.state === "dispatched") {
      return "the parcel has left; only Amazon cancels a dispatched order it never saw confirmed";
    }
    return "";
  }
  const needsLabel = action.type === "voidLabel" || action.type === "printed" || action.type === "dispatched";
  if (needsLabel && activeShipment(order) === undefined) return "there is no active label";
  return null;
}

/** The actions a person can take on this order now. */
export function allowedActions(order: Order): OrderActionType[] {
  const out: OrderActionType[] = [];
  for (const type of ORDER_ACTION_TYPES) {
    if (!ALLOWED_FROM[type].includes(order.state)) continue;
    if ((type === "voidLabel" || type === "printed" || type === "dispatched") && !activeShipment(order))
      continue;
    out.push(type);
  }
  return out;
}

/** True when the action applies to the order as it stands. */
export function canApply(order: Order, action: OrderAction): boolean {
  return refusal(order, action) === null;
}

/** Applies one action: returns a new Order with a history entry appended, or throws IllegalTransitionError. */
export function applyAction(order: Order, action: OrderAction, ctx: ActionContext): Order {
  const why = refusal(order, action);
  if (why !== null)
    throw new IllegalTransitionError(order.orderId, order.state, action.type, why || undefined);
  const next = transition(order, action, ctx);
  const entry = {
    at: ctx.at,
    by: ctx.by,
    ...(ctx.device ? { device: ctx.device } : {}),
    action: action.type,
    ...detailOf(order, action),
  };
  return {
    ...next,
    lastUpdated: Math.max(order.lastUpdated, ctx.at),
    history: [...(order.history ?? []), entry],
  };
}

function detailOf(order: Order, action: OrderAction): { detail?: string } {
  switch (action.type) {
    case "labelBought":
      return {
        detail: `${action.shipment.courier} ${action.shipment.serviceCode} ${action.shipment.trackingNumber}`,
      };
    case "confirmationFailed":
      return { detail: `${action.permanent ? "refused" : "will retry"}: ${action.error}` };
    case "hold":
      return {
        detail:
          [action.reason, action.until === undefined ? undefined : `until ${action.until}`]
            .filter(Boolean)
            .join(", ") || undefined,
      };
    case "cancel": {
      const labelLeft = activeShipment(order) ? "; a label is still active: void it with the courier" : "";
      return { detail: `by ${action.by}${action.reason ? `: ${action.reason}` : ""}${labelLeft}` };
    }
    case "voidLabel":
      return { detail: `label revision ${order.labelRevision} voided` };
    default:
      return {};
  }
}

function transition(order: Order, action: OrderAction, ctx: ActionContext): Order {
  switch (action.type) {
    case "markReady":
      return { ...order, state: "ready" };
    case "labelBought":
      return {
        ...order,
        state: "label_bought",
        shipments: [...order.shipments, action.shipment],
      };
    case "printed":
      return { ...order, state: "printed", printedAt: ctx.at };
    case "dispatched":
      return {
        ...order,
        state: "dispatched",
        dispatchedAt: ctx.at,
        confirmation:
          order.confirmation.state === "none"
            ? { ...order.confirmation, state: "pending" }
            : order.confirmation,
      };
    case "confirmed":
      return {
        ...order,
        state: "confirmed",
        dispatchedAt: order.dispatchedAt ?? action.at,
        confirmation: {
          state: "confirmed",
          confirmedAt: action.at,
          attempts: order.confirmation.attempts + 1,
        },
      };
    case "confirmationFailed":
      return {
        ...order,
        confirmation: {
          state: "failed",
          attempts: order.confirmation.attempts + 1,
          error: action.error,
          needsAttention: action.permanent,
        },
      };
    case "hold": {
      const { holdUntil: _old, ...rest } = order;
      return {
        ...rest,
        state: "on_hold",
        heldFrom: order.state,
        ...(action.until === undefined ? {} : { holdUntil: action.until }),
      };
    }
    case "release": {
      const { heldFrom, holdUntil: _u, ...rest } = order;
      return { ...rest, state: heldFrom ?? "new" };
    }
    case "cancel":
      return { ...order, state: "cancelled", cancelledBy: action.by, cancelledAt: ctx.at };
    case "voidLabel": {
      const active = activeShipment(order);
      return {
        ...order,
        state: "ready",
        labelRevision: order.labelRevision + 1,
        shipments: order.shipments.map((s) => (s === active ? { ...s, voidedAt: ctx.at } : s)),
        printedAt: undefined,
      };
    }
  }
}
