// The end-of-run counts (issue 22): labels bought, voided and held twice; "printed" edits made on
// tablets and found in the room; confirmations Amazon accepted, missed and duplicated. They count
// every order the room holds: the live document AND the archive, where dispatched orders move a
// few days after they are sent (a month's run would otherwise count most of its prints as lost).

import { type Order, orderHasValidTracking } from "@consign/domain";
import type { PrintEdit } from "./team.ts";
import type { AmazonOutcome } from "./world.ts";

export interface Ledger {
  /** Orders counted, and how many of them were read from the archive. */
  orders: { counted: number; archived: number };
  labelsBought: number;
  labelsVoided: number;
  ordersWithTwoActiveLabels: string[];
  courierPurchases: number;
  editsMade: number;
  editsAcknowledged: number;
  editsLost: string[];
  confirmationsAccepted: number;
  confirmationsRefused: number;
  confirmationsDuplicated: string[];
  confirmationsMissing: string[];
  printToConfirmedMs: number[];
  /** The same for edits made online, and for those made offline counted from the tablet's return. */
  printToConfirmedOnlineMs: number[];
  backOnlineToConfirmedMs: number[];
  /** Each confirmed print: when (simulated time), how long until Amazon had it, and where it was made. */
  printToConfirmed: { at: number; ms: number; offline: boolean }[];
  validTrackingInRoom: { valid: number; of: number };
  /**
   * Order defects (negative feedback, an A-to-z claim) Amazon's buyers gave by the end, and which of
   * those orders the room's copies carry as defects (Consign learns them from Amazon's feedback report
   * every 6 hours and Finances every hour): the ones it does not carry yet, with when they happened.
   */
  defects: { amazon: number; inRoom: number; notInRoom: { orderId: string; at: number; kind: string }[] };
}

/**
 * Every order the room holds, by id: the archive's, then the live document's over them (an order
 * the live document still shows is its newest version; one in both is counted once).
 */
export function roomOrders(live: readonly Order[], archived: readonly Order[]): Map<string, Order> {
  const all = new Map<string, Order>();
  for (const o of archived) all.set(o.orderId, o);
  for (const o of live) all.set(o.orderId, o);
  return all;
}

const SENT = new Set(["printed", "dispatched", "confirmed"]);

/** What Amazon's sandbox and the couriers' say they received (read over their control APIs). */
export interface Received {
  courierPurchases: number;
  confirmations: { accepted: number; refused: number; acceptedTwice: string[] };
  outcomes: readonly AmazonOutcome[];
}

export function countLedger(
  orders: ReadonlyMap<string, Order>,
  archivedIds: ReadonlySet<string>,
  printEdits: readonly PrintEdit[],
  received: Received,
): Ledger {
  let labelsBought = 0;
  let labelsVoided = 0;
  const twoActive: string[] = [];
  let valid = 0;
  let shipped = 0;
  for (const o of orders.values()) {
    labelsBought += o.shipments.length;
    labelsVoided += o.shipments.filter((s) => s.voidedAt !== undefined).length;
    if (o.shipments.filter((s) => s.voidedAt === undefined).length > 1) twoActive.push(o.orderId);
    if (SENT.has(o.state)) {
      shipped++;
      if (orderHasValidTracking(o)) valid++;
    }
  }
  // A "printed" edit is acknowledged when the room's order (live or archived) shows it printed.
  const lost = printEdits.filter((e) => {
    const o = orders.get(e.orderId);
    return !o || !(o.printedAt !== undefined || SENT.has(o.state));
  });
  const byId = new Map(received.outcomes.map((o) => [o.orderId, o]));
  const missing = printEdits
    .filter((e) => {
      const o = orders.get(e.orderId);
      return o && o.state !== "cancelled" && (byId.get(e.orderId)?.confirmationsAccepted ?? 0) === 0;
    })
    .map((e) => e.orderId);
  const printToConfirmed: number[] = [];
  const online: number[] = [];
  const backOnline: number[] = [];
  const detail: Ledger["printToConfirmed"] = [];
  for (const e of printEdits) {
    const c = byId.get(e.orderId)?.confirmedMs;
    if (c == null) continue;
    printToConfirmed.push(c - e.at);
    detail.push({ at: e.at, ms: c - e.at, offline: e.offline });
    if (!e.offline) online.push(c - e.at);
    else if (e.backOnlineAt !== undefined) backOnline.push(c - e.backOnlineAt);
  }
  let archived = 0;
  for (const id of orders.keys()) if (archivedIds.has(id)) archived++;
  const defects: Ledger["defects"] = { amazon: 0, inRoom: 0, notInRoom: [] };
  for (const a of received.outcomes) {
    if (a.negativeFeedbackMs === null && a.claimMs === null) continue;
    defects.amazon++;
    const d = orders.get(a.orderId)?.defects;
    if (d?.negativeFeedbackAt !== undefined || d?.azClaim !== undefined) defects.inRoom++;
    else
      defects.notInRoom.push({
        orderId: a.orderId,
        at: Math.min(a.negativeFeedbackMs ?? Number.POSITIVE_INFINITY, a.claimMs ?? Number.POSITIVE_INFINITY),
        kind: a.negativeFeedbackMs !== null ? "negative feedback" : "A-to-z claim",
      });
  }
  return {
    orders: { counted: orders.size, archived },
    labelsBought,
    labelsVoided,
    ordersWithTwoActiveLabels: twoActive,
    courierPurchases: received.courierPurchases,
    editsMade: printEdits.length,
    editsAcknowledged: printEdits.length - lost.length,
    editsLost: lost.map((e) => e.orderId),
    confirmationsAccepted: received.confirmations.accepted,
    confirmationsRefused: received.confirmations.refused,
    confirmationsDuplicated: received.confirmations.acceptedTwice,
    confirmationsMissing: [...new Set(missing)],
    printToConfirmedMs: printToConfirmed,
    printToConfirmedOnlineMs: online,
    backOnlineToConfirmedMs: backOnline,
    printToConfirmed: detail,
    validTrackingInRoom: { valid, of: shipped },
    defects,
  };
}
