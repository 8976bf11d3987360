// Issue 16's figures: N orders (default 1,000) from "Buy" to the last printable part in the PWA
// (Debian's Chromium) against the sandboxes in wrangler dev, at the device's normal API limit:
// how long buying takes (labels bought a second, beside the couriers' limits that bound it: the
// room's rate limiters pace Royal Mail, Evri and DPD at 5 calls a second each, as the real services
// ask; Click & Drop takes 25 orders a call, Evri sends the label with the purchase, DPD's label is a
// second call) and how long the labels worker then takes to fetch every label and make the last
// part. The naive baseline, measured in the same run: every bought label fetched one at a time
// with a second device's token (no concurrency, no merging; a 429 waited out), once before the
// PWA assembles (cold) and once after (warm), so neither side gets the other's warmed stores.
// Where the PWA's time goes is printed per phase: its label requests as the browser saw them
// (one a label, or one a part's file), how many the device limit refused (429), how many were in
// flight at once, and when each print part appeared.
// Run: [BULK_BENCH_PORT=19987] node_modules/.bin/tsx test/bench/bulk-run.bench.ts [orders] [--follow]
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/stack.mjs";
import { connectBulkSeller, setUpShipping } from "./bulk-seller.ts";
import { openFilledTablet } from "./fill.ts";

const N = Number(process.argv[2] ?? 1000);
/** --follow: press "Print the N bought so far" once 10 are bought, so parts are made as labels arrive. */
const FOLLOW = process.argv.includes("--follow");
const stateDir = join(import.meta.dirname, "..", "..", "test-output", "bench-bulk-state");
rmSync(stateDir, { recursive: true, force: true });
// BULK_BENCH_PORT moves the stack (edge there, sandbox on the next port) beside another session's.
const edgePort = Number(process.env.BULK_BENCH_PORT ?? 19987);
const stack = await startStack({ edgePort, sandboxPort: edgePort + 1, stateDir, seedDemo: false });
const text = async (page: import("playwright-core").Page, id: string) =>
  ((await page.getByTestId(id).textContent()) ?? "").replace(/\s+/g, " ");

try {
  const seller = await connectBulkSeller(stack.url, `http://127.0.0.1:${edgePort + 1}`, N);
  await setUpShipping(seller);
  /** Every order with a bought label, by courier (their shares bound the buying time). */
  const perCourier: Record<string, number> = {};
  const boughtOrderIds = async () => {
    const ids: string[] = [];
    for (const courier of ["royal-mail", "evri", "dpd"]) {
      let n = 0;
      let cursor: string | null = null;
      do {
        const page: { body: { orders: { orderId: string }[]; nextCursor: string | null } } = await seller.api(
          `/api/v1/orders?courier=${courier}&state=label_bought,printed&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        );
        n += page.body.orders.length;
        for (const o of page.body.orders) ids.push(o.orderId);
        cursor = page.body.nextCursor;
      } while (cursor);
      perCourier[courier] = n;
    }
    return ids;
  };
  /** The naive baseline: a device of its own fetches every label one at a time, 429s waited out. */
  const naiveFetch = async (ids: string[], deviceName: string) => {
    const signin = (await (
      await fetch(`${stack.url}/auth/signin`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: seller.email, password: seller.password, deviceName }),
      })
    ).json()) as { sessionToken: string };
    const { accessToken: token } = (await (
      await fetch(`${stack.url}/auth/token`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${signin.sessionToken}` },
        body: JSON.stringify({ sellerId: seller.sellerId }),
      })
    ).json()) as { accessToken: string };
    if (typeof token !== "string") return "no token found";
    const n0 = Date.now();
    let labels = 0;
    let waits = 0;
    for (const id of ids) {
      for (;;) {
        const res = await fetch(`${stack.url}/api/v1/orders/${encodeURIComponent(id)}/label`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await res.arrayBuffer();
        if (res.status === 429) {
          waits++;
          await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get("retry-after") ?? 1)));
          continue;
        }
        if (res.status === 200) labels++;
        break;
      }
    }
    return { seconds: (Date.now() - n0) / 1000, labels, waitsFor429: waits };
  };
  const { context, page } = await openFilledTablet(stack.url, seller, seller.total);
  const count = async (view: string) =>
    Number(await page.locator(`[data-testid=view-${view}] .count`).textContent());
  for (const started = Date.now(); (await count("ready")) < seller.open; await page.waitForTimeout(500)) {
    if (Date.now() - started > 300_000) throw new Error(`only ${await count("ready")} orders became ready`);
  }
  await page.getByTestId("view-ready").click();
  // Select the first N of the Ready view: select all, then the panel buys them as runs of up to 500.
  const ids = await page
    .getByTestId("order-row")
    .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.orderId ?? ""));
  await page.getByRole("checkbox", { name: `Select order ${ids[0]}` }).click();
  await page.getByTestId("select-all-matching").click();
  await page.getByRole("button", { name: "Buy & print", exact: true }).click();
  // The PWA's label traffic as Chromium saw it (the labels worker's requests included).
  const labelRequests: { start: number; end: number; status: number; labels: number }[] = [];
  const started = new Map<import("playwright-core").Request, number>();
  const isLabelFetch = (url: string) =>
    /\/api\/v1\/orders\/[^/]+\/label(\?|$)/.test(url) || /\/api\/v1\/documents\/labels\.pdf/.test(url);
  context.on("request", (r) => {
    if (isLabelFetch(r.url())) started.set(r, Date.now());
  });
  context.on("requestfinished", async (r) => {
    const start = started.get(r);
    if (start === undefined) return;
    const end = Date.now();
    const res = await r.response();
    const ids = new URL(r.url()).searchParams.get("orderIds");
    labelRequests.push({
      start,
      end,
      status: res?.status() ?? 0,
      labels: ids ? ids.split(",").length : 1,
    });
  });
  context.on("requestfailed", (r) => {
    const start = started.get(r);
    if (start !== undefined) labelRequests.push({ start, end: Date.now(), status: 0, labels: 0 });
  });

  const loadAtBuy = loadavg().map((l) => Math.round(l * 10) / 10);
  const t0 = Date.now();
  await page.getByTestId("buy-labels").click();
  let tBought = 0;
  let bought = 0;
  /** With --follow, when "Print the N bought so far" was pressed (printing alongside the buying). */
  let tFollow = 0;
  /** When the first print part appeared (any mode). */
  let tFirstPart = 0;
  for (const waitFrom = Date.now(); ; ) {
    if (Date.now() - waitFrom > 1_800_000) throw new Error("the run did not finish buying in 30 minutes");
    if (tFollow && !tFirstPart && (await page.getByTestId("print-part").count()) > 0) tFirstPart = Date.now();
    if (FOLLOW && !tFollow) {
      const soFar = page.getByRole("button", { name: /^Print the \d+ bought so far$/ });
      const n = Number(
        /(\d+)/.exec((await soFar.textContent({ timeout: 100 }).catch(() => "")) ?? "")?.[1] ?? 0,
      );
      if (n >= 10) {
        await soFar.click();
        tFollow = Date.now();
      }
    }
    // The panel may take a while to show the run on a busy machine: keep reading until it does.
    const progress = await text(page, "run-progress").catch(() => "");
    const m = /Labels bought: (\d+) of (\d+)(?: · (\d+) failed)?/.exec(progress);
    if (m && Number(m[1]) + Number(m[3] ?? 0) >= Number(m[2])) {
      tBought = Date.now();
      bought = Number(m[1]);
      break;
    }
    await page.waitForTimeout(500);
  }
  const boughtIds = await boughtOrderIds();
  // Following, the PWA is still making its last parts: the cold baseline would share the stack with it.
  const naiveCold = FOLLOW
    ? "not run: the PWA prints alongside the buying"
    : await naiveFetch(boughtIds, "baseline-cold");

  const t1 = Date.now();
  if (!FOLLOW) await page.getByRole("button", { name: /^Print \d+ labels$/ }).click();
  const partTimes: number[] = [];
  const cancel = page.getByTestId("print-progress").getByRole("button", { name: "Cancel" });
  for (const waitFrom = Date.now(); ; await page.waitForTimeout(200)) {
    if (Date.now() - waitFrom > 1_800_000) throw new Error("the print file was not made in 30 minutes");
    const n = await page.getByTestId("print-part").count();
    while (partTimes.length < n) partTimes.push(Date.now());
    if (!tFirstPart && n > 0) tFirstPart = Date.now();
    // Done when no part is being made and the file accounts for every label bought.
    const m = /Print file: (\d+) of (\d+) labels.*?(?:· (\d+) labels? not in it)?/.exec(
      await text(page, "print-progress"),
    );
    const accounted = m ? Number(m[1]) + Number(m[3] ?? 0) : 0;
    if (n > 0 && (await cancel.count()) === 0 && accounted >= bought) break;
  }
  const tLast = Date.now();
  const file = await text(page, "print-progress");
  const parts = await page.getByTestId("print-part").count();
  const naiveWarm = await naiveFetch(boughtIds, "baseline-warm");

  // What the couriers' limits allow for this run's split: each courier's labels a second (calls a
  // second over calls a label), and the slowest courier's share decides the whole run.
  const labelsPerSecond: Record<string, number> = { "royal-mail": 5 * 25, evri: 5, dpd: 2.5 };
  const ceilingSeconds = Math.max(
    ...Object.entries(perCourier).map(([c, n]) => n / (labelsPerSecond[c] ?? 5)),
  );
  const inFlight = (() => {
    const edges = labelRequests.flatMap((r) => [
      { t: r.start, d: 1 },
      { t: r.end, d: -1 },
    ]);
    edges.sort((a, b) => a.t - b.t || a.d - b.d);
    let now = 0;
    let most = 0;
    for (const e of edges) {
      now += e.d;
      most = Math.max(most, now);
    }
    return most;
  })();
  const byStatus: Record<string, number> = {};
  for (const r of labelRequests) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const ok = labelRequests.filter((r) => r.status === 200);
  const ms = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : 0);
  console.log(
    JSON.stringify(
      {
        orders: N,
        bought,
        buySeconds: (tBought - t0) / 1000,
        labelsPerSecond: Math.round((bought / ((tBought - t0) / 1000)) * 10) / 10,
        labelsByCourier: perCourier,
        courierLabelsPerSecond:
          "Royal Mail 125 (5 calls/s × 25 orders), Evri 5 (5 calls/s, 1 a label), DPD 2.5 (5 calls/s, 2 a label)",
        buyCeilingSeconds: Math.round(ceilingSeconds * 10) / 10,
        mode: FOLLOW
          ? "printing alongside the buying (--follow)"
          : "Print pressed once every label was bought",
        printPressedSecondsAfterBuy: FOLLOW ? (tFollow - t0) / 1000 : (t1 - t0) / 1000,
        lastPartSecondsAfterBuying: (tLast - (FOLLOW ? tBought : t1)) / 1000,
        buyToLastPartSeconds: (tLast - t0) / 1000,
        printFile: file,
        parts,
        pwaAssembly: {
          firstPartSecondsAfterBuy: tFirstPart ? (tFirstPart - t0) / 1000 : null,
          firstPartSecondsAfterPrint: tFirstPart ? (tFirstPart - (FOLLOW ? tFollow : t1)) / 1000 : null,
          partSecondsAfterBuying: partTimes.map((t) => Math.round((t - t1) / 100) / 10),
          labelRequests: labelRequests.length,
          labelsAsked: labelRequests.reduce((a, r) => a + r.labels, 0),
          byStatus,
          mostInFlight: inFlight,
          meanMsPerOkRequest: ms(ok.map((r) => r.end - r.start)),
          requestsSpanSeconds: labelRequests.length
            ? (Math.max(...labelRequests.map((r) => r.end)) -
                Math.min(...labelRequests.map((r) => r.start))) /
              1000
            : 0,
          afterLastRequestSeconds: labelRequests.length
            ? (tLast - Math.max(...labelRequests.map((r) => r.end))) / 1000
            : null,
        },
        naiveOneByOneFetchAllLabels: { coldBeforeThePwa: naiveCold, warmAfterThePwa: naiveWarm },
        loadAverage: { atBuy: loadAtBuy, atEnd: loadavg().map((l) => Math.round(l * 10) / 10) },
      },
      null,
      2,
    ),
  );
  await context.close();
} finally {
  stack.stop();
}
