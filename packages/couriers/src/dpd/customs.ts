// Customs on DPD UK. DPD UK publishes no model; this follows the field names of its shipping API
// as integrators use them (ASSUMED like the rest of ./adapter.ts): the consignment's
// `customsValue` (pounds), one `parcelProduct` per line on the parcel (`productCode` the SKU,
// `productHarmonisedCode` the HS code, `countryOfOrigin`, `productItemsDescription`,
// `numberOfItems`, `unitValue` in pounds, `unitWeight` in kg) and an `invoice` naming the
// order, the terms (DAP), the reason (sale) and the IOSS number for EU parcels (`invoiceIossNumber`).
import type { ShipmentRequest } from "../types.ts";

const pounds = (v: number) => Math.round(v * 100) / 100;

export function dpdCustoms(request: ShipmentRequest) {
  const customs = request.customs;
  if (!customs) return undefined;
  return {
    customsValue: pounds(customs.totalValue),
    parcel: [
      {
        packageNumber: 1,
        parcelProduct: customs.lines.map((line) => ({
          productCode: line.sku.slice(0, 255),
          productTypeDescription: line.description.slice(0, 50),
          productItemsDescription: line.description.slice(0, 200),
          productHarmonisedCode: line.hsCode,
          countryOfOrigin: line.originCountry,
          numberOfItems: line.quantity,
          unitValue: pounds(line.unitValue),
          unitWeight: Math.max(0.001, line.unitWeightGrams / 1000),
        })),
      },
    ],
    invoice: {
      invoiceType: 2,
      invoiceReference: request.orderId,
      invoiceExportReason: "Sale",
      invoiceTermsOfDelivery: "DAP",
      shippingCost: pounds(request.shippingPaid ?? 0),
      ...(customs.iossNumber ? { invoiceIossNumber: customs.iossNumber } : {}),
    },
  };
}
