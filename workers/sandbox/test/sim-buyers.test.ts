// The simulated month's buyers are the ones Amazon reports on: a simulated seller's feedback report,
// performance report and Finances follow what the world's buyers did (negative feedback, A-to-z claims,
// refunds), so Consign, which learns of defects only from those, can count the Order Defect Rate the
// simulation's Amazon counts. Before session 10 they served the demo seller's made-up buyers, and
// Consign's ODR stayed 0% through a month where Amazon's reached 0.8%.
import { describe, expect, it } from "vitest";
import { json, UK } from "./amazon-extra-helpers.ts";
import { CLIENT, call, connect, control, lwa } from "./amazon-helpers.ts";

const DAY = 86_400_000;

interface Outcome {
  orderId: string;
  createdMs: number;
  negativeFeedbackMs: number | null;
  claimMs: number | null;
  refundMs: number | null;
}

interface Transaction {
  transactionType: string;
  relatedIdentifiers: { relatedIdentifierName: string; relatedIdentifierValue: string }[];
}

async function reportDocument(token: string, reportType: string): Promise<string> {
  const created = await json("/reports/2021-06-30/reports", token, {
    method: "POST",
    body: JSON.stringify({ reportType, marketplaceIds: [UK] }),
  });
  expect(created.status).toBe(202);
  const { reportId } = created.body as { reportId: string };
  const done = (await json(`/reports/2021-06-30/reports/${reportId}`, token)).body as {
    processingStatus: string;
    reportDocumentId: string;
  };
  expect(done.processingStatus).toBe("DONE");
  const doc = await json(`/reports/2021-06-30/documents/${done.reportDocumentId}`, token);
  const url = new URL((doc.body as { url: string }).url);
  return (await call(`${url.pathname}${url.search}`)).text();
}

describe("the simulated Amazon's reports and Finances", { timeout: 60_000 }, () => {
  it("tell of the world's buyers: its negative feedback, claims and refunds", async () => {
    const seller = "ASIMBUYERS1";
    const { refreshToken } = await connect(seller);
    await control(`${seller}/faults`, { rateScale: 1000 });
    await control(`${seller}/extra/faults`, { reportProcessingMs: 0, financesPageSize: 100 });
    const tomorrow = new Date(Date.now() + DAY).toISOString().slice(0, 10);
    const planned = await call(`/_sandbox/sim/sellers/${seller}/days`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ day: tomorrow, seed: "buyers", averagePerDay: 120 }),
    });
    expect(planned.status).toBe(200);
    // Nothing is ever dispatched: three weeks later many of these buyers have left negative feedback
    // (a parcel that never came), and some have claimed and been refunded.
    await control(`${seller}/clock`, { advanceMs: 22 * DAY });
    const token = (
      (await (await lwa({ grant_type: "refresh_token", refresh_token: refreshToken, ...CLIENT })).json()) as {
        access_token: string;
      }
    ).access_token;
    const world = (await (await call(`/_sandbox/sim/sellers/${seller}/outcomes`)).json()) as {
      now: string;
      outcomes: Outcome[];
    };
    const negative = world.outcomes.filter((o) => o.negativeFeedbackMs !== null).map((o) => o.orderId);
    expect(negative.length).toBeGreaterThan(10);

    // The feedback report names exactly the orders whose buyers left negative feedback.
    const feedback = await reportDocument(token, "GET_SELLER_FEEDBACK_DATA");
    const rows = feedback
      .trim()
      .split("\n")
      .slice(1)
      .map((r) => r.split("\t"));
    expect(
      rows
        .filter((r) => Number(r[1]) <= 2)
        .map((r) => r[4])
        .sort(),
    ).toEqual([...negative].sort());

    // The performance report counts them among the orders in its ODR window (all of them here).
    const performance = JSON.parse(await reportDocument(token, "GET_V2_SELLER_PERFORMANCE_REPORT")) as {
      performanceMetrics: {
        orderDefectRate: { mfn: { negativeFeedback: { count: number }; orderCount: number } };
      }[];
    };
    // Amazon's ODR window: the 60 days ending 14 days ago, whole UTC days.
    const end = Math.floor((Date.parse(world.now) - 14 * DAY) / DAY) * DAY + DAY - 1;
    const inWindow = world.outcomes.filter((o) => o.createdMs > end - 60 * DAY && o.createdMs <= end);
    const odr = performance.performanceMetrics[0]?.orderDefectRate.mfn;
    expect(odr?.orderCount).toBe(inWindow.length);
    const negativeInWindow = inWindow.filter((o) => o.negativeFeedbackMs !== null).length;
    expect(negativeInWindow).toBeGreaterThan(10);
    expect(odr?.negativeFeedback.count).toBe(negativeInWindow);

    // Finances posts the world's refunds (claims are refunded a day after them).
    const after = new Date(Date.parse(world.now) - 40 * DAY).toISOString();
    const posted: Transaction[] = [];
    let next: string | undefined;
    do {
      const q = new URLSearchParams({ postedAfter: after, marketplaceId: UK });
      if (next) q.set("nextToken", next);
      const res = await json(`/finances/2024-06-19/transactions?${q}`, token);
      expect(res.status).toBe(200);
      const page = (res.body as { payload: { transactions: Transaction[]; nextToken?: string } }).payload;
      posted.push(...page.transactions);
      next = page.nextToken;
    } while (next);
    const orderOf = (t: Transaction) =>
      t.relatedIdentifiers.find((r) => r.relatedIdentifierName === "ORDER_ID")?.relatedIdentifierValue;
    const cutoff = Date.parse(world.now) - 120_000;
    const expectedRefunds = world.outcomes
      .filter((o) => o.refundMs !== null && o.refundMs >= Date.parse(after) && o.refundMs < cutoff)
      .map((o) => o.orderId)
      .sort();
    expect(
      posted
        .filter((t) => t.transactionType === "Refund")
        .map(orderOf)
        .sort(),
    ).toEqual(expectedRefunds);
    expect(expectedRefunds.length).toBeGreaterThan(0);
  });
});
