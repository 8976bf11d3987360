// What the extra SP-API operations (Reports, Finances, Listings Items, Solicitations) remember per
// sandbox seller. Kept in the sandbox Worker's memory, keyed by selling partner id: the seller's
// Durable Object (AmazonSellerState) exposes no RPC for its rate-limit buckets or its orders, and
// adding a Durable Object would mean editing wrangler.jsonc. So: state lives as long as the isolate
// (a `wrangler dev` session, one test run); a restart forgets reports, sent solicitations and
// listing pushes, which is fine for a sandbox. Orders are the seller's real demo orders, rebuilt
// with the same deterministic generator from the seed the seller's Durable Object reports.

import { generateOrders } from "../amazon/demo-data.ts";
import type { SandboxOrder } from "../amazon/wire.ts";

export interface StoredReport {
  reportId: string;
  reportType: string;
  marketplaceIds: string[];
  createdMs: number;
  documentId: string;
  /** The document, built when the report was requested. */
  document: string;
  contentType: string;
}

export interface ListingPush {
  sku: string;
  quantity: number | null;
  status: "ACCEPTED" | "INVALID";
  at: string;
  issues: string[];
}

export interface ExtraFaults {
  /** Answer the next N calls with 429 (of the listed operations, or any). */
  throttle?: { next: number; operations?: ExtraOperation[] };
  /** Answer the next N calls with 500/503. */
  serverErrors?: { next: number; status?: 500 | 503; operations?: ExtraOperation[] };
  /** The next N calls are handled (Amazon acts on them) but the answer never arrives. */
  lostAnswers?: { next: number; operations?: ExtraOperation[] };
  /** The next N calls never reach Amazon: the connection drops before anything is handled. */
  lostRequests?: { next: number; operations?: ExtraOperation[] };
  /** patchListingsItem answers INVALID for these SKUs, with this issue message. */
  refuseSkus?: Record<string, string>;
  /** How long a report takes from IN_QUEUE to DONE (sandbox clock). Default 2000 ms. */
  reportProcessingMs?: number;
  /** Transactions per listTransactions page. Default 10. */
  financesPageSize?: number;
}

export type ExtraOperation =
  | "createReport"
  | "getReport"
  | "getReportDocument"
  | "listTransactions"
  | "patchListingsItem"
  | "getSolicitationActionsForOrder"
  | "createProductReviewAndSellerFeedbackSolicitation";

/** Usage plans from the models' descriptions (requests per second, burst). */
export const EXTRA_PLANS: Record<ExtraOperation, { rate: number; burst: number }> = {
  createReport: { rate: 0.0167, burst: 15 },
  getReport: { rate: 2, burst: 15 },
  getReportDocument: { rate: 0.0167, burst: 15 },
  listTransactions: { rate: 0.5, burst: 10 },
  patchListingsItem: { rate: 5, burst: 5 },
  getSolicitationActionsForOrder: { rate: 1, burst: 5 },
  createProductReviewAndSellerFeedbackSolicitation: { rate: 1, burst: 5 },
};

export interface SellerExtra {
  reports: Map<string, StoredReport>;
  solicitations: Map<string, number>;
  /** Solicitations Amazon refused (a second one for an order, or outside the window). */
  refusedSolicitations: { orderId: string; at: number; reason: string }[];
  listings: Map<string, ListingPush[]>;
  buckets: Map<string, { tokens: number; updatedMs: number; rateScale: number }>;
  faults: ExtraFaults;
  sequence: number;
}

const sellers = new Map<string, SellerExtra>();

export function sellerExtra(sellerId: string): SellerExtra {
  let s = sellers.get(sellerId);
  if (!s) {
    s = {
      reports: new Map(),
      solicitations: new Map(),
      refusedSolicitations: [],
      listings: new Map(),
      buckets: new Map(),
      faults: {},
      sequence: 0,
    };
    sellers.set(sellerId, s);
  }
  return s;
}

/** Takes one token from the seller's bucket for `op`; false means 429. */
export function takeToken(s: SellerExtra, op: ExtraOperation, rateScale: number, now: number): boolean {
  const plan = EXTRA_PLANS[op];
  const rate = plan.rate * rateScale;
  const b = s.buckets.get(op);
  let tokens =
    b && b.rateScale === rateScale
      ? Math.min(plan.burst, b.tokens + (Math.max(0, now - b.updatedMs) / 1000) * rate)
      : plan.burst;
  const ok = tokens >= 1;
  if (ok) tokens -= 1;
  s.buckets.set(op, { tokens, updatedMs: Math.max(now, b?.updatedMs ?? 0), rateScale });
  return ok;
}

/** Counts down a `next` fault switch for `op`; returns the fault to answer with, if any. */
export function rollExtraFault(s: SellerExtra, op: ExtraOperation): "throttle" | 500 | 503 | null {
  const t = s.faults.throttle;
  if (t && t.next > 0 && (!t.operations || t.operations.includes(op))) {
    t.next -= 1;
    return "throttle";
  }
  const e = s.faults.serverErrors;
  if (e && e.next > 0 && (!e.operations || e.operations.includes(op))) {
    e.next -= 1;
    return e.status ?? 503;
  }
  return null;
}

/** Counts down a lost-connection switch for `op`: drop the request, or act and drop the answer. */
export function rollLostConnection(s: SellerExtra, op: ExtraOperation): "request" | "answer" | null {
  for (const [key, kind] of [
    ["lostRequests", "request"],
    ["lostAnswers", "answer"],
  ] as const) {
    const f = s.faults[key];
    if (f && f.next > 0 && (!f.operations || f.operations.includes(op))) {
      f.next -= 1;
      return kind;
    }
  }
  return null;
}

export interface SeededInfo {
  at: number;
  orders: number;
  historyDays: number;
  seed: string | number;
  unshipped?: number;
  arrivalsPerHour?: number;
  arrivalHours?: number;
}

const orderCache = new Map<string, SandboxOrder[]>();

/** The seller's demo orders as its Durable Object generated them at seeding time. */
export function sellerOrders(sellerId: string, seeded: SeededInfo | null): SandboxOrder[] {
  if (!seeded) return [];
  const key = `${sellerId}|${JSON.stringify(seeded)}`;
  let orders = orderCache.get(key);
  if (!orders) {
    const { at, ...opts } = seeded;
    orders = generateOrders({ ...opts, sellingPartnerId: sellerId, now: at });
    if (orderCache.size > 50) orderCache.clear();
    orderCache.set(key, orders);
  }
  return orders;
}

export function nextId(s: SellerExtra, prefix: string): string {
  s.sequence += 1;
  return `${prefix}${String(50_000_000 + s.sequence * 7919)}`;
}
