import { ConsignError, ErrorCode } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { isOutcomeUncertain } from "../http.ts";
import { fakeFetch, json, PDF_BASE64, PDF_BYTES } from "../test-support.ts";
import { createRoyalMailManifests } from "./manifest.ts";

const base = "https://rm.test/api/v1";

function manifests(answer: Parameters<typeof fakeFetch>[0], carrierName?: string) {
  const fake = fakeFetch(answer);
  return {
    ...fake,
    rm: createRoyalMailManifests(
      { baseUrl: base, apiKey: "k1", ...(carrierName ? { carrierName } : {}) },
      { fetch: fake.fetch },
    ),
  };
}

describe("Royal Mail Click & Drop manifests", () => {
  it("manifests the eligible orders and returns the printable PDF sent with a 201", async () => {
    const { rm, calls } = manifests(() => json({ manifestNumber: 1001, documentPdf: PDF_BASE64 }, 201));
    const m = await rm.manifestEligible();
    expect(m).toEqual({ manifestNumber: 1001, status: "completed", documentPdf: PDF_BYTES });
    expect(calls[0]).toMatchObject({ method: "POST", url: `${base}/manifests`, body: {} });
    expect(calls[0]?.headers.authorization).toBe("Bearer k1");
  });

  it("names the carrier when the account has several", async () => {
    const { rm, calls } = manifests(() => json({ manifestNumber: 7 }, 202), "Royal Mail OBA");
    await rm.manifestEligible();
    expect(calls[0]?.body).toEqual({ carrierName: "Royal Mail OBA" });
  });

  it("a 202 is a manifest whose PDF comes later, fetched with GET /manifests/{n}", async () => {
    let asked = 0;
    const { rm, calls } = manifests((call) => {
      if (call.method === "POST") return json({ manifestNumber: 1002 }, 202);
      asked++;
      return asked === 1
        ? json({ manifestNumber: 1002, status: "In Progress" })
        : json({ manifestNumber: 1002, status: "Completed", documentPdf: PDF_BASE64 });
    });
    expect(await rm.manifestEligible()).toEqual({ manifestNumber: 1002, status: "in_progress" });
    expect((await rm.get(1002)).status).toBe("in_progress");
    const ready = await rm.get(1002);
    expect(ready.status).toBe("completed");
    expect(ready.documentPdf).toEqual(PDF_BYTES);
    expect(calls[2]).toMatchObject({ method: "GET", url: `${base}/manifests/1002` });
  });

  it("retries a failed manifest by its number", async () => {
    const { rm, calls } = manifests((call) =>
      call.method === "GET"
        ? json({ manifestNumber: 1003, status: "Failed" })
        : json({ manifestNumber: 1003, documentPdf: PDF_BASE64 }, 201),
    );
    expect((await rm.get(1003)).status).toBe("failed");
    expect((await rm.retry(1003)).status).toBe("completed");
    expect(calls[1]).toMatchObject({ method: "POST", url: `${base}/manifests/retry/1003` });
  });

  it("passes on Royal Mail's reason when there is nothing to manifest", async () => {
    const { rm } = manifests(() =>
      json({ errors: [{ code: "NoOrdersToManifest", description: "There are no eligible orders" }] }, 400),
    );
    const error = await rm.manifestEligible().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsignError);
    expect((error as ConsignError).code).toBe(ErrorCode.UpstreamRejected);
    expect((error as ConsignError).message).toContain("There are no eligible orders");
  });

  it("says when the account does not offer manifests (403)", async () => {
    const { rm } = manifests(() => new Response(null, { status: 403 }));
    await expect(rm.manifestEligible()).rejects.toThrow("does not offer manifests");
  });

  it("a 500 leaves the outcome unknown", async () => {
    const { rm } = manifests(() => json({ errors: [{ code: "500", description: "Oops" }] }, 500));
    const error = await rm.manifestEligible().catch((e: unknown) => e);
    expect(isOutcomeUncertain(error)).toBe(true);
  });

  it("refuses a manifest document that is not a PDF", async () => {
    const { rm } = manifests(() => json({ manifestNumber: 9, documentPdf: btoa("<html>") }, 201));
    await expect(rm.manifestEligible()).rejects.toThrow("not a PDF");
  });

  it("refuses an answer without a manifest number", async () => {
    const { rm } = manifests(() => json({ documentPdf: PDF_BASE64 }, 201));
    await expect(rm.manifestEligible()).rejects.toMatchObject({ code: ErrorCode.UpstreamMalformed });
  });
});
