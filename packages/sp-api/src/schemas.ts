// Schemas for the SP-API answers Consign reads, written from specs/sp-api/orders_2026-01-01.json,
// ordersV0.json and tokens_2021-03-01.json. Only the fields Consign uses are kept (others are
// stripped), but every field the models mark required is required here.

import { z } from "zod";

const dateTime = z.iso.datetime({ offset: true });

export const MoneySchema = z.object({
  amount: z.string().regex(/^-?\d+(\.\d+)?$/),
  currencyCode: z.string(),
});

export const DateTimeRangeSchema = z.object({
  earliestDateTime: dateTime.optional(),
  latestDateTime: dateTime.optional(),
});

export const FulfillmentStatusSchema = z.enum([
  "PENDING_AVAILABILITY",
  "PENDING",
  "UNSHIPPED",
  "PARTIALLY_SHIPPED",
  "SHIPPED",
  "CANCELLED",
  "UNFULFILLABLE",
]);
export type FulfillmentStatus = z.infer<typeof FulfillmentStatusSchema>;

export const CustomerAddressSchema = z.object({
  name: z.string().optional(),
  companyName: z.string().optional(),
  addressLine1: z.string().optional(),
  addressLine2: z.string().optional(),
  addressLine3: z.string().optional(),
  city: z.string().optional(),
  districtOrCounty: z.string().optional(),
  stateOrRegion: z.string().optional(),
  municipality: z.string().optional(),
  postalCode: z.string().optional(),
  countryCode: z.string().optional(),
  phone: z.string().optional(),
  addressType: z.string().optional(),
});

export const OrderItemSchema = z.object({
  orderItemId: z.string(),
  quantityOrdered: z.number().int(),
  programs: z.array(z.string()).optional(),
  product: z.object({
    asin: z.string().optional(),
    title: z.string().optional(),
    sellerSku: z.string().optional(),
    price: z
      .object({ unitPrice: MoneySchema.optional(), priceDesignation: z.string().optional() })
      .optional(),
  }),
  cancellation: z
    .object({
      cancellationRequest: z
        .object({ requester: z.string().optional(), cancelReason: z.string().optional() })
        .optional(),
      cancellationExecution: z
        .object({ cancelledBy: z.string().optional(), cancelReason: z.string().optional() })
        .optional(),
    })
    .optional(),
  fulfillment: z
    .object({
      quantityFulfilled: z.number().int().optional(),
      quantityUnfulfilled: z.number().int().optional(),
    })
    .optional(),
  shipping: z
    .object({
      internationalShipping: z.object({ iossNumber: z.string().optional() }).optional(),
    })
    .optional(),
});

export const OrderPackageSchema = z.object({
  packageReferenceId: z.string(),
  createdTime: dateTime.optional(),
  packageStatus: z.object({ status: z.string(), detailedStatus: z.string().optional() }).optional(),
  carrier: z.string().optional(),
  shipTime: dateTime.optional(),
  shippingService: z.string().optional(),
  trackingNumber: z.string().optional(),
  packageItems: z.array(z.object({ orderItemId: z.string(), quantity: z.number().int() })).optional(),
});

export const ApiOrderSchema = z.object({
  orderId: z.string().min(1),
  createdTime: dateTime,
  lastUpdatedTime: dateTime,
  programs: z.array(z.string()).optional(),
  salesChannel: z.object({
    channelName: z.string(),
    marketplaceId: z.string().optional(),
    marketplaceName: z.string().optional(),
  }),
  buyer: z
    .object({
      buyerName: z.string().optional(),
      buyerEmail: z.string().optional(),
      buyerCompanyName: z.string().optional(),
      buyerPurchaseOrderNumber: z.string().optional(),
    })
    .optional(),
  recipient: z.object({ deliveryAddress: CustomerAddressSchema.optional() }).optional(),
  proceeds: z.object({ grandTotal: MoneySchema.optional() }).optional(),
  fulfillment: z
    .object({
      fulfillmentStatus: FulfillmentStatusSchema,
      fulfilledBy: z.string().optional(),
      fulfillmentServiceLevel: z.string().optional(),
      shipByWindow: DateTimeRangeSchema.optional(),
      deliverByWindow: DateTimeRangeSchema.optional(),
    })
    .optional(),
  orderItems: z.array(OrderItemSchema),
  packages: z.array(OrderPackageSchema).optional(),
});
/** An order as Orders API 2026-01-01 sends it (the fields Consign reads). */
export type ApiOrder = z.infer<typeof ApiOrderSchema>;

export const SearchOrdersResponseSchema = z.object({
  orders: z.array(ApiOrderSchema),
  pagination: z.object({ nextToken: z.string().optional() }).optional(),
  lastUpdatedBefore: dateTime.optional(),
  createdBefore: dateTime.optional(),
});

export const GetOrderResponseSchema = z.object({ order: ApiOrderSchema });

export const ErrorListSchema = z.object({
  errors: z.array(z.object({ code: z.string(), message: z.string(), details: z.string().optional() })),
});
export type AmazonError = z.infer<typeof ErrorListSchema>["errors"][number];

export const RestrictedDataTokenResponseSchema = z.object({
  restrictedDataToken: z.string().min(1),
  expiresIn: z.number().int().positive(),
});

/** Login with Amazon's token answer. */
export const LwaTokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().int().positive(),
  refresh_token: z.string().optional(),
});

export const LwaErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });
