// A year of a busy seller: 1,000 orders a day, each taken through its lifecycle, archived after
// `keepDays` once confirmed, with the room rebasing when tombstones dominate. Used by the bounded-
// document test and the benchmark.

import * as Y from "yjs";
import { applyOrderAction } from "../src/actions.ts";
import { removeOrders, selectForArchive } from "../src/archive.ts";
import { setWork, upsertOrders } from "../src/orders.ts";
import { documentHealth, initialiseGeneration, rebaseDocument, shouldRebase } from "../src/rebase.ts";
import { DAY_MS, makeOrder, makeShipment, orderIdOf } from "./fixtures.ts";

export interface DaySample {
  day: number;
  liveOrders: number;
  /** Encoded size at the end of the day's work, before archiving: the day's peak. */
  peakBytes: number;
  /** Encoded size after the night's archive (and rebase). */
  encodedBytes: number;
  tombstones: number;
  rebased: boolean;
}

export function simulateYear(options: { days?: number; ordersPerDay?: number; keepDays?: number } = {}) {
  const days = options.days ?? 365;
  const perDay = options.ordersPerDay ?? 1_000;
  const keepDays = options.keepDays ?? 3;
  const start = Date.UTC(2026, 0, 1, 6);
  let doc = new Y.Doc();
  initialiseGeneration(doc, "g0");
  let generation = 0;
  let serial = 0;
  const samples: DaySample[] = [];
  const by = { by: "packer-1", at: start };
  for (let day = 0; day < days; day++) {
    const dayStart = start + day * DAY_MS;
    // Morning import: today's orders.
    const fresh = [];
    for (let i = 0; i < perDay; i++) fresh.push(makeOrder(orderIdOf(serial++), dayStart + i * 30_000));
    upsertOrders(doc, fresh, "import");
    // A second import later the same day re-sends them (idempotent) with one change each on some.
    upsertOrders(
      doc,
      fresh.slice(0, perDay / 10).map((o) => ({ ...o, lastUpdated: o.lastUpdated + 1 })),
      "import",
    );
    // The team works through them: package, label, print, dispatch; the room confirms.
    for (const order of fresh) {
      const at = dayStart + 4 * 3_600_000;
      const ctx = { ...by, at };
      setWork(doc, order.orderId, { package: { weightGrams: 420, format: "small-parcel" } }, "tablet");
      applyOrderAction(doc, order.orderId, { type: "markReady" }, ctx);
      applyOrderAction(
        doc,
        order.orderId,
        { type: "labelBought", shipment: makeShipment(order.orderId, at) },
        ctx,
      );
      applyOrderAction(doc, order.orderId, { type: "printed" }, ctx);
      applyOrderAction(doc, order.orderId, { type: "dispatched" }, ctx);
      applyOrderAction(doc, order.orderId, { type: "confirmed", at: at + 3_600_000 }, ctx);
    }
    const peakBytes = Y.encodeStateAsUpdate(doc).byteLength;
    // Night: archive what was confirmed more than keepDays ago, rebase when tombstones dominate.
    const old = selectForArchive(doc, dayStart + DAY_MS - 1, keepDays);
    removeOrders(
      doc,
      old.map((o) => o.orderId),
      "archive",
    );
    let rebased = false;
    const health = documentHealth(doc);
    if (shouldRebase(health)) {
      doc = rebaseDocument(doc, `g${++generation}`);
      rebased = true;
    }
    samples.push({
      day,
      liveOrders: doc.getMap("orders").size,
      peakBytes,
      encodedBytes: Y.encodeStateAsUpdate(doc).byteLength,
      tombstones: documentHealth(doc).tombstones,
      rebased,
    });
  }
  return { doc, samples, generations: generation + 1 };
}
