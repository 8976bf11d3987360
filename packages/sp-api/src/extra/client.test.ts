import { describe, expect, it } from "vitest";
import { createHealthClient } from "./client.ts";

function fakeFetch(answers: (() => Response)[]) {
  const calls: { url: string; method: string; body?: string; token?: string }[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({
      url: String(url),
      method: init?.method ?? "GET",
      token: (init?.headers as Record<string, string> | undefined)?.["x-amz-access-token"],
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

const sentTokens = (calls: { token?: string }[]) => calls.map((c) => c.token);

describe("the health client's access token", () => {
  const expired = () =>
    json(
      {
        errors: [
          {
            code: "Unauthorized",
            message: "Access to requested resource is denied.",
            details: "The access token you provided has expired.",
          },
        ],
      },
      403,
    );

  it("asks once for a fresh token when Amazon says the one it sent has expired, and carries on", async () => {
    const { fetch, calls } = fakeFetch([
      expired,
      () => json({ errors: [{ code: "ServiceUnavailable", message: "later" }] }, 503),
      () => json({ _links: { actions: [], self: { href: "/solicitations/v1/orders/202-1" } } }),
    ]);
    const asked: (string | undefined)[] = [];
    let current = "Atza|A1|old";
    const client = createHealthClient({
      ...opts,
      fetch,
      accessToken: async (refused) => {
        asked.push(refused);
        if (refused === current) current = "Atza|A1|new";
        return current;
      },
    });
    expect(await client.canRequestReview("202-1")).toBe(false);
    // The refused token is named once; the retry after the 503 takes the current token as usual.
    expect(asked).toEqual([undefined, "Atza|A1|old", undefined]);
    expect(calls).toHaveLength(3);
    expect(sentTokens(calls)).toEqual(["Atza|A1|old", "Atza|A1|new", "Atza|A1|new"]);
  });

  it("gives up with 'connect again' when the fresh token is refused too", async () => {
    const { fetch, calls } = fakeFetch([expired, expired, expired]);
    const client = createHealthClient({ ...opts, fetch });
    await expect(client.getReport("1")).rejects.toMatchObject({
      code: "amazon_credentials_refused",
      httpStatus: 403,
      message: expect.stringMatching(/connect again/),
    });
    expect(calls).toHaveLength(2);
  });

  it("does not take a refusal of something else for a token problem", async () => {
    const { fetch, calls } = fakeFetch([
      () => json({ errors: [{ code: "InvalidInput", message: "Missing marketplaceIds." }] }, 400),
    ]);
    const client = createHealthClient({ ...opts, fetch });
    await expect(client.canRequestReview("202-1")).rejects.toMatchObject({ code: "upstream_rejected" });
    expect(calls).toHaveLength(1);
  });
});

describe("the health client's patience", () => {
  it("abandons an answer that takes longer than timeoutMs and tries again", async () => {
    let calls = 0;
    const fetch = (async (_url: string | URL | Request, init?: RequestInit) => {
      calls += 1;
      if (calls === 1) {
        // Never answers: only the abort signal ends this call.
        return new Promise<Response>((_, reject) =>
          init?.signal?.addEventListener("abort", () => reject(new Error("The operation timed out."))),
        );
      }
      return json({ reportId: "42" }, 202);
    }) as typeof globalThis.fetch;
    const client = createHealthClient({ ...opts, fetch, timeoutMs: 20 });
    expect(await client.createReport("GET_V2_SELLER_PERFORMANCE_REPORT")).toBe("42");
    expect(calls).toBe(2);
  });
});
