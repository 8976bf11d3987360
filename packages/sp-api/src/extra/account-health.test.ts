import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAccountHealthReport, parseFeedbackReport } from "./account-health.ts";

const specs = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "..",
  "..",
  "shared",
  "specs",
  "sp-api",
);
const modelFile = join(specs, "accountHealthReport-2020-11-18.json");

const full = {
  accountStatuses: [{ marketplaceId: "A1F83G8C2ARO7P", status: "NORMAL" }],
  performanceMetrics: [
    {
      marketplaceId: "A1F83G8C2ARO7P",
      lateShipmentRate: {
        reportingDateRange: { reportingDateFrom: "2026-04-01T00:00Z", reportingDateTo: "2026-04-30T23:59Z" },
        orderCount: 250,
        lateShipmentCount: 9,
        status: "GOOD",
        rate: 0.036,
        targetValue: 0.04,
        targetCondition: "LESS_THAN",
      },
      orderDefectRate: {
        mfn: {
          reportingDateRange: {
            reportingDateFrom: "2026-02-01T00:00Z",
            reportingDateTo: "2026-04-01T23:59Z",
          },
          orderCount: 300,
          orderWithDefects: { count: 3, status: "BAD" },
          claims: { count: 1, status: "NONE" },
          chargebacks: { count: 0, status: "NONE" },
          negativeFeedback: { count: 2, status: "NONE" },
          status: "GOOD",
          rate: 0.01,
          targetValue: 0.01,
          targetCondition: "LESS_THAN",
        },
        afn: {
          reportingDateRange: {
            reportingDateFrom: "2026-02-01T00:00Z",
            reportingDateTo: "2026-04-01T23:59Z",
          },
          orderCount: 2000,
          orderWithDefects: { count: 4, status: "GOOD" },
          claims: { count: 0, status: "NONE" },
          chargebacks: { count: 1, status: "NONE" },
          negativeFeedback: { count: 3, status: "NONE" },
          fulfillmentType: "afn",
          status: "GOOD",
          rate: 0.002,
          targetValue: 0.01,
          targetCondition: "LESS_THAN",
        },
      },
      accountHealthRating: { ahrStatus: "GREAT", reportingDateRange: {} },
    },
  ],
};

describe("the account health report", () => {
  it("reads the late dispatch and order defect figures with their windows", () => {
    const h = parseAccountHealthReport(full);
    expect(h.accountStatus).toBe("NORMAL");
    expect(h.lateDispatchRate).toMatchObject({
      total: 250,
      count: 9,
      rate: 0.036,
      target: 0.04,
      from: "2026-04-01T00:00:00.000Z",
      to: "2026-04-30T23:59:00.000Z",
    });
    expect(h.orderDefectRate).toMatchObject({
      total: 300,
      count: 3,
      negativeFeedback: 2,
      claims: 1,
      chargebacks: 0,
    });
    expect(h.accountHealthRating).toBe("GREAT");
  });

  it("reads the FBA order defect rate apart from the seller-fulfilled one", () => {
    const h = parseAccountHealthReport(full);
    expect(h.fbaOrderDefectRate).toMatchObject({
      total: 2000,
      count: 4,
      rate: 0.002,
      negativeFeedback: 3,
      claims: 0,
      chargebacks: 1,
      from: "2026-02-01T00:00:00.000Z",
    });
    expect(h.orderDefectRate).toMatchObject({ total: 300, count: 3 });
  });

  it("parses a report with sections missing and leaves the missing figures undefined, not 0", () => {
    const h = parseAccountHealthReport({
      performanceMetrics: [{ marketplaceId: "A1F83G8C2ARO7P", lateShipmentRate: { rate: 0.05 } }],
    });
    expect(h.lateDispatchRate?.rate).toBe(0.05);
    expect(h.lateDispatchRate?.total).toBeUndefined();
    expect(h.lateDispatchRate?.count).toBeUndefined();
    expect(h.orderDefectRate).toBeUndefined();
    expect(h.validTrackingRate).toBeUndefined();
    expect(h.accountStatus).toBeUndefined();
    expect(parseAccountHealthReport({})).toEqual({ marketplaceId: "A1F83G8C2ARO7P" });
  });

  it("refuses a report whose figures have the wrong type", () => {
    expect(() =>
      parseAccountHealthReport({ performanceMetrics: [{ lateShipmentRate: { rate: "high" } }] }),
    ).toThrow();
  });

  it.skipIf(!existsSync(modelFile))(
    "reads the example in Amazon's own model (skips when ../shared/specs is absent)",
    () => {
      const model = JSON.parse(readFileSync(modelFile, "utf8")) as { examples: unknown[] };
      const h = parseAccountHealthReport(model.examples[0], "ATVPDKIKX0DER");
      expect(h.accountStatus).toBe("AT_RISK");
      expect(h.lateDispatchRate?.count).toBe(27896);
      // Amazon's example spells this section "prefulfillmentCancelRate".
      expect(h.preFulfilmentCancellationRate?.count).toBe(551);
    },
  );
});

describe("the feedback report", () => {
  it("gives each feedback's order id, rating and day", () => {
    const rows = parseFeedbackReport(
      "Date\tRating\tComments\tResponse\tOrder ID\tRater Email\n03/05/26\t1\tLate\t\t202-1234567-1234567\tx@y\n01/05/26\t5\tGreat\t\t203-1234567-1234567\tz@y\n",
    );
    expect(rows).toEqual([
      { orderId: "202-1234567-1234567", rating: 1, at: Date.UTC(2026, 4, 3), comment: "Late" },
      { orderId: "203-1234567-1234567", rating: 5, at: Date.UTC(2026, 4, 1), comment: "Great" },
    ]);
    expect(() => parseFeedbackReport("Something\telse\n")).toThrow(/Order ID/);
  });
});
