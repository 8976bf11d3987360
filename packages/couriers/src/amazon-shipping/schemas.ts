// Amazon Shipping API v2 (specs/sp-api/shippingV2.json) response shapes we rely on. Every
// success body is wrapped in `payload`; failures are an ErrorList.
import { z } from "zod";

const currency = z.object({ value: z.number(), unit: z.string() });
const timeWindow = z.object({ start: z.string().optional(), end: z.string().optional() });

export const errorListSchema = z.object({
  errors: z.array(z.object({ code: z.string(), message: z.string(), details: z.string().optional() })),
});

export const rateSchema = z.object({
  rateId: z.string(),
  carrierId: z.string(),
  carrierName: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  totalCharge: currency,
  promise: z.object({ deliveryWindow: timeWindow.optional(), pickupWindow: timeWindow.optional() }),
  supportedDocumentSpecifications: z.array(z.unknown()),
  requiresAdditionalInputs: z.boolean(),
});

export const getRatesResponseSchema = z.object({
  payload: z.object({
    requestToken: z.string(),
    rates: z.array(rateSchema),
    ineligibleRates: z
      .array(
        z.object({
          serviceId: z.string(),
          serviceName: z.string(),
          carrierName: z.string(),
          carrierId: z.string(),
          ineligibilityReasons: z.array(z.object({ code: z.string(), message: z.string() })),
        }),
      )
      .optional(),
  }),
});

const packageDocumentDetailSchema = z.object({
  packageClientReferenceId: z.string(),
  packageDocuments: z.array(z.object({ type: z.string(), format: z.string(), contents: z.string() })),
  trackingId: z.string().optional(),
});

export const purchaseShipmentResponseSchema = z.object({
  payload: z.object({
    shipmentId: z.string(),
    packageDocumentDetails: z.array(packageDocumentDetailSchema),
    promise: z.object({ deliveryWindow: timeWindow.optional(), pickupWindow: timeWindow.optional() }),
  }),
});

export const getShipmentDocumentsResponseSchema = z.object({
  payload: z.object({ shipmentId: z.string(), packageDocumentDetail: packageDocumentDetailSchema }),
});

export const cancelShipmentResponseSchema = z.object({ payload: z.object({}).optional() });

export const getTrackingResponseSchema = z.object({
  payload: z.object({
    trackingId: z.string(),
    alternateLegTrackingId: z.string(),
    eventHistory: z.array(
      z.object({
        eventCode: z.string(),
        eventTime: z.string(),
        location: z
          .object({
            city: z.string().optional(),
            postalCode: z.string().optional(),
            countryCode: z.string().optional(),
            stateOrRegion: z.string().optional(),
          })
          .optional(),
        shipmentType: z.string().optional(),
      }),
    ),
    promisedDeliveryDate: z.string(),
    summary: z.object({ status: z.string().optional() }),
  }),
});
