import { describe, expect, it } from "vitest";
import { createHealthClient } from "./client.ts";

function fakeFetch(answers: (() => Response)[]) {
  const calls: { url: string; method: string; body?: string }[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({
      url: String(url),
      method: init?.method ?? "GET",
      ...(typeof init?.body === "string" ? { body: init.body } : {}),
    });
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    return next();
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const opts = {
  baseUrl: "http://127.0.0.1:8788",
  accessToken: async () => "Atza|A1|x",
  sleep: async () => {},
  random: () => 0,
};

describe("the health client", () => {
  it("retries a 429 and a 503, then returns Amazon's verdict on a listing quantity", async () => {
    const { fetch, calls } = fakeFetch([
      () => json({ errors: [{ code: "QuotaExceeded", message: "slow down" }] }, 429),
      () => json({ errors: [{ code: "ServiceUnavailable", message: "later" }] }, 503),
      () =>
        json({
          sku: "MUG",
          status: "INVALID",
          submissionId: "s1",
          issues: [{ code: "90111", message: "Unknown SKU", severity: "ERROR" }],
        }),
    ]);
    const client = createHealthClient({ ...opts, fetch });
    const r = await client.setListingQuantity("A1", "MUG", 0);
    expect(r.status).toBe("INVALID");
    expect(r.issues?.[0]?.message).toBe("Unknown SKU");
    expect(calls).toHaveLength(3);
    expect(calls[2]?.method).toBe("PATCH");
    expect(calls[2]?.url).toBe(
      "http://127.0.0.1:8788/listings/2021-08-01/items/A1/MUG?marketplaceIds=A1F83G8C2ARO7P",
    );
    expect(JSON.parse(calls[2]?.body ?? "{}").patches[0].value[0].quantity).toBe(0);
  });

  it("refuses an answer that breaks the model instead of using half of it", async () => {
    const { fetch } = fakeFetch([() => json({ reportId: "1", processingStatus: "SOMETIMES" })]);
    const client = createHealthClient({ ...opts, fetch });
    await expect(client.getReport("1")).rejects.toMatchObject({ code: "upstream_malformed" });
  });

  it("says a second review request was refused, with Amazon's reason", async () => {
    const { fetch } = fakeFetch([
      () =>
        json(
          {
            errors: [
              { code: "InvalidInput", message: "A solicitation has already been sent for this order." },
            ],
          },
          400,
        ),
    ]);
    const client = createHealthClient({ ...opts, fetch });
    await expect(client.requestReview("202-1")).rejects.toMatchObject({
      code: "upstream_rejected",
      httpStatus: 400,
    });
  });

  it("waits for its own usage plan: the sixth listing push in a burst of five has to wait", async () => {
    const accepted = () => json({ sku: "MUG", status: "ACCEPTED", submissionId: "s" });
    const { fetch } = fakeFetch([accepted, accepted, accepted, accepted, accepted]);
    const client = createHealthClient({ ...opts, fetch, clock: () => 1_000 });
    for (let i = 0; i < 5; i++) await client.setListingQuantity("A1", "MUG", i);
    expect(client.waitTime("patchListingsItem")).toBeGreaterThanOrEqual(200);
    expect(client.waitTime("listTransactions")).toBe(0);
  });
});
