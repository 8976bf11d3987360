// The SP-API usage plans (default rate and burst) of the operations Consign calls, as stated in the
// models' descriptions (specs/sp-api/orders_2026-01-01.json, ordersV0.json, tokens_2021-03-01.json).

export type SpApiOperation =
  | "searchOrders"
  | "getOrder"
  | "confirmShipment"
  | "updateShipmentStatus"
  | "createRestrictedDataToken";

export interface UsagePlan {
  /** Requests per second, sustained. */
  rate: number;
  /** Requests that may be made at once after a quiet spell. */
  burst: number;
}

export const USAGE_PLANS: Record<SpApiOperation, UsagePlan> = {
  searchOrders: { rate: 0.0056, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  confirmShipment: { rate: 2, burst: 10 },
  updateShipmentStatus: { rate: 5, burst: 15 },
  createRestrictedDataToken: { rate: 1, burst: 10 },
};

/** The plans with every rate multiplied by `rateScale` (tests and the sandbox's `rateScale` switch). */
export function scaledPlans(
  rateScale = 1,
  overrides: Partial<Record<SpApiOperation, UsagePlan>> = {},
): Record<SpApiOperation, UsagePlan> {
  const out = {} as Record<SpApiOperation, UsagePlan>;
  for (const op of Object.keys(USAGE_PLANS) as SpApiOperation[]) {
    const plan = overrides[op] ?? USAGE_PLANS[op];
    out[op] = { rate: plan.rate * rateScale, burst: plan.burst };
  }
  return out;
}
