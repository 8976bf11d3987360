import type { CourierId } from "@consign/domain";
import { isDpdParcelNumber, isEvriTrackingNumber, isRoyalMailTrackingNumber } from "./tracking-numbers.ts";

/** Whether a tracking number has the shape its courier issues (Amazon tracks valid ones only). */
export function isValidTrackingNumber(courier: CourierId, trackingNumber: string): boolean {
  switch (courier) {
    case "royal-mail":
      return isRoyalMailTrackingNumber(trackingNumber);
    case "evri":
      return isEvriTrackingNumber(trackingNumber);
    case "dpd":
      return isDpdParcelNumber(trackingNumber);
    case "amazon-shipping":
      return /^[A-Z0-9]{8,20}$/.test(trackingNumber);
  }
}
