// The day's spend: one line per courier and service of the labels bought in a UK day, from the
// label ledger. Couriers do not send a price with each label (Click & Drop, DPD and Evri bill on
// account), so each label is costed at the service's list price in @consign/couriers for its
// parcel; a voided label costs nothing. Lines whose price is not known say so (Amazon Shipping).
import {
  DPD_SERVICES,
  EVRI_SERVICES,
  ROYAL_MAIL_SERVICES,
  royalMailFormat,
  type ShipmentRequest,
} from "@consign/couriers";
import { type CourierId, serviceName, ukTimeOnDay } from "@consign/domain";

export interface SpendLine {
  courier: CourierId;
  serviceCode: string;
  service: string;
  /** Labels bought that day (voided ones included). */
  labels: number;
  voided: number;
  /** Pence at list price for the labels not voided; null when a label's price is not known. */
  costPence: number | null;
}

export interface DaySpend {
  /** The UK day, yyyy-mm-dd. */
  day: string;
  from: number;
  to: number;
  lines: SpendLine[];
  labels: number;
  costPence: number | null;
}

/** The UK day's bounds for "yyyy-mm-dd". */
export function ukDayBounds(day: string): { from: number; to: number } {
  const [y, m, d] = day.split("-").map(Number);
  const noon = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12);
  return { from: ukTimeOnDay(noon, "00:00"), to: ukTimeOnDay(noon + 86_400_000, "00:00") };
}

function listPricePence(courier: CourierId, request: ShipmentRequest): number | null {
  const pounds = (() => {
    switch (courier) {
      case "royal-mail": {
        const format = request.package.format ?? royalMailFormat(request.package)?.format;
        const service = ROYAL_MAIL_SERVICES.find((s) => s.serviceCode === request.serviceCode);
        return format ? service?.prices[format] : undefined;
      }
      case "dpd":
        return DPD_SERVICES.find((s) => s.serviceCode === request.serviceCode)?.price;
      case "evri":
        return EVRI_SERVICES.find((s) => s.serviceCode === request.serviceCode)?.price;
      default:
        return undefined;
    }
  })();
  return pounds === undefined ? null : Math.round(Number(pounds) * 100);
}

export function daySpend(sql: SqlStorage, day: string): DaySpend {
  const { from, to } = ukDayBounds(day);
  // The ledger's table is made with the first label run: before it, the day has no labels.
  const ledger = sql
    .exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'label_ledger'")
    .toArray();
  if (ledger.length === 0) return { day, from, to, labels: 0, costPence: 0, lines: [] };
  const rows = sql
    .exec(
      "SELECT courier, service_code, request, state FROM label_ledger WHERE bought_at >= ? AND bought_at < ? ORDER BY courier, service_code",
      from,
      to,
    )
    .toArray();
  const lines = new Map<string, SpendLine>();
  for (const row of rows) {
    const courier = String(row.courier) as CourierId;
    const serviceCode = String(row.service_code);
    const key = `${courier}|${serviceCode}`;
    const line = lines.get(key) ?? {
      courier,
      serviceCode,
      service: serviceName(courier, serviceCode),
      labels: 0,
      voided: 0,
      costPence: 0,
    };
    line.labels++;
    const state = String(row.state);
    if (state === "voided" || state === "voiding") line.voided++;
    else if (line.costPence !== null) {
      const price = listPricePence(courier, JSON.parse(String(row.request)) as ShipmentRequest);
      line.costPence = price === null ? null : line.costPence + price;
    }
    lines.set(key, line);
  }
  const all = [...lines.values()];
  return {
    day,
    from,
    to,
    lines: all,
    labels: all.reduce((n, l) => n + l.labels, 0),
    costPence: all.some((l) => l.costPence === null) ? null : all.reduce((n, l) => n + (l.costPence ?? 0), 0),
  };
}
