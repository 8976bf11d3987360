// PUT /orders/{orderId}/address-correction: a corrected delivery address, kept beside Amazon's
// (which never changes) with who, which device, when and why; labels go to it. DELETE goes back to
// Amazon's address. Both only before a label is bought.
import { TEXT_LIMITS, tooLong } from "@consign/domain";
import { createRoute, z } from "@hono/zod-openapi";
import { unwrap } from "../../http/result.ts";
import type { ApiRouter } from "../index.ts";
import { type BackendForEnv, guard } from "../middleware.ts";
import { presentOrder } from "../present.ts";
import { errorResponses, idempotencyHeaders, orderIdParams } from "../schemas/common.ts";
import { orderSchema } from "../schemas/orders.ts";

const json = <S>(schema: S) => ({ "application/json": { schema } });
const line = (max: number) => z.string().trim().max(max, tooLong(max));

export const addressCorrectionBodySchema = z
  .object({
    address: z
      .object({
        name: line(TEXT_LIMITS.name).min(1, "enter a name"),
        companyName: line(TEXT_LIMITS.name).optional(),
        line1: line(TEXT_LIMITS.addressLine).min(1, "enter the first address line"),
        line2: line(TEXT_LIMITS.addressLine).optional(),
        line3: line(TEXT_LIMITS.addressLine).optional(),
        city: line(TEXT_LIMITS.addressLine).min(1, "enter the town or city"),
        county: line(TEXT_LIMITS.addressLine).optional(),
        postcode: line(TEXT_LIMITS.short).min(1, "enter a postcode"),
        countryCode: z
          .string()
          .trim()
          .regex(/^[A-Za-z]{2}$/, "a two-letter country code, e.g. GB")
          .default("GB"),
        phone: line(TEXT_LIMITS.short).optional(),
      })
      .strict(),
    reason: line(TEXT_LIMITS.notes)
      .optional()
      .openapi({ description: "Why, for the order's history (e.g. \"buyer's message: flat 3\")." }),
  })
  .strict()
  .openapi("AddressCorrection");

export function registerOrderAddressRoutes(api: ApiRouter, backendFor: BackendForEnv): void {
  const put = createRoute({
    method: "put",
    operationId: "correctOrderAddress",
    path: "/orders/{orderId}/address-correction",
    tags: ["Orders"],
    summary: "Correct an order's delivery address",
    description:
      "Before a label is bought: the address labels go to, kept beside Amazon's (`recipient` never changes) with who, which device, when and why, and written in the order's history. The address is checked as the order's courier takes it (Royal Mail's rules when no service is chosen yet). Refused with 409 once the order has a label (void it first) or has been sent. Send an Idempotency-Key.",
    middleware: guard(backendFor, "work", { idempotent: true }),
    request: {
      params: orderIdParams,
      headers: idempotencyHeaders,
      body: { required: true, content: json(addressCorrectionBodySchema) },
    },
    responses: {
      200: { description: "The order, with its corrected address.", content: json(orderSchema) },
      ...errorResponses(400, 404, 409, 422),
    },
  });
  api.openapi(put, async (c) => {
    const identity = c.get("identity");
    const { orderId } = c.req.valid("param");
    const body = c.req.valid("json");
    const backend = backendFor(c.env, identity.sellerId);
    const order = unwrap(
      await backend.correctAddress(identity, orderId, { address: body.address, reason: body.reason }),
    );
    const at = unwrap(await backend.dispatchClock());
    return c.json(presentOrder(order, at.now, at.cutoff, at.couriers), 200);
  });

  const del = createRoute({
    method: "delete",
    operationId: "removeOrderAddressCorrection",
    path: "/orders/{orderId}/address-correction",
    tags: ["Orders"],
    summary: "Go back to Amazon's delivery address",
    description:
      "Removes the corrected address, before a label is bought; the history keeps both. Send an Idempotency-Key.",
    middleware: guard(backendFor, "work", { idempotent: true }),
    request: { params: orderIdParams, headers: idempotencyHeaders },
    responses: {
      200: { description: "The order, on Amazon's address again.", content: json(orderSchema) },
      ...errorResponses(404, 409, 422),
    },
  });
  api.openapi(del, async (c) => {
    const identity = c.get("identity");
    const { orderId } = c.req.valid("param");
    const backend = backendFor(c.env, identity.sellerId);
    const order = unwrap(await backend.correctAddress(identity, orderId, null));
    const at = unwrap(await backend.dispatchClock());
    return c.json(presentOrder(order, at.now, at.cutoff, at.couriers), 200);
  });
}
