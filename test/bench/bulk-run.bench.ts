// Issue 16's figures: N orders (default 1,000) from "Buy" to the last printable part in the PWA
// (Debian's Chromium) against the sandboxes in wrangler dev, at the device's normal API limit:
// how long buying takes (labels bought a second, beside the couriers' limits that bound it: the
// room's rate limiters pace Royal Mail, Evri and DPD at 5 calls a second each, as the real services
// ask; Click & Drop takes 25 orders a call, Evri sends the label with the purchase, DPD's label is a
// second call) and how long the labels worker then takes to fetch every label and make the last
// part. The naive baseline, measured in the same run after the PWA's: every bought label fetched
// one at a time with the same device's token (no concurrency, no merging; a 429 waited out).
// Run: [BULK_BENCH_PORT=19987] node_modules/.bin/tsx test/bench/bulk-run.bench.ts [orders]
import { rmSync } from "node:fs";
import { join } from "node:path";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/stack.mjs";
import { connectBulkSeller, setUpShipping } from "./bulk-seller.ts";
import { openFilledTablet } from "./fill.ts";

const N = Number(process.argv[2] ?? 1000);
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
  const t0 = Date.now();
  await page.getByTestId("buy-labels").click();
  let tBought = 0;
  let bought = 0;
  for (const waitFrom = Date.now(); ; ) {
    if (Date.now() - waitFrom > 1_800_000) throw new Error("the run did not finish buying in 30 minutes");
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
  const t1 = Date.now();
  await page.getByRole("button", { name: /^Print \d+ labels$/ }).click();
  await page
    .getByTestId("print-progress")
    .getByRole("button", { name: "Cancel" })
    .waitFor({ state: "detached", timeout: 1_800_000 });
  const tLast = Date.now();
  const file = await text(page, "print-progress");
  const parts = await page.getByTestId("print-part").count();

  // What the couriers' limits allow for this run's split: each courier's labels a second (calls a
  // second over calls a label), and the slowest courier's share decides the whole run.
  const perCourier: Record<string, number> = {};
  const boughtIds: string[] = [];
  for (const courier of ["royal-mail", "evri", "dpd"]) {
    let n = 0;
    let cursor: string | null = null;
    do {
      const page: { body: { orders: { orderId: string }[]; nextCursor: string | null } } = await seller.api(
        `/api/v1/orders?courier=${courier}&state=label_bought,printed&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      n += page.body.orders.length;
      for (const o of page.body.orders) boughtIds.push(o.orderId);
      cursor = page.body.nextCursor;
    } while (cursor);
    perCourier[courier] = n;
  }
  const labelsPerSecond: Record<string, number> = { "royal-mail": 5 * 25, evri: 5, dpd: 2.5 };
  const ceilingSeconds = Math.max(
    ...Object.entries(perCourier).map(([c, n]) => n / (labelsPerSecond[c] ?? 5)),
  );

  // Naive baseline, same run, same labels: one request at a time, no concurrency, no merging.
  const signin = (await (
    await fetch(`${stack.url}/auth/signin`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: seller.email, password: seller.password, deviceName: "baseline" }),
    })
  ).json()) as { sessionToken: string };
  const { accessToken: token } = (await (
    await fetch(`${stack.url}/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${signin.sessionToken}` },
      body: JSON.stringify({ sellerId: seller.sellerId }),
    })
  ).json()) as { accessToken: string };
  let naive: { seconds: number; labels: number; waitsFor429: number } | string = "no token found";
  if (typeof token === "string") {
    const n0 = Date.now();
    let labels = 0;
    let waits = 0;
    for (const id of boughtIds) {
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
    naive = { seconds: (Date.now() - n0) / 1000, labels, waitsFor429: waits };
  }
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
        lastPartSecondsAfterBuying: (tLast - t1) / 1000,
        buyToLastPartSeconds: (tLast - t0) / 1000,
        printFile: file,
        parts,
        naiveOneByOneFetchAllLabels: naive,
      },
      null,
      2,
    ),
  );
  await context.close();
} finally {
  stack.stop();
}
