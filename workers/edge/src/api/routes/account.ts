// GET /metrics, GET/PUT /rules, GET /exports/orders.csv, GET /exports/shipments.csv.
import { metricList, noRateReason } from "@consign/domain";
import { createRoute, z } from "@hono/zod-openapi";
import { unwrap } from "../../http/result.ts";
import { ordersCsv, shipmentsCsv } from "../csv.ts";
import type { ApiRouter } from "../index.ts";
import { type BackendForEnv, guard } from "../middleware.ts";
import { iso } from "../present.ts";
import { errorResponses } from "../schemas/common.ts";
import { exportQuerySchema, metricsSchema, rulesBodySchema, rulesSchema } from "../schemas/ops.ts";

const json = <S>(schema: S) => ({ "application/json": { schema } });

export function registerAccountRoutes(api: ApiRouter, backendFor: BackendForEnv): void {
  const metrics = createRoute({
    method: "get",
    path: "/metrics",
    tags: ["Metrics"],
    summary: "Account health metrics",
    description:
      "Amazon's customer metrics as Consign computes them now: rate, target and status per window, seller-fulfilled (MFN) and FBA (AFN) apart. Windows are whole UTC days ending today, as Amazon's account-health report draws them; from/to give each range.",
    middleware: guard(backendFor, "read"),
    responses: { 200: { description: "Every metric.", content: json(metricsSchema) }, ...errorResponses() },
  });
  api.openapi(metrics, async (c) => {
    const now = Date.now();
    const all = unwrap(await backendFor(c.env, c.get("identity").sellerId).metrics(now));
    return c.json(
      {
        computedAt: iso(now),
        metrics: metricList(all).map((m) => ({
          ...m,
          from: iso(m.from),
          to: iso(m.to),
          note: noRateReason(m),
        })),
      },
      200,
    );
  });

  const getRules = createRoute({
    method: "get",
    path: "/rules",
    tags: ["Shipping rules"],
    summary: "Shipping rules",
    middleware: guard(backendFor, "read"),
    responses: {
      200: { description: "The rules in order.", content: json(rulesSchema) },
      ...errorResponses(),
    },
  });
  api.openapi(getRules, async (c) => {
    const rules = unwrap(await backendFor(c.env, c.get("identity").sellerId).getRules());
    return c.json({ rules }, 200);
  });

  const putRules = createRoute({
    method: "put",
    path: "/rules",
    tags: ["Shipping rules"],
    summary: "Replace the shipping rules",
    description: "Replaces the whole list; the PWA shows the new rules at once.",
    middleware: guard(backendFor, "work"),
    request: { body: { required: true, content: json(rulesBodySchema) } },
    responses: {
      200: { description: "The rules as saved.", content: json(rulesSchema) },
      ...errorResponses(400),
    },
  });
  api.openapi(putRules, async (c) => {
    const identity = c.get("identity");
    const rules = unwrap(
      await backendFor(c.env, identity.sellerId).putRules(identity, c.req.valid("json").rules),
    );
    return c.json({ rules }, 200);
  });

  for (const kind of ["orders", "shipments"] as const) {
    const route = createRoute({
      method: "get",
      path: `/exports/${kind}.csv`,
      tags: ["Exports"],
      summary: kind === "orders" ? "Export orders as CSV" : "Export shipments as CSV",
      description:
        kind === "orders"
          ? "Orders purchased in the range, one row each (RFC 4180 CSV, UTF-8)."
          : "Labels bought in the range, voided ones included (RFC 4180 CSV, UTF-8).",
      middleware: guard(backendFor, "read"),
      request: { query: exportQuerySchema },
      responses: {
        200: { description: "The CSV file.", content: { "text/csv": { schema: z.string() } } },
        ...errorResponses(400),
      },
    });
    api.openapi(route, async (c) => {
      const { from, to } = c.req.valid("query");
      const orders = unwrap(await backendFor(c.env, c.get("identity").sellerId).exportOrders(from, to));
      const csv = kind === "orders" ? ordersCsv(orders, from, to) : shipmentsCsv(orders, from, to);
      const name = `${kind}-${iso(from).slice(0, 10)}-to-${iso(to - 1).slice(0, 10)}.csv`;
      return new Response(csv, {
        status: 200,
        headers: {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": `attachment; filename="${name}"`,
        },
      });
    });
  }
}
