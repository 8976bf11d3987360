// Customs on Evri: the `customsAndTaxes` block of Hermes' shipment order
// (specs/couriers/karrio/hermes/openapi.yaml, CustomsAndTaxes and CustomsAndTaxesItem): amounts in
// pence, weights in grams, `countryCodeOfManufacture` two letters, `hsCode` ≤ 11, `sku` ≤ 50,
// the IOSS number as `client.iossId` (≤ 12). Sent only for parcels that leave the domestic post.
import type { ShipmentRequest } from "../types.ts";

const pence = (pounds: number) => Math.round(pounds * 100);

export function evriCustomsAndTaxes(request: ShipmentRequest) {
  const customs = request.customs;
  if (!customs) return undefined;
  return {
    currency: customs.currencyCode,
    shipmentCost: pence(request.shippingPaid ?? 0),
    value: pence(customs.totalValue),
    invoiceReferences: [request.orderId.slice(0, 200)],
    items: customs.lines.map((line) => ({
      sku: line.sku.slice(0, 50),
      category: customs.category,
      countryCodeOfManufacture: line.originCountry,
      value: pence(line.unitValue),
      weight: line.unitWeightGrams,
      quantity: line.quantity,
      description: line.description.slice(0, 512),
      hsCode: line.hsCode.slice(0, 11),
    })),
    ...(customs.iossNumber ? { client: { iossId: customs.iossNumber.slice(0, 12) } } : {}),
  };
}
