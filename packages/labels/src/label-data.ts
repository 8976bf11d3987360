// What one shipping label shows, and how to get it from an order with a bought label.

import type { Address, CourierId, FieldError, Order } from "@consign/domain";
import { activeShipment, ConsignError, ErrorCode } from "@consign/domain";
import { mailmarkPayload } from "./mailmark.ts";

export interface LabelData {
  sender: Address;
  recipient: Address;
  /** e.g. "Tracked 24". */
  serviceName: string;
  /** e.g. "Royal Mail". */
  courierName: string;
  trackingNumber: string;
  orderId: string;
  weightGrams?: number;
  /** The seller's own reference, e.g. the SKU or a bin location. */
  reference?: string;
  /** DataMatrix text; when absent a payload with the tracking number and postcode is used. */
  dataMatrix?: string;
}

export const COURIER_NAMES: Record<CourierId, string> = {
  "royal-mail": "Royal Mail",
  evri: "Evri",
  dpd: "DPD",
  "amazon-shipping": "Amazon Shipping",
};

/** Service codes people know by another name; unknown codes are shown as they are. */
const SERVICE_NAMES: Record<string, string> = {
  TPN24: "Tracked 24",
  TPS48: "Tracked 48",
  TPN01: "Tracked 24",
  TPS01: "Tracked 48",
  TRN24: "Tracked 24",
  TRS48: "Tracked 48",
  SD1: "Special Delivery 1pm",
  CRL24: "1st Class",
  CRL48: "2nd Class",
  OLP1: "1st Class",
  OLP2: "2nd Class",
  // DPD network codes and Evri services (the courier's name is printed beside them).
  "1^12": "Next Day",
  "1^13": "Next Day by 12:00",
  EVRI48: "Standard",
  EVRI24: "Next Day",
};

export function serviceName(serviceCode: string): string {
  return SERVICE_NAMES[serviceCode.toUpperCase()] ?? serviceCode;
}

/** Builds the label for an order's active (not voided) shipment, shipped from `sender`. */
export function labelDataFromOrder(order: Order, sender: Address): LabelData {
  const shipment = activeShipment(order);
  if (!shipment) {
    throw new ConsignError(
      ErrorCode.Conflict,
      `Order ${order.orderId} has no label bought yet (or its label was voided): buy a label before printing.`,
    );
  }
  if (!order.recipient) {
    throw new ConsignError(
      ErrorCode.BadRequest,
      `Order ${order.orderId} has no delivery address yet: reconnect Amazon so Consign may read addresses, then retry.`,
    );
  }
  const skus = order.items.map((i) => (i.quantityOrdered > 1 ? `${i.sku} x${i.quantityOrdered}` : i.sku));
  const label: LabelData = {
    sender,
    recipient: order.recipient,
    serviceName: serviceName(shipment.serviceCode),
    courierName: COURIER_NAMES[shipment.courier] ?? shipment.amazonCarrierCode,
    trackingNumber: shipment.trackingNumber,
    orderId: order.orderId,
    reference: skus.join(", "),
  };
  if (order.package?.weightGrams !== undefined) label.weightGrams = order.package.weightGrams;
  if (shipment.courier === "royal-mail") {
    label.dataMatrix = mailmarkPayload({
      trackingNumber: shipment.trackingNumber,
      recipientPostcode: order.recipient.postcode,
      senderPostcode: sender.postcode,
      serviceCode: shipment.serviceCode,
    });
  }
  return label;
}

/** Refuses labels that cannot be printed, naming every field to fix. */
export function checkLabelData(label: LabelData, index = 0): void {
  const fields: FieldError[] = [];
  const at = (p: string) => `labels[${index}].${p}`;
  if (!label.trackingNumber?.trim()) fields.push({ path: at("trackingNumber"), message: "is empty" });
  else if (!/^[\x20-\x7e]+$/.test(label.trackingNumber))
    fields.push({ path: at("trackingNumber"), message: "may hold printable ASCII only" });
  if (!label.orderId?.trim()) fields.push({ path: at("orderId"), message: "is empty" });
  if (!label.recipient?.name?.trim()) fields.push({ path: at("recipient.name"), message: "is empty" });
  if (!label.recipient?.postcode?.trim())
    fields.push({ path: at("recipient.postcode"), message: "is empty" });
  if (!label.sender?.name?.trim()) fields.push({ path: at("sender.name"), message: "is empty" });
  if (fields.length > 0) {
    throw new ConsignError(
      ErrorCode.BadRequest,
      `Label ${index + 1} (order ${label.orderId || "?"}) cannot be printed: ${fields.map((f) => `${f.path} ${f.message}`).join("; ")}.`,
      fields,
    );
  }
}
