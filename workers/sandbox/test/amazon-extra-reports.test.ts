import { describe, expect, it } from "vitest";
import { type BuyerEventsBody, extra, json, seededSeller, UK } from "./amazon-extra-helpers.ts";
import { call, control } from "./amazon-helpers.ts";

interface Report {
  processingStatus: string;
  reportDocumentId?: string;
}

describe("Reports API 2021-06-30 in the sandbox", () => {
  it("moves a performance report from IN_QUEUE to DONE and serves the document from its URL", async () => {
    const seller = "AEXTRAREP1";
    const token = await seededSeller(seller, 400);
    await extra(seller, "faults", { reportProcessingMs: 60_000 });
    const created = await json("/reports/2021-06-30/reports", token, {
      method: "POST",
      body: JSON.stringify({ reportType: "GET_V2_SELLER_PERFORMANCE_REPORT", marketplaceIds: [UK] }),
    });
    expect(created.status).toBe(202);
    const { reportId } = created.body as { reportId: string };
    const first = await json(`/reports/2021-06-30/reports/${reportId}`, token);
    expect((first.body as Report).processingStatus).toBe("IN_QUEUE");
    expect(first.headers.get("x-amzn-RateLimit-Limit")).toBe("2000");
    await control(`${seller}/clock`, { advanceMs: 30_000 });
    expect(
      ((await json(`/reports/2021-06-30/reports/${reportId}`, token)).body as Report).processingStatus,
    ).toBe("IN_PROGRESS");
    await control(`${seller}/clock`, { advanceMs: 30_000 });
    const done = (await json(`/reports/2021-06-30/reports/${reportId}`, token)).body as Report;
    expect(done.processingStatus).toBe("DONE");
    const doc = await json(`/reports/2021-06-30/documents/${done.reportDocumentId}`, token);
    expect(doc.status).toBe(200);
    const url = new URL((doc.body as { url: string }).url);
    const download = await call(`${url.pathname}${url.search}`);
    expect(download.status).toBe(200);
    const report = (await download.json()) as {
      performanceMetrics: {
        lateShipmentRate: {
          rate: number;
          orderCount: number;
          lateShipmentCount: number;
          targetValue: number;
        };
        orderDefectRate: {
          mfn: { claims: { count: number }; negativeFeedback: { count: number }; orderCount: number };
        };
      }[];
    };
    const m = report.performanceMetrics[0];
    expect(m?.lateShipmentRate.orderCount).toBeGreaterThan(50);
    // The demo seller dispatches about 1.5% late: healthy, under Amazon's 4% target, but not spotless.
    const lsr = m?.lateShipmentRate as {
      rate: number;
      targetValue: number;
      status?: string;
      lateShipmentCount: number;
      orderCount: number;
    };
    expect(lsr.rate).toBeGreaterThan(0);
    expect(lsr.rate).toBeLessThan(0.04);
    expect(lsr.rate).toBeCloseTo(lsr.lateShipmentCount / lsr.orderCount, 5);
    expect(lsr.status).toBe(lsr.rate < 0.04 ? "GOOD" : "BAD");
    expect(m?.orderDefectRate.mfn.orderCount).toBeGreaterThan(0);
    // An expired URL is refused like a presigned storage URL.
    await control(`${seller}/clock`, { advanceMs: 6 * 60_000 });
    expect((await call(`${url.pathname}${url.search}`)).status).toBe(403);
  });

  it("lists negative feedback with the seller's own order ids in the feedback report", async () => {
    const seller = "AEXTRAREP2";
    const token = await seededSeller(seller, 300);
    await extra(seller, "faults", { reportProcessingMs: 0 });
    const created = await json("/reports/2021-06-30/reports", token, {
      method: "POST",
      body: JSON.stringify({ reportType: "GET_SELLER_FEEDBACK_DATA", marketplaceIds: [UK] }),
    });
    const { reportId } = created.body as { reportId: string };
    const done = (await json(`/reports/2021-06-30/reports/${reportId}`, token)).body as Report;
    const doc = await json(`/reports/2021-06-30/documents/${done.reportDocumentId}`, token);
    const url = new URL((doc.body as { url: string }).url);
    const text = await (await call(`${url.pathname}${url.search}`)).text();
    const [header, ...rows] = text.trim().split("\n");
    expect(header?.split("\t")).toEqual([
      "Date",
      "Rating",
      "Comments",
      "Response",
      "Order ID",
      "Rater Email",
    ]);
    const negative = rows
      .map((r) => r.split("\t"))
      .filter((r) => Number(r[1]) <= 2)
      .map((r) => r[4]);
    expect(negative.length).toBe(2);
    const events = (await extra(seller, "buyer-events", undefined, "GET")) as BuyerEventsBody;
    expect(negative.sort()).toEqual(
      events.feedback
        .filter((f) => f.rating <= 2)
        .map((f) => f.orderId)
        .sort(),
    );
  });

  it("refuses an unsupported report type and a missing marketplace with an error list", async () => {
    const token = await seededSeller("AEXTRAREP3", 20);
    const bad = await json("/reports/2021-06-30/reports", token, {
      method: "POST",
      body: JSON.stringify({ reportType: "GET_V2_SELLER_PERFORMANCE_REPORT" }),
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { errors: { code: string }[] }).errors[0]?.code).toBe("InvalidInput");
    const missing = await json("/reports/2021-06-30/reports/999", token);
    expect(missing.status).toBe(404);
  });

  it("answers 429 with the usage plan's rate once createReport's burst of 15 is spent", async () => {
    const seller = "AEXTRAREP4";
    const token = await seededSeller(seller, 10, 1);
    const statuses: number[] = [];
    let limit: string | null = null;
    for (let i = 0; i < 16; i++) {
      const res = await json("/reports/2021-06-30/reports", token, {
        method: "POST",
        body: JSON.stringify({ reportType: "GET_V2_SELLER_PERFORMANCE_REPORT", marketplaceIds: [UK] }),
      });
      statuses.push(res.status);
      limit = res.headers.get("x-amzn-RateLimit-Limit");
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(15);
    expect(statuses[15]).toBe(429);
    expect(limit).toBe("0.0167");
  });

  it("refuses a call without a valid access token", async () => {
    const res = await json("/reports/2021-06-30/reports/1", "not-a-token");
    expect(res.status).toBe(403);
  });
});
