// PUT /orders/{orderId}/parcels: a packer splits an order into parcels before its labels are
// bought (items per parcel); each parcel then gets its own label and is confirmed to Amazon with its
// own packageReferenceId and items. One parcel undoes the split.
import { createRoute, z } from "@hono/zod-openapi";
import { unwrap } from "../../http/result.ts";
import type { ApiRouter } from "../index.ts";
import { type BackendForEnv, guard } from "../middleware.ts";
import { errorResponses, idempotencyHeaders, orderIdParams } from "../schemas/common.ts";

const json = <S>(schema: S) => ({ "application/json": { schema } });
const mm = z.number().int().positive().max(3_000);
const item = z
  .object({
    orderItemId: z.string().trim().min(1),
    quantity: z.number().int().min(1, "1 unit or more"),
  })
  .strict();
const parcelSize = z
  .object({
    weightGrams: z.number().int().positive().max(70_000, "at most 70,000 g (70 kg) a parcel"),
    lengthMm: mm.optional(),
    widthMm: mm.optional(),
    heightMm: mm.optional(),
  })
  .strict();

export const parcelsBodySchema = z
  .object({
    parcels: z
      .array(
        z.object({ items: z.array(item).min(1, "an empty parcel"), package: parcelSize.optional() }).strict(),
      )
      .min(1)
      .max(30),
  })
  .strict()
  .openapi("ParcelsSplit");

export const parcelsSchema = z
  .object({
    orderId: z.string(),
    parcels: z.array(
      z.object({
        packageReferenceId: z
          .string()
          .openapi({ description: "Sent to Amazon as packageDetail.packageReferenceId." }),
        items: z.array(z.object({ orderItemId: z.string(), quantity: z.number().int() })),
        package: z.object({ weightGrams: z.number() }).nullable(),
      }),
    ),
  })
  .openapi("OrderParcels");

export function registerOrderParcelRoutes(api: ApiRouter, backendFor: BackendForEnv): void {
  const route = createRoute({
    method: "put",
    path: "/orders/{orderId}/parcels",
    tags: ["Orders"],
    summary: "Split an order into parcels",
    description:
      "Before any label is bought: which units of which order lines go in each parcel. Every unit in exactly one parcel. Each parcel then has its own label, tracking and dispatch confirmation to Amazon (packageReferenceId 1, 2, …). One parcel undoes the split. Send an Idempotency-Key.",
    middleware: guard(backendFor, "work", { idempotent: true }),
    request: {
      params: orderIdParams,
      headers: idempotencyHeaders,
      body: { required: true, content: json(parcelsBodySchema) },
    },
    responses: {
      200: { description: "The order's parcels now.", content: json(parcelsSchema) },
      ...errorResponses(400, 404, 409, 422),
    },
  });
  api.openapi(route, async (c) => {
    const identity = c.get("identity");
    const { orderId } = c.req.valid("param");
    const { parcels } = c.req.valid("json");
    const order = unwrap(
      await backendFor(c.env, identity.sellerId).splitOrder(
        identity,
        orderId,
        parcels.map((p) => ({ items: p.items, ...(p.package ? { spec: p.package } : {}) })),
      ),
    );
    const split = order.packages ?? [];
    return c.json(
      {
        orderId: order.orderId,
        parcels:
          split.length > 0
            ? split.map((p) => ({
                packageReferenceId: p.packageReferenceId,
                items: p.items,
                package: p.spec ? { weightGrams: p.spec.weightGrams } : null,
              }))
            : [
                {
                  packageReferenceId: "1",
                  items: order.items.map((i) => ({
                    orderItemId: i.orderItemId,
                    quantity: i.quantityOrdered,
                  })),
                  package: order.package ? { weightGrams: order.package.weightGrams } : null,
                },
              ],
      },
      200,
    );
  });
}
