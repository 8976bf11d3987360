// Tracking number formats per courier, checked without allocating (the metrics loop calls these for
// every package confirmed in the window). Letters are accepted in either case; spaces are not: store
// numbers through `normaliseTrackingNumber` first.

import type { CourierId } from "./order.ts";

const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isAlnum(c: number): boolean {
  return isDigit(c) || isLetter(c);
}

/** Uppercase, without spaces or dashes: the form to store and to send to Amazon. */
export function normaliseTrackingNumber(raw: string): string {
  return raw.replace(/[\s-]+/g, "").toUpperCase();
}

/** The UPU S10 check digit for 8 serial digits, or -1 if they are not 8 digits. */
export function s10CheckDigit(serial: string): number {
  if (serial.length !== 8) return -1;
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = serial.charCodeAt(i);
    if (!isDigit(c)) return -1;
    sum += (c - 48) * S10_WEIGHTS[i]!;
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 0 : check === 11 ? 5 : check;
}

/** Royal Mail tracked items: UPU S10, two letters, 8 digits, a check digit, "GB" (e.g. GQ660548056GB). */
export function isValidRoyalMailTracking(value: string): boolean {
  if (value.length !== 13) return false;
  if (!isLetter(value.charCodeAt(0)) || !isLetter(value.charCodeAt(1))) return false;
  const g = value.charCodeAt(11);
  const b = value.charCodeAt(12);
  if ((g !== 71 && g !== 103) || (b !== 66 && b !== 98)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = value.charCodeAt(2 + i);
    if (!isDigit(c)) return false;
    sum += (c - 48) * S10_WEIGHTS[i]!;
  }
  const c = value.charCodeAt(10);
  if (!isDigit(c)) return false;
  const check = 11 - (sum % 11);
  return c - 48 === (check === 10 ? 0 : check === 11 ? 5 : check);
}

/** Evri (Hermes UK): the 16-character barcode number, letters and digits. */
export function isValidEvriTracking(value: string): boolean {
  if (value.length !== 16) return false;
  for (let i = 0; i < 16; i++) if (!isAlnum(value.charCodeAt(i))) return false;
  return true;
}

/** DPD: a 14-digit parcel number (10-digit consignment numbers are not parcel tracking numbers). */
export function isValidDpdTracking(value: string): boolean {
  if (value.length !== 14) return false;
  for (let i = 0; i < 14; i++) if (!isDigit(value.charCodeAt(i))) return false;
  return true;
}

/** Amazon Shipping: letters and digits, 8 to 40 of them, at least one digit. */
export function isValidAmazonShippingTracking(value: string): boolean {
  const n = value.length;
  if (n < 8 || n > 40) return false;
  let digits = 0;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (!isLetter(c)) return false;
  }
  return digits > 0;
}

/** Whether `trackingNumber` has the shape the courier issues. */
export function isValidTrackingNumber(courier: CourierId, trackingNumber: string): boolean {
  switch (courier) {
    case "royal-mail":
      return isValidRoyalMailTracking(trackingNumber);
    case "evri":
      return isValidEvriTracking(trackingNumber);
    case "dpd":
      return isValidDpdTracking(trackingNumber);
    case "amazon-shipping":
      return isValidAmazonShippingTracking(trackingNumber);
    default:
      return false;
  }
}

/** A sentence saying what a valid number looks like for this courier. */
export function trackingFormatHint(courier: CourierId): string {
  switch (courier) {
    case "royal-mail":
      return "Royal Mail tracking numbers are 2 letters, 9 digits and GB, e.g. GQ660548056GB";
    case "evri":
      return "Evri tracking numbers are 16 letters and digits";
    case "dpd":
      return "DPD parcel numbers are 14 digits";
    case "amazon-shipping":
      return "Amazon Shipping tracking numbers are 8 to 40 letters and digits";
  }
}
