// Conformance of the sandbox's extra operations (Reports, Finances, Listings Items, Solicitations)
// with Amazon's models in ../shared/specs/sp-api, and our health client reading them. Runs the
// bundled sandbox Worker in Miniflare, like test/conformance.test.ts.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../../test/sandbox.ts";
import { parseAccountHealthReport } from "./account-health.ts";
import { createHealthClient } from "./client.ts";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..", "..", "..");
const specsDir = join(repoRoot, "..", "shared", "specs", "sp-api");
const haveSpecs = existsSync(join(specsDir, "reports_2021-06-30.json"));
if (!haveSpecs)
  console.warn(
    `Skipping the health conformance test: ${specsDir} is absent (the official models are not here).`,
  );

const UK = "A1F83G8C2ARO7P";
type Spec = { definitions: Record<string, unknown> };
const load = (file: string) => JSON.parse(readFileSync(join(specsDir, file), "utf8")) as Spec;

function validator(spec: Spec) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("date-time", (s: string) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s),
  );
  ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
  return (definition: string, value: unknown) => {
    const validate = ajv.compile({ $ref: `#/definitions/${definition}`, definitions: spec.definitions });
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}

describe.skipIf(!haveSpecs)("the sandbox's health operations conform to Amazon's models", () => {
  let mf: Miniflare;
  const base = "http://127.0.0.1:8788";
  const fetchSandbox = async (input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    const res = await mf.dispatchFetch(`${base}${url.pathname}${url.search}`, {
      method: req.method,
      headers: Object.fromEntries(req.headers),
      body: req.method === "GET" ? undefined : await req.text(),
      redirect: "manual",
    });
    return new Response(await res.arrayBuffer(), {
      status: res.status,
      headers: res.headers as unknown as Headers,
    });
  };
  const call = async (path: string, token: string, init: RequestInit = {}) => {
    const res = await fetchSandbox(`${base}${path}`, {
      ...init,
      headers: { "x-amz-access-token": token, "content-type": "application/json" },
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  };

  beforeAll(async () => {
    mf = startSandbox(base);
  }, 120_000);

  afterAll(async () => {
    await mf?.dispose();
  });

  it("answers Reports, Finances, Listings Items and Solicitations in the models' shapes", async () => {
    const reports = validator(load("reports_2021-06-30.json"));
    const finances = validator(load("finances_2024-06-19.json"));
    const listings = validator(load("listingsItems_2021-08-01.json"));
    const solicitations = validator(load("solicitations.json"));
    const health = JSON.parse(
      readFileSync(join(specsDir, "accountHealthReport-2020-11-18.json"), "utf8"),
    ) as object;
    const seller = "AHEALTHCONFORM";
    const post = (path: string, body: unknown) =>
      fetchSandbox(`${base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    await post(`/_sandbox/amazon/sellers/${seller}/seed`, {
      orders: 300,
      historyDays: 90,
      seed: 3,
      arrivalsPerHour: 0,
    });
    await post(`/_sandbox/amazon/sellers/${seller}/faults`, { rateScale: 1000 });
    await post(`/_sandbox/amazon/sellers/${seller}/extra/faults`, {
      reportProcessingMs: 0,
      refuseSkus: { BAD: "" },
    });
    const consent = await fetchSandbox(
      `${base}/apps/authorize/consent?application_id=a&state=s&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&auto=1&sandbox_seller=${seller}`,
    );
    const code = new URL(consent.headers.get("location") as string).searchParams.get(
      "spapi_oauth_code",
    ) as string;
    const lwa = await fetchSandbox(`${base}/auth/o2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        client_id: "amzn1.application-oa2-client.consignsandbox",
        client_secret: "sandbox-client-secret",
      }).toString(),
    });
    const token = ((await lwa.json()) as { access_token: string }).access_token;

    const created = await call("/reports/2021-06-30/reports", token, {
      method: "POST",
      body: JSON.stringify({ reportType: "GET_V2_SELLER_PERFORMANCE_REPORT", marketplaceIds: [UK] }),
    });
    expect(reports("CreateReportResponse", created.body)).toEqual([]);
    const report = await call(
      `/reports/2021-06-30/reports/${(created.body as { reportId: string }).reportId}`,
      token,
    );
    expect(reports("Report", report.body)).toEqual([]);
    const doc = await call(
      `/reports/2021-06-30/documents/${(report.body as { reportDocumentId: string }).reportDocumentId}`,
      token,
    );
    expect(reports("ReportDocument", doc.body)).toEqual([]);
    const document = (await (await fetchSandbox((doc.body as { url: string }).url)).json()) as unknown;
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validHealth = ajv.compile(health);
    expect(validHealth(document) ? [] : validHealth.errors).toEqual([]);
    expect(parseAccountHealthReport(document).lateDispatchRate?.total).toBeGreaterThan(0);
    const missing = await call("/reports/2021-06-30/reports/0", token);
    expect(reports("ErrorList", missing.body)).toEqual([]);

    const tx = await call(
      `/finances/2024-06-19/transactions?postedAfter=${new Date(Date.now() - 90 * 86_400_000).toISOString()}`,
      token,
    );
    expect(tx.status).toBe(200);
    expect(finances("ListTransactionsResponse", tx.body)).toEqual([]);
    const txBad = await call("/finances/2024-06-19/transactions", token);
    expect(finances("ErrorList", txBad.body)).toEqual([]);

    const patch = (sku: string) =>
      call(`/listings/2021-08-01/items/${seller}/${sku}?marketplaceIds=${UK}`, token, {
        method: "PATCH",
        body: JSON.stringify({
          productType: "PRODUCT",
          patches: [
            {
              op: "replace",
              path: "/attributes/fulfillment_availability",
              value: [{ fulfillment_channel_code: "DEFAULT", quantity: 4 }],
            },
          ],
        }),
      });
    expect(listings("ListingsItemSubmissionResponse", (await patch("GOOD")).body)).toEqual([]);
    const refused = await patch("BAD");
    expect(listings("ListingsItemSubmissionResponse", refused.body)).toEqual([]);
    expect((refused.body as { status: string }).status).toBe("INVALID");

    const some = await call(`/solicitations/v1/orders/202-0000000-0000000?marketplaceIds=${UK}`, token);
    expect(some.status).toBe(404);
    expect(solicitations("GetSolicitationActionsForOrderResponse", some.body)).toEqual([]);

    // Our client reads the same answers through its schemas.
    const client = createHealthClient({
      fetch: fetchSandbox,
      baseUrl: base,
      accessToken: async () => token,
      rateScale: 1000,
    });
    const page = await client.listTransactions({
      postedAfter: new Date(Date.now() - 90 * 86_400_000).toISOString(),
    });
    expect(page.transactions.length).toBeGreaterThan(0);
    for (const t of page.transactions) {
      const id = t.relatedIdentifiers?.[0]?.relatedIdentifierValue as string;
      const actions = await call(`/solicitations/v1/orders/${id}?marketplaceIds=${UK}`, token);
      expect(solicitations("GetSolicitationActionsForOrderResponse", actions.body)).toEqual([]);
    }
    expect((await client.setListingQuantity(seller, "GOOD", 0)).status).toBe("ACCEPTED");
  }, 90_000);
});
