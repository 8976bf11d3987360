// Labels for a run of hundreds of orders. The caller (the SellerRoom) has already chosen each
// order's courier and service from the seller's shipping rules. Orders are bought through the
// ledger (so a repeated or concurrent run never buys twice), several at a time per courier, while
// each courier's rate limiter (see couriers.ts) spaces the actual calls. Each result is reported as
// it lands; a failure records why and the rest go on.
import type { CourierId } from "@consign/domain";
import type { LabelLedger, LabelRequest } from "./ledger.ts";

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
  /** Purchases in flight at once per courier (default 5). The rate limiter does the pacing. */
  concurrencyPerCourier?: number | Partial<Record<CourierId, number>>;
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

  const runCourier = async (courier: CourierId, queue: LabelRequest[]) => {
    const c = options.concurrencyPerCourier;
    const width = Math.max(1, (typeof c === "number" ? c : c?.[courier]) ?? 5);
    let next = 0;
    const worker = async () => {
      while (next < queue.length) {
        const order = queue[next++]!;
        try {
          const record = await options.ledger.buyLabel(order);
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
      }
    };
    await Promise.all(Array.from({ length: Math.min(width, queue.length) }, worker));
  };

  await Promise.all([...byCourier].map(([courier, queue]) => runCourier(courier, queue)));
  let bought = 0;
  for (const r of results.values()) if (r.state === "bought") bought++;
  return { bought, failed: results.size - bought, results };
}
