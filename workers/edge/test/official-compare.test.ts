// Amazon's own figures beside ours: ours counted over the days Amazon's report covers, FBA apart,
// and each difference explained in words. Hand-computed fixture.
import { computeMetrics, type Order } from "@consign/domain";
import { makeOrder } from "@consign/domain/testing";
import type { OfficialHealth } from "@consign/sp-api";
import { describe, expect, it } from "vitest";
import { officialComparisons } from "../src/health/official.ts";

const NOW = Date.UTC(2026, 10, 25, 12);
const at = (m: number, d: number) => Date.UTC(2026, m, d, 10);

const orders: Order[] = [
  // purchased 1 Nov, confirmed on time, A-to-z claim granted 5 Nov: a defect in ODR
  makeOrder({
    orderId: "202-A",
    purchaseDate: at(10, 1),
    state: "confirmed",
    confirmation: { state: "confirmed", confirmedAt: at(10, 2), attempts: 1 },
    defects: { azClaim: { at: at(10, 5), denied: false, outcome: "granted" } },
  }),
  // purchased 1 Oct, clean
  makeOrder({ orderId: "202-B", purchaseDate: at(9, 1) }),
  // purchased 20 Nov, after Amazon's ODR range; its ship date (22 Nov) passed unconfirmed: late
  makeOrder({ orderId: "202-C", purchaseDate: at(10, 20) }),
  // FBA, purchased 15 Oct, clean
  makeOrder({ orderId: "203-D", purchaseDate: at(9, 15), fulfilmentChannel: "AFN" }),
];

const official: OfficialHealth = {
  marketplaceId: "A1F83G8C2ARO7P",
  // 60 days ending 14 days back, as Amazon's report draws ODR
  orderDefectRate: { from: "2026-09-13T00:00:00.000Z", to: "2026-11-11T23:59:00.000Z", total: 2, count: 1 },
  fbaOrderDefectRate: {
    from: "2026-09-13T00:00:00.000Z",
    to: "2026-11-11T23:59:00.000Z",
    total: 1,
    count: 0,
  },
  // Amazon does not count the unshipped order C yet
  lateDispatchRate: { from: "2026-10-27T00:00:00.000Z", to: "2026-11-25T23:59:00.000Z", total: 1, count: 0 },
};

describe("Amazon's figures beside ours", () => {
  const rows = officialComparisons(official, (t) => computeMetrics(orders, t), NOW);
  const row = (metric: string, channel = "MFN") =>
    rows.find((r) => r.metric === metric && r.channel === channel)!;

  it("counts ours over Amazon's own range, so the same days give the same figure", () => {
    const odr = row("orderDefectRate");
    expect(odr.ours).toMatchObject({
      numerator: 1,
      denominator: 2,
      from: Date.UTC(2026, 8, 13),
      to: Date.UTC(2026, 10, 11, 23, 59, 59, 999),
    });
    expect(odr).toMatchObject({ same: true, reasons: [] });
  });

  it("compares FBA's order defect rate with FBA's, apart from the seller-fulfilled one", () => {
    expect(row("orderDefectRate", "AFN")).toMatchObject({
      ours: { numerator: 0, denominator: 1 },
      amazon: { total: 1, count: 0 },
      same: true,
    });
  });

  it("says in words why a figure differs: counts, and what Amazon knows that we do not", () => {
    const lsr = row("lateDispatchRate30");
    expect(lsr.ours).toMatchObject({ numerator: 1, denominator: 2, to: NOW });
    expect(lsr.same).toBe(false);
    expect(lsr.reasons).toEqual([
      "Differs by 1 order counted (we count more).",
      "Differs by 1 order (we count more).",
      expect.stringMatching(/^Amazon also counts orders confirmed outside Consign/),
    ]);
  });

  it("says when Amazon has not reported a figure, and still gives ours now", () => {
    const vtr = row("validTrackingRate");
    expect(vtr.amazon).toBeNull();
    expect(vtr.reasons).toEqual(["Amazon has not reported this figure yet."]);
    expect(vtr.ours.to).toBe(NOW);
    expect(rows).toHaveLength(6);
  });
});
