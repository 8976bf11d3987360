import type { Order } from "@consign/domain";
import { readOrder, upsertOrders } from "@consign/sync";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { landDefects } from "../src/health/land-defects.ts";
import { classifyTransactions } from "../src/health/refund-sync.ts";
import { order } from "./sync-fixtures.ts";

function targets() {
  const doc = new Y.Doc();
  upsertOrders(doc, [order("202-LIVE-1")], "import");
  const stored = new Map<string, Order>([["202-OLD-1", order("202-OLD-1")]]);
  const puts: Order[][] = [];
  let transactions = 0;
  return {
    doc,
    puts,
    transactions: () => transactions,
    room: {
      doc,
      transact: (fn: (d: Y.Doc) => void) => {
        transactions += 1;
        doc.transact(() => fn(doc));
      },
    },
    archive: {
      get: (id: string) => stored.get(id),
      put: (orders: Order[]) => {
        puts.push(orders);
        for (const o of orders) stored.set(o.orderId, o);
      },
    },
  };
}

describe("landing defects on orders", () => {
  it("lands on the live order, else the archived one, merging several for one archived order", () => {
    const t = targets();
    const landed = landDefects(
      t,
      [
        { orderId: "202-LIVE-1", defects: { refundedAt: 10 } },
        { orderId: "202-OLD-1", defects: { refundedAt: 20 } },
        { orderId: "202-OLD-1", defects: { chargebackAt: 30 } },
        { orderId: "202-GONE-1", defects: { chargebackAt: 40 } },
      ],
      1_000,
    );
    expect(landed).toEqual({ live: 1, archived: 1, unknown: ["202-GONE-1"] });
    expect(readOrder(t.doc, "202-LIVE-1")?.defects).toEqual({ refundedAt: 10 });
    // One archive write, holding both the refund and the chargeback.
    expect(t.puts).toHaveLength(1);
    expect(t.archive.get("202-OLD-1")?.defects).toEqual({ refundedAt: 20, chargebackAt: 30 });
    expect(t.transactions()).toBe(1);
  });

  it("keeps what an order already had and adds the new defect", () => {
    const t = targets();
    landDefects(t, [{ orderId: "202-LIVE-1", defects: { refundedAt: 10 } }], 1);
    landDefects(t, [{ orderId: "202-LIVE-1", defects: { azClaim: { at: 20, denied: false } } }], 2);
    expect(readOrder(t.doc, "202-LIVE-1")?.defects).toEqual({
      refundedAt: 10,
      azClaim: { at: 20, denied: false },
    });
  });

  it("reads refunds, claims (a reversal denies the claim) and chargebacks from Finances", () => {
    const tx = (type: string, description: string, at: number, amount = -5) => ({
      t: { transactionType: type, description, totalAmount: { currencyAmount: amount, currencyCode: "GBP" } },
      orderId: "202-A",
      at,
    });
    const { refunds, defects } = classifyTransactions([
      tx("Adjustment", "A-to-z Guarantee Claim reversal", 30, 5),
      tx("Refund", "Refund for return", 10),
      tx("Adjustment", "A-to-z Guarantee Claim", 20),
      tx("Adjustment", "Chargeback Refund", 40),
    ]);
    expect(refunds).toEqual([{ orderId: "202-A", refundedAt: 10 }]);
    expect(defects).toEqual([
      { orderId: "202-A", defects: { azClaim: { at: 20, denied: true }, chargebackAt: 40 } },
    ]);
  });
});
