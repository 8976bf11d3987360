// Amazon's seller performance report (GET_V2_SELLER_PERFORMANCE_REPORT), read with a schema written
// from accountHealthReport-2020-11-18.json. Tolerant on purpose: Amazon leaves sections out (and its
// own example spells some differently), so every section and figure is optional. A missing figure
// stays `undefined`, never 0: "Amazon did not say" is not "none".

import { z } from "zod";

const num = z.number().optional();
const int = z.number().int().optional();
const Status = z.string().optional();
const Range = z
  .looseObject({ reportingDateFrom: z.string().optional(), reportingDateTo: z.string().optional() })
  .optional();
const Counted = z.looseObject({ count: int, status: Status }).optional();
const Target = {
  status: Status,
  rate: num,
  targetValue: num,
  targetCondition: z.string().optional(),
  reportingDateRange: Range,
};

const OdrSection = z.looseObject({
  ...Target,
  orderCount: int,
  orderWithDefects: Counted,
  claims: Counted,
  chargebacks: Counted,
  negativeFeedback: Counted,
  fulfillmentType: z.string().optional(),
});

const Metrics = z.looseObject({
  marketplaceId: z.string().optional(),
  orderDefectRate: z.looseObject({ mfn: OdrSection.optional(), afn: OdrSection.optional() }).optional(),
  lateShipmentRate: z.looseObject({ ...Target, orderCount: int, lateShipmentCount: int }).optional(),
  preFulfillmentCancellationRate: z
    .looseObject({ ...Target, orderCount: int, cancellationCount: int })
    .optional(),
  prefulfillmentCancelRate: z.looseObject({ ...Target, orderCount: int, cancellationCount: int }).optional(),
  validTrackingRate: z.looseObject({ ...Target, shipmentCount: int, validTrackingCount: int }).optional(),
  onTimeDeliveryRate: z
    .looseObject({ ...Target, shipmentCountWithValidTracking: num, onTimeDeliveryCount: int })
    .optional(),
  accountHealthRating: z
    .looseObject({
      ahrStatus: z.string().optional(),
      accountHealthRatingStatus: z.string().optional(),
      reportingDateRange: Range,
    })
    .optional(),
});

export const AccountHealthReportSchema = z.looseObject({
  accountStatuses: z
    .array(z.looseObject({ marketplaceId: z.string().optional(), status: z.string().optional() }))
    .optional(),
  performanceMetrics: z.array(Metrics).optional(),
});
export type AccountHealthReport = z.infer<typeof AccountHealthReportSchema>;

/** One official figure: a rate over a date range, with Amazon's target and its verdict. */
export interface OfficialRate {
  from?: string;
  to?: string;
  /** Orders (or packages) counted. */
  total?: number;
  /** Orders (or packages) that count against the seller (or, for tracking/delivery, for). */
  count?: number;
  rate?: number;
  target?: number;
  targetCondition?: string;
  status?: string;
}

export type OdrRate = OfficialRate & { negativeFeedback?: number; claims?: number; chargebacks?: number };

export interface OfficialHealth {
  marketplaceId: string;
  accountStatus?: string;
  accountHealthRating?: string;
  /** Seller-fulfilled orders (`orderDefectRate.mfn`). */
  orderDefectRate?: OdrRate;
  /** Fulfilled by Amazon (`orderDefectRate.afn`), reported apart. */
  fbaOrderDefectRate?: OdrRate;
  lateDispatchRate?: OfficialRate;
  preFulfilmentCancellationRate?: OfficialRate;
  validTrackingRate?: OfficialRate;
  onTimeDeliveryRate?: OfficialRate;
}

/** Amazon's dates are "2020-11-18T23:59Z"; we keep them as ISO 8601 with seconds. */
function isoDate(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const t = Date.parse(/T\d{2}:\d{2}Z$/.test(s) ? s.replace("Z", ":00Z") : s);
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

type TargetFields = {
  status?: string;
  rate?: number;
  targetValue?: number;
  targetCondition?: string;
  reportingDateRange?: { reportingDateFrom?: string; reportingDateTo?: string };
};

function rate(
  s: TargetFields | undefined,
  total: number | undefined,
  count: number | undefined,
): OfficialRate | undefined {
  if (!s) return undefined;
  const out: OfficialRate = {};
  const from = isoDate(s.reportingDateRange?.reportingDateFrom);
  const to = isoDate(s.reportingDateRange?.reportingDateTo);
  if (from) out.from = from;
  if (to) out.to = to;
  if (total !== undefined) out.total = total;
  if (count !== undefined) out.count = count;
  if (s.rate !== undefined) out.rate = s.rate;
  if (s.targetValue !== undefined) out.target = s.targetValue;
  if (s.targetCondition !== undefined) out.targetCondition = s.targetCondition;
  if (s.status !== undefined) out.status = s.status;
  return out;
}

function odrRate(section: z.infer<typeof OdrSection> | undefined): OdrRate | undefined {
  const odr: OdrRate | undefined = rate(section, section?.orderCount, section?.orderWithDefects?.count);
  if (!odr || !section) return undefined;
  if (section.negativeFeedback?.count !== undefined) odr.negativeFeedback = section.negativeFeedback.count;
  if (section.claims?.count !== undefined) odr.claims = section.claims.count;
  if (section.chargebacks?.count !== undefined) odr.chargebacks = section.chargebacks.count;
  return odr;
}

/** Parses a downloaded report and picks the figures for one marketplace (the UK by default). */
export function parseAccountHealthReport(raw: unknown, marketplaceId = "A1F83G8C2ARO7P"): OfficialHealth {
  const report = AccountHealthReportSchema.parse(raw);
  const m =
    report.performanceMetrics?.find((p) => p.marketplaceId === marketplaceId) ??
    (report.performanceMetrics?.length === 1 ? report.performanceMetrics[0] : undefined);
  const out: OfficialHealth = { marketplaceId };
  const status = report.accountStatuses?.find((a) => a.marketplaceId === marketplaceId)?.status;
  if (status) out.accountStatus = status;
  if (!m) return out;
  const ahr = m.accountHealthRating?.accountHealthRatingStatus ?? m.accountHealthRating?.ahrStatus;
  if (ahr) out.accountHealthRating = ahr;
  const odr = odrRate(m.orderDefectRate?.mfn);
  if (odr) out.orderDefectRate = odr;
  const fba = odrRate(m.orderDefectRate?.afn);
  if (fba) out.fbaOrderDefectRate = fba;
  const lsr = rate(m.lateShipmentRate, m.lateShipmentRate?.orderCount, m.lateShipmentRate?.lateShipmentCount);
  if (lsr) out.lateDispatchRate = lsr;
  const pfcSection = m.preFulfillmentCancellationRate ?? m.prefulfillmentCancelRate;
  const pfc = rate(pfcSection, pfcSection?.orderCount, pfcSection?.cancellationCount);
  if (pfc) out.preFulfilmentCancellationRate = pfc;
  const vtr = rate(
    m.validTrackingRate,
    m.validTrackingRate?.shipmentCount,
    m.validTrackingRate?.validTrackingCount,
  );
  if (vtr) out.validTrackingRate = vtr;
  const otd = rate(
    m.onTimeDeliveryRate,
    m.onTimeDeliveryRate?.shipmentCountWithValidTracking,
    m.onTimeDeliveryRate?.onTimeDeliveryCount,
  );
  if (otd) out.onTimeDeliveryRate = otd;
  return out;
}

export interface FeedbackRow {
  orderId: string;
  rating: number;
  /** Midnight UTC of the feedback's date (the report gives the day only). */
  at: number;
  comment: string;
}

/** Seller Central's feedback report (GET_SELLER_FEEDBACK_DATA): tab-separated, dates dd/mm/yy. */
export function parseFeedbackReport(text: string): FeedbackRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = (lines.shift() ?? "").split("\t").map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const [iDate, iRating, iComment, iOrder] = [col("date"), col("rating"), col("comments"), col("order id")];
  if (iDate < 0 || iRating < 0 || iOrder < 0) {
    throw new Error("The feedback report has no Date, Rating or Order ID column.");
  }
  const out: FeedbackRow[] = [];
  for (const line of lines) {
    const cells = line.split("\t");
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{2,4})$/.exec((cells[iDate] ?? "").trim());
    const rating = Number(cells[iRating]);
    const orderId = (cells[iOrder] ?? "").trim();
    if (!m || !orderId || !Number.isInteger(rating)) continue;
    const year = Number(m[3]) < 100 ? 2000 + Number(m[3]) : Number(m[3]);
    out.push({
      orderId,
      rating,
      at: Date.UTC(year, Number(m[2]) - 1, Number(m[1])),
      comment: cells[iComment] ?? "",
    });
  }
  return out;
}
