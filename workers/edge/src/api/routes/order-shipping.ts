// PATCH /orders/{orderId}/shipping: an order's own parcel weight and service, set by hand (the app's
// drawer does the same). null hands a field back to the SKU weights or the shipping rules.
import { COURIER_SERVICES, type CourierId } from "@consign/domain";
import { createRoute, z } from "@hono/zod-openapi";
import { unwrap } from "../../http/result.ts";
import type { ApiRouter } from "../index.ts";
import { type BackendForEnv, guard } from "../middleware.ts";
import { errorResponses, idempotencyHeaders, orderIdParams } from "../schemas/common.ts";

const json = <S>(schema: S) => ({ "application/json": { schema } });
const couriers = Object.keys(COURIER_SERVICES) as [CourierId, ...CourierId[]];
const formats = ["letter", "large-letter", "small-parcel", "medium-parcel", "large-parcel"] as const;
const mm = z.number().int().positive().max(3_000);

export const shippingOverrideSchema = z
  .object({
    package: z
      .object({
        weightGrams: z.number().int().positive().max(70_000, "at most 70,000 g (70 kg) a parcel"),
        lengthMm: mm.optional(),
        widthMm: mm.optional(),
        heightMm: mm.optional(),
      })
      .strict()
      .nullable()
      .optional()
      .openapi({ description: "The parcel as weighed; null: worked out from SKU weights again." }),
    service: z
      .object({
        courier: z.enum(couriers),
        serviceCode: z.string().trim().min(1),
        format: z.enum(formats).optional(),
      })
      .strict()
      .nullable()
      .optional()
      .openapi({
        description: `The service for this order whatever the rules say; null: the rules choose again. Services: ${Object.entries(
          COURIER_SERVICES,
        )
          .map(([c, list]) => `${c} ${list.map((s) => s.serviceCode).join("/")}`)
          .join("; ")}.`,
      }),
  })
  .strict()
  .refine((b) => b.package !== undefined || b.service !== undefined, "give package, service or both")
  .openapi("ShippingOverride");

export const orderShippingSchema = z
  .object({
    orderId: z.string(),
    package: z
      .object({ weightGrams: z.number(), source: z.enum(["sku", "entered"]) })
      .nullable()
      .openapi({ description: "entered: set by a person (kept); sku: worked out from SKU weights." }),
    service: z
      .object({
        courier: z.string(),
        serviceCode: z.string(),
        source: z.enum(["rule", "override"]),
        reason: z.string().nullable(),
      })
      .nullable(),
  })
  .openapi("OrderShipping");

export function registerOrderShippingRoutes(api: ApiRouter, backendFor: BackendForEnv): void {
  const route = createRoute({
    method: "patch",
    path: "/orders/{orderId}/shipping",
    tags: ["Orders"],
    summary: "Set an order's weight or service by hand",
    description:
      "Before a label is bought: the weight (kept when SKU weights change) and the service (kept when rules change) of this order. null hands the field back to SKU weights or the rules. Send an Idempotency-Key.",
    middleware: guard(backendFor, "work", { idempotent: true }),
    request: {
      params: orderIdParams,
      headers: idempotencyHeaders,
      body: { required: true, content: json(shippingOverrideSchema) },
    },
    responses: {
      200: { description: "The order's parcel and service now.", content: json(orderShippingSchema) },
      ...errorResponses(400, 404, 409, 422),
    },
  });
  api.openapi(route, async (c) => {
    const identity = c.get("identity");
    const { orderId } = c.req.valid("param");
    const change = c.req.valid("json");
    const order = unwrap(
      await backendFor(c.env, identity.sellerId).setOrderShipping(identity, orderId, change),
    );
    return c.json(
      {
        orderId: order.orderId,
        package: order.package
          ? { weightGrams: order.package.weightGrams, source: order.package.source ?? ("entered" as const) }
          : null,
        service: order.service
          ? {
              courier: order.service.courier,
              serviceCode: order.service.serviceCode,
              source: order.service.source ?? ("rule" as const),
              reason: order.service.reason ?? null,
            }
          : null,
      },
      200,
    );
  });
}
