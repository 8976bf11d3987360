// Orders that leave in several parcels get one label per parcel. The ledger keeps exactly one
// purchase per key; a parcel's key is `${orderId}#${packageReferenceId}` (so its courier idempotency
// key is `${orderId}#${ref}:${revision}`, 40 characters at most for Amazon's order ids), while the
// courier still sees the Amazon order id on the label. An order never split keeps its own key.
import type { ShipmentRequest } from "@consign/couriers";
import {
  activeShipmentOf,
  ConsignError,
  ErrorCode,
  type LabelInputs,
  type Order,
  type OrderPackage,
  packageFromSkuWeights,
  type Shipment,
} from "@consign/domain";
import { mergePdfs } from "@consign/labels";

export function parcelKey(orderId: string, packageReferenceId: string): string {
  return `${orderId}#${packageReferenceId}`;
}

/** The order and parcel a ledger key names; a plain order id names the whole (unsplit) order. */
export function parseParcelKey(key: string): { orderId: string; packageReferenceId: string | null } {
  const at = key.lastIndexOf("#");
  return at < 0
    ? { orderId: key, packageReferenceId: null }
    : { orderId: key.slice(0, at), packageReferenceId: key.slice(at + 1) };
}

/** The order leaves in two or more parcels, each with its own label. */
export function isSplit(order: Pick<Order, "packages">): order is Order & { packages: OrderPackage[] } {
  return (order.packages?.length ?? 0) > 1;
}

/** Every parcel of a split order has a label not voided. */
export function everyParcelLabelled(order: Order): boolean {
  return isSplit(order) && order.packages.every((p) => activeShipmentOf(p.shipments) !== undefined);
}

/**
 * The courier request for one parcel of a split order, from the order's request: the parcel's own
 * size (as the packer gave it, else its units' SKU weights plus packaging), its own lines and value.
 */
export function parcelRequest(
  order: Order,
  parcel: OrderPackage,
  base: ShipmentRequest,
  inputs: LabelInputs,
): ShipmentRequest {
  const lines = parcel.items.flatMap((pi) => {
    const item = order.items.find((i) => i.orderItemId === pi.orderItemId);
    return item ? [{ item, quantity: pi.quantity }] : [];
  });
  const weighed = packageFromSkuWeights(
    { ...order, items: lines.map(({ item, quantity }) => ({ ...item, quantityOrdered: quantity })) },
    inputs,
  ).package;
  const spec = parcel.spec ?? weighed ?? base.package;
  const format = base.package.format;
  return {
    ...base,
    package: { ...spec, ...(format && !spec.format ? { format } : {}) },
    contents: lines.map(({ item, quantity }) => ({
      sku: item.sku,
      description: item.title,
      quantity,
      unitValue: Number(item.unitPrice?.amount ?? 0),
    })),
    goodsValue: lines.reduce(
      (sum, { item, quantity }) => sum + Number(item.unitPrice?.amount ?? 0) * quantity,
      0,
    ),
  };
}

/**
 * The order's label document: a split order's parcels' labels in parcel order, one file; an unsplit
 * order's own label. undefined when a parcel (or the order) has no stored label.
 */
export async function orderLabelDocument(
  order: Order | undefined,
  orderId: string,
  labelPdf: (key: string) => Promise<Uint8Array | undefined>,
): Promise<Uint8Array | undefined> {
  if (!order || !isSplit(order)) return labelPdf(orderId);
  const parts: Uint8Array[] = [];
  for (const p of order.packages) {
    const pdf = await labelPdf(parcelKey(orderId, p.packageReferenceId));
    if (!pdf) return undefined;
    parts.push(pdf);
  }
  return mergePdfs(parts);
}

/**
 * The order's label as the courier's own ZPL: a split order's parcels' formats one after another.
 * null when any of them has none (its courier gives PDF only, or it is not bought): the order's
 * PDF is what a printer gets then, so one order never mixes the two.
 */
export async function orderLabelZpl(
  order: Order | undefined,
  orderId: string,
  labelZpl: (key: string) => Promise<string | null | undefined>,
): Promise<string | null> {
  if (!order || !isSplit(order)) return (await labelZpl(orderId)) ?? null;
  const parts: string[] = [];
  for (const p of order.packages) {
    const zpl = await labelZpl(parcelKey(orderId, p.packageReferenceId));
    if (!zpl) return null;
    parts.push(zpl.endsWith("\n") ? zpl : `${zpl}\n`);
  }
  return parts.join("");
}

/**
 * Voids every parcel label of a split order with its courier (each parcel's own ledger key), after
 * checking none is on a manifest. Returns the voided shipments' ids; refused, naming the parcel, when
 * one cannot be voided, before any is.
 */
export async function voidParcelLabels(
  order: Order & { packages: OrderPackage[] },
  deps: {
    voidLabel(key: string): Promise<unknown>;
    refusal(shipment: Shipment): string | null | undefined;
  },
): Promise<string[]> {
  const active = order.packages.flatMap((p) => {
    const s = activeShipmentOf(p.shipments);
    return s ? [{ p, s }] : [];
  });
  if (active.length === 0) {
    throw new ConsignError(ErrorCode.IllegalTransition, `Order ${order.orderId} has no label to void.`);
  }
  for (const { p, s } of active) {
    const why = deps.refusal(s);
    if (why) throw new ConsignError(ErrorCode.IllegalTransition, `Parcel ${p.packageReferenceId}: ${why}`);
  }
  for (const { p } of active) await deps.voidLabel(parcelKey(order.orderId, p.packageReferenceId));
  return active.map(({ s }) => s.id);
}

/** The order's parcels and shipments with every label not yet voided marked voided at `at`. */
export function withParcelLabelsVoided(order: Order, at: number): Pick<Order, "packages" | "shipments"> {
  const voided = (list: readonly Shipment[]) =>
    list.map((s) => (s.voidedAt === undefined ? { ...s, voidedAt: at } : s));
  return {
    shipments: voided(order.shipments),
    ...(order.packages
      ? { packages: order.packages.map((p) => ({ ...p, shipments: voided(p.shipments) })) }
      : {}),
  };
}
