// Words a packer uses: couriers and their services by name, plurals, and an order's history as
// sentences. One place, so the PWA, the API and the labels say the same thing.

import type { CourierId, HistoryEntry, Order } from "./order.ts";

export const COURIER_NAMES: Readonly<Record<CourierId, string>> = {
  "royal-mail": "Royal Mail",
  evri: "Evri",
  dpd: "DPD",
  "amazon-shipping": "Amazon Shipping",
};

/**
 * The couriers Consign makes returns labels with, what each can give the buyer (a printable PDF;
 * a QR code shown at the counter where the courier offers one), and how the buyer hands it over.
 * Amazon Shipping makes none.
 */
export const RETURNS_COURIERS: Readonly<
  Partial<Record<CourierId, { formats: readonly ("pdf" | "qr")[]; handOver: string }>>
> = {
  "royal-mail": { formats: ["pdf"], handOver: "posted at a Post Office (Tracked Returns)" },
  dpd: { formats: ["pdf"], handOver: "dropped at a DPD Pickup shop" },
  evri: { formats: ["pdf", "qr"], handOver: "dropped at an Evri ParcelShop" },
};

/** Service codes the couriers use, by the names on their price lists. */
const SERVICE_NAMES: Readonly<Record<string, string>> = {
  "royal-mail/TPN24": "Royal Mail Tracked 24",
  "royal-mail/TPS48": "Royal Mail Tracked 48",
  "royal-mail/SD1": "Royal Mail Special Delivery Guaranteed by 1pm",
  "royal-mail/CRL24": "Royal Mail 1st Class",
  "royal-mail/CRL48": "Royal Mail 2nd Class",
  "dpd/1^12": "DPD Next Day",
  "dpd/1^13": "DPD Next Day by 12:00",
  "evri/EVRI48": "Evri Standard",
  "evri/EVRI24": "Evri Next Day",
  "amazon-shipping/SWA-UK-PREM": "Amazon Shipping One Day",
  "amazon-shipping/SWA-UK-STD": "Amazon Shipping Standard",
};

export function courierName(courier: string): string {
  return COURIER_NAMES[courier as CourierId] ?? courier;
}

/** "Royal Mail Tracked 24" for royal-mail/TPN24; an unknown code keeps its courier's name in front. */
export function serviceName(courier: string, serviceCode: string): string {
  return SERVICE_NAMES[`${courier}/${serviceCode}`] ?? `${courierName(courier)} ${serviceCode}`.trim();
}

/** "1 label", "2 labels", "1 order", "0 orders"; irregular plurals passed in ("1 parcel box", …). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Amazon's cancel reasons (order acknowledgement feed) and the buyer's words Amazon passes on. */
export const CANCEL_REASON_WORDS: Readonly<Record<string, string>> = {
  BuyerCanceled: "the buyer cancelled",
  NoInventory: "out of stock",
  ShippingAddressUndeliverable: "the address cannot be delivered to",
  CustomerExchange: "the buyer exchanged it",
  GeneralAdjustment: "a general adjustment",
  CarrierCreditDecision: "the carrier's credit decision",
  RiskAssessmentInformationNotValid: "Amazon's risk check failed",
  CarrierCoverageFailure: "no carrier covers the address",
  CustomerReturn: "the buyer returned it",
  MerchandiseNotReceived: "the buyer did not receive it",
};

/**
 * An open buyer cancellation request: the buyer asked, the order has not left or been cancelled,
 * and nobody has answered it yet (accepting cancels the order; "already shipped" keeps it).
 */
export function openCancellationRequest(o: Order): boolean {
  if (o.state === "cancelled" || o.state === "dispatched" || o.state === "confirmed") return false;
  if (!(o.buyerCancellationRequested || o.items.some((i) => i.cancellationRequested))) return false;
  return !(o.history ?? []).some((h) => h.action === "keptDespiteCancellationRequest");
}

/** The buyer's reason for the cancellation request, as Amazon gave it ("" when none was given). */
export function cancellationRequestReason(o: Order): string {
  return o.cancellationRequestReason ?? "";
}

/** One history entry as a sentence: "Label bought: Royal Mail Tracked 24, tracking AB123…". */
export function historySentence(h: HistoryEntry): string {
  const detail = h.detail ? h.detail : "";
  switch (h.action) {
    case "markReady":
      return "Marked ready to pack";
    case "labelBought":
      return detail ? `Label bought: ${labelDetail(detail)}` : "Label bought";
    case "printed":
      return "Label printed";
    case "dispatched":
      return "Marked dispatched";
    case "confirmed":
      return "Dispatch confirmed on Amazon";
    case "confirmationFailed":
      return detail.startsWith("refused")
        ? `Amazon refused the dispatch confirmation${detail.slice("refused".length)}`
        : `Dispatch confirmation failed, trying again${detail.replace(/^will retry/, "")}`;
    case "hold":
      return detail ? `Put on hold (${detail})` : "Put on hold";
    case "release":
      return "Released from hold";
    case "cancel":
      return cancelSentence(detail);
    case "voidLabel":
      return "Label voided with the courier";
    case "keptDespiteCancellationRequest":
      return detail
        ? `Kept the order despite the buyer's cancellation request: ${detail}`
        : "Kept the order despite the buyer's cancellation request";
    case "note":
      return "Changed the notes";
    case "package":
      return detail ? `Package set to ${detail}` : "Changed the package";
    case "addressCorrected":
      return detail ? `Corrected the delivery address: ${detail}` : "Corrected the delivery address";
    case "addressCorrectionRemoved":
      return "Went back to Amazon's delivery address";
    default:
      return `${h.action
        .replace(/([a-z])([A-Z])/g, "$1 $2")
        .toLowerCase()
        .replace(/^./, (c) => c.toUpperCase())}${detail ? ` (${detail})` : ""}`;
  }
}

/** Who did it, and where: "Priya on Packing bench tablet", "Priya", or "" for the room itself. */
export function historyWho(h: Pick<HistoryEntry, "by" | "device">): string {
  if (!h.by || h.by === "room") return "";
  return h.device ? `${h.by} on ${h.device}` : h.by;
}

/** "royal-mail TPN24 AB123456789GB" → "Royal Mail Tracked 24, tracking AB123456789GB". */
function labelDetail(detail: string): string {
  const [courier, code, tracking] = detail.split(" ");
  if (!courier || !code || !tracking || !(courier in COURIER_NAMES)) return detail;
  return `${serviceName(courier, code)}, tracking ${tracking}`;
}

function cancelSentence(detail: string): string {
  const m = /^by (buyer|seller|amazon)(?::\s*([^;]*))?(;.*)?$/.exec(detail);
  if (!m) return detail ? `Cancelled (${detail})` : "Cancelled";
  const who = m[1] === "buyer" ? "at the buyer's request" : m[1] === "amazon" ? "by Amazon" : "by the seller";
  const reason = m[2]?.trim();
  const rest = m[3]
    ? `. ${m[3]
        .slice(1)
        .trim()
        .replace(/^./, (c) => c.toUpperCase())}`
    : "";
  return `Cancelled ${who}${reason ? `: ${reason}` : ""}${rest}`;
}
