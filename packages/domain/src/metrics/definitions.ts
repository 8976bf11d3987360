// Amazon's customer metrics for the UK marketplace (see /work/shared/DOMAIN.md): window, target and
// which way the target points. Targets are held in basis points so every status decision is integer
// arithmetic (4% is 400 bp: "3 late out of 75" is compared exactly, with no floating-point edge).

import type { FulfilmentChannel, Millis } from "../order.ts";

export type MetricId =
  | "orderDefectRate"
  | "preFulfilmentCancellationRate"
  | "lateDispatchRate10"
  | "lateDispatchRate30"
  | "validTrackingRate"
  | "onTimeDeliveryRate"
  | "perfectOrderPercentage"
  | "refundRate";

/** "below": the rate must stay under the target (a ceiling); "above": over it (a floor); "none": no target. */
export type Comparator = "below" | "above" | "none";

export type MetricStatus = "healthy" | "at_risk" | "breaching" | "no_data";

/** The three parts of the Order Defect Rate: orders with each (an order may have more than one). */
export interface DefectParts {
  negativeFeedback: number;
  claims: number;
  chargebacks: number;
}

export interface MetricResult {
  metric: MetricId;
  /** Whose orders: seller-fulfilled ("MFN") or fulfilled by Amazon ("AFN"); never both at once. */
  channel: FulfilmentChannel;
  windowDays: number;
  /** First instant of the window (inclusive), epoch ms: 00:00 UTC of its first day (see windows.ts). */
  from: Millis;
  /** Last instant of the window (inclusive): the `now` the metrics were computed at. */
  to: Millis;
  numerator: number;
  denominator: number;
  /** numerator / denominator; null when the window holds nothing to count. */
  rate: number | null;
  /** As a fraction (0.04 for 4%); null when Amazon sets none. */
  target: number | null;
  comparator: Comparator;
  status: MetricStatus;
  /** Order Defect Rate only: how many orders had each kind of defect. */
  parts?: DefectParts;
  /**
   * On-Time Delivery Rate only: parcels in the window whose delivery is not known yet (their courier
   * has not answered since their latest delivery date). They are in neither count; when nothing else
   * is, the rate is null and the status "no_data": no delivery data yet, never 0%.
   */
  awaitingDeliveryData?: number;
}

export interface MetricDefinition {
  metric: MetricId;
  label: string;
  windowDays: number;
  /** Target in basis points (1% = 100); null when Amazon sets none. */
  targetBp: number | null;
  comparator: Comparator;
  /** What one bad order is called in a sentence, singular and plural. */
  badOne: string;
  badMany: string;
  /** How a bad order moves the rate: it arrives as a new order in the window, or turns an order already counted. */
  badArrives: "new" | "existing";
}

export const METRIC_DEFINITIONS: Record<MetricId, MetricDefinition> = {
  orderDefectRate: {
    metric: "orderDefectRate",
    label: "Order Defect Rate",
    windowDays: 60,
    targetBp: 100,
    comparator: "below",
    badOne: "order defect",
    badMany: "order defects",
    // Feedback, claims and chargebacks land on orders already in the window (counted by purchase date).
    badArrives: "existing",
  },
  preFulfilmentCancellationRate: {
    metric: "preFulfilmentCancellationRate",
    label: "Pre-fulfilment Cancellation Rate",
    windowDays: 7,
    targetBp: 250,
    comparator: "below",
    badOne: "seller cancellation",
    badMany: "seller cancellations",
    badArrives: "existing",
  },
  lateDispatchRate10: {
    metric: "lateDispatchRate10",
    label: "Late Dispatch Rate",
    windowDays: 10,
    targetBp: 400,
    comparator: "below",
    badOne: "late dispatch",
    badMany: "late dispatches",
    // An order joins the window when its latest ship date passes.
    badArrives: "new",
  },
  lateDispatchRate30: {
    metric: "lateDispatchRate30",
    label: "Late Dispatch Rate",
    windowDays: 30,
    targetBp: 400,
    comparator: "below",
    badOne: "late dispatch",
    badMany: "late dispatches",
    badArrives: "new",
  },
  validTrackingRate: {
    metric: "validTrackingRate",
    label: "Valid Tracking Rate",
    windowDays: 30,
    targetBp: 9500,
    comparator: "above",
    badOne: "package without valid tracking",
    badMany: "packages without valid tracking",
    badArrives: "new",
  },
  onTimeDeliveryRate: {
    metric: "onTimeDeliveryRate",
    label: "On-Time Delivery Rate",
    windowDays: 14,
    targetBp: 9700,
    comparator: "above",
    badOne: "late delivery",
    badMany: "late deliveries",
    badArrives: "new",
  },
  perfectOrderPercentage: {
    metric: "perfectOrderPercentage",
    label: "Perfect Order Percentage",
    windowDays: 90,
    targetBp: 9500,
    comparator: "above",
    badOne: "imperfect order",
    badMany: "imperfect orders",
    badArrives: "existing",
  },
  refundRate: {
    metric: "refundRate",
    label: "Refund rate",
    windowDays: 30,
    targetBp: null,
    comparator: "none",
    badOne: "refund",
    badMany: "refunds",
    badArrives: "existing",
  },
};

export const METRIC_IDS = Object.keys(METRIC_DEFINITIONS) as MetricId[];
