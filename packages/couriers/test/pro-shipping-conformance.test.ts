// Conformance: Royal Mail Pro Shipping (Shipping API v3). Our adapter runs against the sandbox Worker
// (bundled by wrangler, run in Miniflare), and every request it sends and every answer the sandbox
// gives is checked against Royal Mail's own model (Swagger 2.0 definitions in
// ../shared/specs/couriers/royalmail/rmg-pro-shipping-v3-rest-api-v3.0.20.yaml).

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConsignError } from "@consign/domain";
import Ajv from "ajv";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startSandbox } from "../../sp-api/test/sandbox.ts";
import { createProShippingAdapter } from "../src/royal-mail/pro-shipping.ts";
import { sampleRequest } from "../src/test-support.ts";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..", "..");
const specFile = join(
  repoRoot,
  "..",
  "shared",
  "specs",
  "couriers",
  "royalmail",
  "rmg-pro-shipping-v3-rest-api-v3.0.20.yaml",
);
const haveSpec = existsSync(specFile);
if (!haveSpec)
  console.warn(`Skipping Pro Shipping conformance: ${specFile} is absent (Royal Mail's model is not here).`);

type Spec = { definitions: Record<string, unknown> };

function validator(spec: Spec) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
  ajv.addFormat("date-time", () => true);
  ajv.addFormat("int32", () => true);
  ajv.addFormat("double", () => true);
  ajv.addFormat("uuid", () => true);
  return (schema: Record<string, unknown>, value: unknown) => {
    const validate = ajv.compile({ ...schema, definitions: spec.definitions });
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}

interface Exchange {
  method: string;
  path: string;
  request: unknown;
  status: number;
  answer: unknown;
}

describe.skipIf(!haveSpec)(
  "Royal Mail Pro Shipping: our adapter and the sandbox against Royal Mail's v3 model",
  () => {
    let mf: Miniflare;
    const exchanges: Exchange[] = [];
    const fetch = async (input: string, init: RequestInit = {}) => {
      const url = new URL(input);
      const body = typeof init.body === "string" ? init.body : undefined;
      const res = await mf.dispatchFetch(`http://127.0.0.1:8788${url.pathname}${url.search}`, {
        method: init.method ?? "GET",
        headers: init.headers as Record<string, string>,
        ...(body !== undefined ? { body } : {}),
      });
      const text = await res.text();
      exchanges.push({
        method: init.method ?? "GET",
        path: url.pathname.replace(/^\/royalmail-pro\/shipping\/v3/, ""),
        request: body ? JSON.parse(body) : undefined,
        status: res.status,
        answer: text ? JSON.parse(text) : undefined,
      });
      return new Response(text, { status: res.status, headers: res.headers as unknown as Headers });
    };

    beforeAll(async () => {
      // The sandbox Worker bundled by wrangler, in Miniflare, as the SP-API conformance tests run it.
      mf = startSandbox("http://127.0.0.1:8788");
    }, 180_000);

    afterAll(async () => {
      await mf?.dispose();
    });

    it("buys, prints as ZPL at 203 and 300 dpi, cancels and refuses in the model's shapes", async () => {
      const spec = parse(readFileSync(specFile, "utf8")) as Spec & {
        paths: Record<
          string,
          Record<string, { parameters?: { in: string; schema?: Record<string, unknown> }[] }>
        >;
      };
      const check = validator(spec);
      const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
      const adapter = createProShippingAdapter(
        {
          baseUrl: "http://127.0.0.1:8788/royalmail-pro/shipping/v3",
          clientId: `conformance-${crypto.randomUUID()}`,
          clientSecret: "secret",
          username: "despatch@seller.test",
          password: "pro-password-1",
          postingLocation: "9000000001",
        },
        { fetch },
      );
      const bought = await adapter.createShipment(sampleRequest, {
        idempotencyKey: `${sampleRequest.orderId}:1`,
      });
      expect(bought.trackingNumber).toMatch(/^TT\d{9}GB$/);
      expect(new TextDecoder().decode(bought.labelPdf?.subarray(0, 5))).toBe("%PDF-");
      const zpl203 = await adapter.fetchZplLabel?.(bought, 203);
      const zpl300 = await adapter.fetchZplLabel?.(bought, 300);
      expect(zpl203).toContain(`^FD${bought.trackingNumber}^FS`);
      expect(zpl300).toContain("^PW1200");
      await adapter.voidShipment(bought);
      // A label the courier refuses: Royal Mail's own reason reaches the seller.
      const refused = await adapter
        .createShipment(
          { ...sampleRequest, recipient: { ...sampleRequest.recipient, postcode: "ZZ9 9ZZ" } },
          {
            idempotencyKey: "x:1",
          },
        )
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ConsignError);
      expect((refused as Error).message).toMatch(/Royal Mail refused .*postcode.*Destination\.Postcode/);

      const bodyParam = (path: string, method: string) =>
        spec.paths[path]?.[method]?.parameters?.find((p) => p.in === "body")?.schema;
      const problems: string[] = [];
      for (const x of exchanges) {
        const where = `${x.method} ${x.path} (${x.status})`;
        const path =
          x.path === "/token"
            ? "/token"
            : x.path === "/shipments"
              ? "/shipments"
              : x.path === "/shipments/cancel"
                ? "/shipments/cancel"
                : x.path.endsWith("/printLabel")
                  ? "/shipments/{shipmentId}/printLabel"
                  : x.path;
        const method = x.method.toLowerCase();
        expect(spec.paths[path]?.[method], `${where} is an operation of the model`).toBeDefined();
        const requestSchema = bodyParam(path, method);
        if (requestSchema)
          problems.push(...check(requestSchema, x.request).map((p) => `${where} request ${p}`));
        const answerSchema =
          path === "/token"
            ? undefined
            : path === "/shipments"
              ? ref("ShipmentCreateResponse")
              : path === "/shipments/cancel"
                ? ref("ShipmentsCancelResponse")
                : ref("PrintLabelResponse");
        if (answerSchema && x.status !== 401)
          problems.push(...check(answerSchema, x.answer).map((p) => `${where} answer ${p}`));
      }
      expect(problems).toEqual([]);
      expect(
        exchanges.map(
          (x) =>
            `${x.method} ${x.path.replace(/\/shipments\/[^/]+\/printLabel/, "/shipments/{id}/printLabel")} ${x.status}`,
        ),
      ).toEqual([
        "POST /token 200",
        "POST /shipments 200",
        "PUT /shipments/{id}/printLabel 200",
        "PUT /shipments/{id}/printLabel 200",
        "PUT /shipments/cancel 200",
        "POST /shipments 400",
      ]);
    }, 60_000);
  },
);
