// Returns labels from the tablet: buy one for a sent order, list an order's (or every) return, and
// open the label (PDF) or QR code (PNG) to send the buyer. Through the edge API (/api/v1/returns).
import * as api from "./api.ts";
import { accessToken } from "./session.ts";

export interface ReturnView {
  id: string;
  orderId: string;
  courier: string;
  courierReturnId: string;
  trackingNumber: string | null;
  originalTrackingNumber: string | null;
  format: "pdf" | "qr";
  reason: string | null;
  createdBy: string;
  createdAt: string;
  labelUrl: string;
}

export const createReturn = (
  orderId: string,
  body: { courier: "royal-mail" | "dpd" | "evri" | "amazon-shipping"; format: "pdf" | "qr"; reason?: string },
) => api.postJson<ReturnView>(`/api/v1/orders/${encodeURIComponent(orderId)}/returns`, body);

export const listReturns = (orderId?: string) =>
  api.getJson<{ returns: ReturnView[] }>(
    orderId ? `/api/v1/returns?orderId=${encodeURIComponent(orderId)}` : "/api/v1/returns",
  );

/** The label or QR code as a blob URL the browser can open, print or share. */
export async function returnLabelUrl(r: ReturnView): Promise<string> {
  const res = await fetch(r.labelUrl, { headers: { Authorization: `Bearer ${await accessToken()}` } });
  if (!res.ok) throw new Error(`The returns label could not be fetched (HTTP ${res.status}): try again.`);
  return URL.createObjectURL(await res.blob());
}
