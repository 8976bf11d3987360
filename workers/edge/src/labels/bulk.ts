// Labels for a run of hundreds of orders. The caller (the SellerRoom) has already chosen each
// order's courier and service from the seller's shipping rules. Orders are bought through the
// ledger (so a repeated or concurrent run never buys twice), every courier at once and several
// calls in flight per courier, while each courier's rate limiter (see couriers.ts) spaces the
// actual calls; Royal Mail's Click & Drop takes up to 25 orders a call (ledger.buyLabels). Each result is reported as
// it lands; a failure records why and the rest go on.

import type { BatchPurchasing } from "@consign/couriers";
import type { CourierId } from "@consign/domain";
import type { LabelLedger, LabelRecord, LabelRequest } from "./ledger.ts";

/** The courier's batch purchasing, when it has one and is connected. */
function batchingOf(ledger: LabelLedger, courier: CourierId): BatchPurchasing | undefined {
  try {
    return ledger.adapterOf(courier).batch;
  } catch {
    return undefined; // not connected: each order fails with the reason through buyLabel
  }
}

export interface BulkProgress {
  state: "bought" | "failed";
  trackingNumber?: string;
  /** Why it failed, in words a packer can act on. */
  error?: string;
}

export interface BulkOptions {
  ledger: LabelLedger;
  /** Written into the Yjs document by the caller so every device sees progress. */
  onProgress(orderId: string, progress: BulkProgress): void | Promise<void>;
  /** Calls in flight at once per courier (default 10, or 5 batch calls). The rate limiter does the pacing. */
  concurrencyPerCourier?: number | Partial<Record<CourierId, number>>;
  /**
   * Orders a call for couriers that take several (Click & Drop): at most the adapter's maximum,
   * which is the default; 1 buys one order a call (the baseline the benchmark compares with).
   */
  ordersPerCall?: number;
}

export interface BulkSummary {
  bought: number;
  failed: number;
  results: Map<string, BulkProgress>;
}

export async function buyLabelsInBulk(
  orders: readonly LabelRequest[],
  options: BulkOptions,
): Promise<BulkSummary> {
  const byCourier = new Map<CourierId, LabelRequest[]>();
  const seen = new Set<string>();
  for (const order of orders) {
    if (seen.has(order.orderId)) continue; // the same order twice in one run is one label
    seen.add(order.orderId);
    const list = byCourier.get(order.courier) ?? [];
    list.push(order);
    byCourier.set(order.courier, list);
  }

  const results = new Map<string, BulkProgress>();
  const report = async (orderId: string, progress: BulkProgress) => {
    results.set(orderId, progress);
    try {
      await options.onProgress(orderId, progress);
    } catch {
      // A progress writer that fails must not stop the purchases; the ledger has the truth.
    }
  };

  const settle = async (order: LabelRequest, purchase: Promise<LabelRecord>) => {
    try {
      const record = await purchase;
      await report(order.orderId, {
        state: "bought",
        ...(record.trackingNumber ? { trackingNumber: record.trackingNumber } : {}),
      });
    } catch (error) {
      await report(order.orderId, {
        state: "failed",
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };

  // Every courier at once, each paced by its own rate limiter (couriers.ts): a slow courier never
  // holds up another's orders.
  const runCourier = async (courier: CourierId, queue: LabelRequest[]) => {
    const c = options.concurrencyPerCourier;
    const batch = batchingOf(options.ledger, courier);
    // Enough calls in flight that a courier answering in over a second still meets its limit (the
    // limiter keeps the pace): 10 one-order calls, or 5 batches of up to 25.
    const width = Math.max(1, (typeof c === "number" ? c : c?.[courier]) ?? (batch ? 5 : 10));
    // A courier that takes several orders a call gets them `perCall` at a time; others one at a time.
    const perCall = batch
      ? Math.max(1, Math.min(options.ordersPerCall ?? batch.maxPerCall, batch.maxPerCall))
      : 1;
    const chunks: LabelRequest[][] = [];
    for (let i = 0; i < queue.length; i += perCall) chunks.push(queue.slice(i, i + perCall));
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++]!;
        if (perCall === 1 && chunk.length === 1) {
          await settle(chunk[0]!, options.ledger.buyLabel(chunk[0]!));
          continue;
        }
        const purchases = options.ledger.buyLabels(chunk);
        await Promise.all(chunk.map((order, i) => settle(order, purchases[i]!)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(width, chunks.length) }, worker));
  };

  await Promise.all([...byCourier].map(([courier, queue]) => runCourier(courier, queue)));
  let bought = 0;
  for (const r of results.values()) if (r.state === "bought") bought++;
  return { bought, failed: results.size - bought, results };
}
