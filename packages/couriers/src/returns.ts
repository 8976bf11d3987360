// Returns labels: the buyer sends the parcel back to the seller with a label the seller bought,
// linked to the original order. Each courier offers it its own way (./evri/returns.ts,
// ./royal-mail/returns.ts, ./dpd/returns.ts); a courier without a returns service has no ReturnsAdapter.
import type { Address, CourierId } from "@consign/domain";
import type { SenderAddress } from "./types.ts";

export interface ReturnRequest {
  /** Amazon order id of the original order. */
  orderId: string;
  /** Our key for this return (`${orderId}:return:${n}`), sent as the courier's reference. */
  reference: string;
  /** Where the parcel comes from: the buyer's address on the order. */
  from: Address;
  /** Where it goes: the seller's warehouse. */
  to: SenderAddress;
  /** The original label, for couriers that make the return from it. */
  original?: { courierShipmentId: string; trackingNumber: string };
  weightGrams?: number;
  /** "qr": a code the buyer shows at a shop (no printer needed), where the courier offers it. */
  format?: "pdf" | "qr";
  /**
   * When the return is made, epoch ms on the seller's clock (the room's, never the Worker's): the
   * Click & Drop order date, the DPD collection date.
   */
  at: number;
}

export interface ReturnLabel {
  courier: CourierId;
  /** The courier's id for the return (Evri returnOrderID, Click & Drop orderIdentifier). */
  returnId: string;
  /** The return parcel's own tracking number, when the courier's API gives it. */
  trackingNumber?: string;
  labelPdf?: Uint8Array;
  qrCodePng?: Uint8Array;
}

export interface ReturnsAdapter {
  readonly courier: CourierId;
  readonly displayName: string;
  /** What the buyer can be sent: a printable PDF label, and a QR code where the courier offers one. */
  readonly formats: readonly ("pdf" | "qr")[];
  createReturn(request: ReturnRequest): Promise<ReturnLabel>;
}
