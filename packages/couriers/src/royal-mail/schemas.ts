// Click & Drop API v1 (ChannelShipper & Royal Mail Public API) response shapes we rely on, and the
// Royal Mail Tracking API v2 mail-piece events. Unknown fields are allowed; the ones we read are checked.
import { z } from "zod";

export const createdOrderSchema = z.object({
  orderIdentifier: z.number().int(),
  orderReference: z.string().optional(),
  createdOn: z.string(),
  trackingNumber: z.string().optional(),
  packages: z
    .array(z.object({ packageNumber: z.number().optional(), trackingNumber: z.string().optional() }))
    .optional(),
  label: z.string().optional(),
  labelErrors: z.array(z.object({ message: z.string().optional(), code: z.string().optional() })).optional(),
});

export const createOrderErrorSchema = z.object({
  errorCode: z.number().optional(),
  errorMessage: z.string().optional(),
  fields: z.array(z.object({ fieldName: z.string().optional(), value: z.string().optional() })).optional(),
});

export const createOrdersResponseSchema = z.object({
  successCount: z.number().optional(),
  errorsCount: z.number().optional(),
  createdOrders: z.array(createdOrderSchema).optional(),
  failedOrders: z
    .array(
      z.object({
        order: z.record(z.string(), z.unknown()).optional(),
        errors: z.array(createOrderErrorSchema).optional(),
      }),
    )
    .optional(),
});

export const errorResponseSchema = z.object({
  code: z.string().optional(),
  message: z.string(),
  details: z.string().optional(),
});

export const orderInfoSchema = z.object({
  orderIdentifier: z.number().int(),
  orderReference: z.string().optional(),
  createdOn: z.string(),
  trackingNumber: z.string().optional(),
});

export const getSpecificOrdersResponseSchema = z.array(orderInfoSchema);

export const deleteOrdersResponseSchema = z.object({
  deletedOrders: z
    .array(z.object({ orderIdentifier: z.number().optional(), orderReference: z.string().optional() }))
    .optional(),
  errors: z
    .array(
      z.object({
        orderIdentifier: z.number().optional(),
        orderReference: z.string().optional(),
        code: z.string().optional(),
        message: z.string().optional(),
      }),
    )
    .optional(),
});

export const mailPieceEventsSchema = z.object({
  mailPieces: z.object({
    mailPieceId: z.string(),
    summary: z
      .object({
        oneDBarcode: z.string().optional(),
        statusCategory: z.string().optional(),
        statusDescription: z.string().optional(),
      })
      .optional(),
    events: z.array(
      z.object({
        eventCode: z.string(),
        eventName: z.string(),
        eventDateTime: z.string(),
        locationName: z.string().optional(),
      }),
    ),
  }),
});
