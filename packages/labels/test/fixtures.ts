// Sample labels for tests and the benchmark.
import type { Address } from "@consign/domain";
import type { LabelData } from "../src/label-data.ts";
import { mailmarkPayload } from "../src/mailmark.ts";

export const SENDER: Address = {
  name: "Hebden Hobby Supplies Ltd",
  line1: "Unit 4, Calder Works",
  line2: "Mytholm Road",
  city: "Hebden Bridge",
  postcode: "HX7 6DL",
  countryCode: "GB",
};

export const RECIPIENT: Address = {
  name: "Zofia Łukaszewska-Brown",
  line1: "Flat 12, Rosebery Court",
  line2: "221 Kingsway Avenue",
  city: "Manchester",
  county: "Greater Manchester",
  postcode: "M19 2LT",
  countryCode: "GB",
  phone: "07700 900123",
};

/** Royal Mail S10, Evri 16 characters, DPD 14 digits. */
export const TRACKING_NUMBERS = [
  "GQ660548056GB",
  "FQ087430672GB",
  "H01HYA0004567890",
  "15501234567890",
] as const;

export function sampleLabel(trackingNumber: string, i = 0): LabelData {
  const royalMail = /^[A-Z]{2}\d{9}GB$/.test(trackingNumber);
  const courierName = royalMail ? "Royal Mail" : trackingNumber.length === 16 ? "Evri" : "DPD";
  const label: LabelData = {
    sender: SENDER,
    recipient: { ...RECIPIENT, line1: `${i + 1} Rosebery Court` },
    serviceName: royalMail ? "Tracked 24" : "Next Day",
    courierName,
    trackingNumber,
    orderId: `203-${String(1000000 + i * 7919).slice(0, 7)}-${String(2000000 + i * 31).slice(0, 7)}`,
    weightGrams: 450 + i,
    reference: `SKU-${1000 + i} x1`,
  };
  if (royalMail) {
    label.dataMatrix = mailmarkPayload({
      trackingNumber,
      recipientPostcode: label.recipient.postcode,
      senderPostcode: SENDER.postcode,
      serviceCode: "TPN24",
    });
  }
  return label;
}

/** A valid S10 number: weights 8,6,4,2,3,5,9,7; C = 11 - sum mod 11; 10 → 0, 11 → 5. */
export function s10(prefix: string, serial: number): string {
  const digits = String(serial).padStart(8, "0").slice(-8);
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (weights[i] ?? 0);
  let c = 11 - (sum % 11);
  if (c === 10) c = 0;
  if (c === 11) c = 5;
  return `${prefix}${digits}${c}GB`;
}

/** `n` unique labels across the three courier number shapes. */
export function uniqueLabels(n: number): LabelData[] {
  const out: LabelData[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 3;
    const tracking =
      kind === 0
        ? s10("GQ", 66054805 + i)
        : kind === 1
          ? `H0${String(1000 + i).padStart(4, "0")}A${String(100000000 + i * 37).slice(0, 9)}`
          : String(15501234560000 + i * 13);
    out.push(sampleLabel(tracking, i));
  }
  return out;
}
