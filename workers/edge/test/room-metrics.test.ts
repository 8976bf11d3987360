// The API's metrics come from an in-memory ledger of the archive kept current as orders are
// archived and defects land on them: it must always equal computing them afresh over the live
// document and the archive (what the room did before, parsing every archived order per call).

import { runInDurableObject } from "cloudflare:test";
import { computeMetrics, type Order } from "@consign/domain";
import { generateOrders } from "@consign/domain/testing";
import { describe, expect, it } from "vitest";
import { OrderArchive } from "../src/room/archive.ts";
import { RoomMetrics } from "../src/room/metrics.ts";
import { room } from "./sync-helpers.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 12);

describe("the room's metrics over live orders and the archive", () => {
  it("equal a fresh computation as orders are archived, defects land and orders leave", async () => {
    await runInDurableObject(room("room-metrics"), async (_instance, state) => {
      const archive = new OrderArchive(state.storage.sql);
      const metrics = new RoomMetrics(archive);
      const all = generateOrders(3_000, { seed: 11, now: NOW, days: 100 });
      const isOld = (o: Order) => o.purchaseDate < NOW - 5 * DAY;
      let live = all.filter((o) => !isOld(o));
      archive.put(all.filter(isOld), NOW);
      const fresh = () => {
        const ids = new Set(live.map((o) => o.orderId));
        const older = archive.between(NOW - 120 * DAY, NOW).filter((o) => !ids.has(o.orderId));
        return computeMetrics([...live, ...older], NOW);
      };
      expect(metrics.metricsAt(live, NOW)).toEqual(fresh());

      // Negative feedback lands on ten archived, dispatched orders: the defect rate moves.
      const before = metrics.metricsAt(live, NOW);
      const hit = archive
        .between(NOW - 50 * DAY, NOW - 10 * DAY)
        .filter((o) => o.dispatchedAt !== undefined && !o.defects)
        .slice(0, 10)
        .map((o) => ({ ...o, defects: { negativeFeedbackAt: NOW - 2 * DAY } }));
      expect(hit).toHaveLength(10);
      archive.put(hit, NOW);
      const after = metrics.metricsAt(live, NOW);
      expect(after).toEqual(fresh());
      expect(after).not.toEqual(before);

      // Half the live orders move to the archive; one live order vanishes without being archived.
      const moving = live.slice(0, Math.floor(live.length / 2));
      archive.put(moving, NOW);
      live = live.slice(moving.length + 1);
      expect(metrics.metricsAt(live, NOW)).toEqual(fresh());
    });
  });

  it("count today's archive even when the first figures asked for were a past day's (Amazon's report ends days ago)", async () => {
    await runInDurableObject(room("room-metrics-past-first"), async (_instance, state) => {
      const archive = new OrderArchive(state.storage.sql);
      const metrics = new RoomMetrics(archive);
      const all = generateOrders(2_000, { seed: 12, now: NOW, days: 100 });
      // Sent more than two days ago: archived. The last two days' orders are live.
      const isOld = (o: Order) => o.purchaseDate < NOW - 2 * DAY;
      const live = all.filter((o) => !isOld(o));
      const archived = all.filter(isOld);
      archive.put(archived, NOW);
      // The comparison with Amazon's report asks first, at the end of the report's range (5 days ago).
      const past = NOW - 5 * DAY;
      metrics.metricsAt(live, past);
      // Then the API asks about now: the archived orders bought in the last 5 days count too.
      const ids = new Set(live.map((o) => o.orderId));
      const expected = computeMetrics(
        [...live, ...archive.between(NOW - 120 * DAY, NOW).filter((o) => !ids.has(o.orderId))],
        NOW,
      );
      expect(archived.filter((o) => o.purchaseDate >= past).length).toBeGreaterThan(20);
      expect(metrics.metricsAt(live, NOW)).toEqual(expected);
    });
  });
});
