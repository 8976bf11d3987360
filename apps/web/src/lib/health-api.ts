// Amazon's own account-health figures beside ours, and stock: read from the edge (the room keeps
// them), written through the edge so concurrent changes from several devices add up.
import * as api from "./api.ts";

export interface OfficialComparison {
  metric: string;
  /** "MFN": seller-fulfilled; "AFN": FBA, reported apart. */
  channel: "MFN" | "AFN";
  ours: { rate: number | null; numerator: number; denominator: number; from: number; to: number };
  amazon: {
    rate?: number;
    count?: number;
    total?: number;
    from?: string;
    to?: string;
    status?: string;
  } | null;
  same: boolean;
  reasons: string[];
}

export interface OfficialHealth {
  fetchedAt: number | null;
  accountHealthRating: string | null;
  comparisons: OfficialComparison[];
}

export interface StockView {
  levels: Record<string, number>;
  available: Record<string, number>;
  unfillable: { orderId: string; short: { sku: string; needed: number; available: number }[] }[];
  lowStock: { sku: string; available: number }[];
  pushedToAmazon: { sku: string; state: string; quantity: number; issue?: string | null }[];
}

export const getOfficialHealth = () => api.getJson<OfficialHealth>("/api/v1/health/official");
export const getStock = () => api.getJson<StockView>("/api/v1/stock");
export const adjustStock = (changes: { sku: string; delta: number }[]) =>
  api.postJson<StockView>("/api/v1/stock/adjustments", { changes });

export const getReviewRequests = () => api.getJson<{ enabled: boolean }>("/api/v1/settings/review-requests");
export const setReviewRequests = (enabled: boolean) =>
  api.putJson<{ enabled: boolean }>("/api/v1/settings/review-requests", { enabled });
