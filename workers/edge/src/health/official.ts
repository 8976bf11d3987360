// Amazon's own account-health figures beside Consign's, row by row, with why they differ. Pure.
//
// Ours is counted up to the last day of Amazon's own reporting range (the metrics at that instant),
// so the two cover the same whole UTC days wherever the window lengths agree, and a difference left
// is about data (what Amazon knows that Consign does not), not timing. Without a report, ours is now.

import type { AccountMetrics, MetricId } from "@consign/domain";
import type { OfficialHealth, OfficialRate } from "@consign/sp-api";
import { compare } from "./compare.ts";

/**
 * Amazon's figures and ours, one row per figure Amazon reports, with what Amazon knows that Consign
 * may not (said when the two differ).
 */
export const OFFICIAL_FIGURES: {
  metric: MetricId;
  channel: "MFN" | "AFN";
  key: keyof OfficialHealth;
  amazonKnows: string;
}[] = [
  {
    metric: "orderDefectRate",
    channel: "MFN",
    key: "orderDefectRate",
    amazonKnows:
      "Amazon has every claim, chargeback and feedback as it arrives; Consign learns of them from Amazon's reports every 6 hours.",
  },
  {
    metric: "orderDefectRate",
    channel: "AFN",
    key: "fbaOrderDefectRate",
    amazonKnows:
      "FBA orders reach Consign only through the order import; Amazon has all of them and every claim on them.",
  },
  {
    metric: "lateDispatchRate30",
    channel: "MFN",
    key: "lateDispatchRate",
    amazonKnows:
      "Amazon also counts orders confirmed outside Consign (Seller Central or another tool), at the moment each confirmation reached it.",
  },
  {
    metric: "preFulfilmentCancellationRate",
    channel: "MFN",
    key: "preFulfilmentCancellationRate",
    amazonKnows: "Cancellations made in Seller Central reach Consign with the next order import.",
  },
  {
    metric: "validTrackingRate",
    channel: "MFN",
    key: "validTrackingRate",
    amazonKnows:
      "Amazon checks each tracking number against the carrier's scans; Consign checks its format and the time it was confirmed.",
  },
  {
    metric: "onTimeDeliveryRate",
    channel: "MFN",
    key: "onTimeDeliveryRate",
    amazonKnows:
      "Amazon has the carriers' delivery scans for every parcel; Consign counts a parcel delivered only once tracking has told it.",
  },
];

/** Amazon writes the last minute of a range ("…T23:59Z"): its range ends at the end of that minute. */
const endOfMinute = (iso: string) => Date.parse(iso) + 59_999;

export interface OfficialComparison {
  metric: MetricId;
  channel: "MFN" | "AFN";
  ours: { rate: number | null; numerator: number; denominator: number; from: number; to: number };
  amazon: OfficialRate | null;
  same: boolean;
  reasons: string[];
}

export function officialComparisons(
  official: OfficialHealth | undefined,
  metricsAt: (at: number) => AccountMetrics,
  now: number,
): OfficialComparison[] {
  const computed = new Map<number, AccountMetrics>();
  const oursAt = (t: number) => {
    const known = computed.get(t);
    if (known !== undefined) return known;
    const m = metricsAt(t);
    computed.set(t, m);
    return m;
  };
  return OFFICIAL_FIGURES.map(({ metric, channel, key, amazonKnows }) => {
    const reported = official?.[key];
    const theirs = typeof reported === "object" ? reported : undefined;
    const end = theirs?.to ? Math.min(now, endOfMinute(theirs.to)) : now;
    const figures = oursAt(end);
    const mine = channel === "MFN" ? figures.mfn[metric] : figures.afn.orderDefectRate;
    const explained = compare(theirs, {
      from: mine.from,
      to: mine.to,
      total: mine.denominator,
      count: mine.numerator,
    });
    return {
      metric,
      channel,
      ours: {
        rate: mine.rate,
        numerator: mine.numerator,
        denominator: mine.denominator,
        from: mine.from,
        to: mine.to,
      },
      amazon: theirs ?? null,
      same: explained.same,
      reasons:
        explained.same || theirs === undefined ? explained.reasons : [...explained.reasons, amazonKnows],
    };
  });
}
