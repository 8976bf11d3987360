// A run of 1,200 labels (`npm run test:bulk`; `npm test` runs 520, still two runs) on one tablet with the device's API limit forced low (its own stack, so
// the other journeys keep the normal limit): the selection is bought as runs the API accepts, the
// labels worker keeps fetching through "too many requests", and every label bought is in exactly
// one printed part; no order counts as printed (so none is confirmed to Amazon) before the part
// holding its label is printed. Also: SKU weights entered after the orders arrived make them
// ready, and labels bought through the API print as a batch on the tablet.
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/stack.mjs";
import { type BulkSeller, connectBulkSeller, setUpShipping } from "../bench/bulk-seller.ts";
import { openFilledTablet } from "../bench/fill.ts";
import type { edgeApi } from "./browser.ts";
import { NAV, screenshot } from "./browser.ts";
import { E2E_EDGE_PORT } from "./global-setup.ts";
import { PRINT_RECORDER, pagesAt, prints } from "./print-recorder.ts";

/** How many labels the run buys: 1,200 behind `npm run test:bulk`, 520 (two runs) in `npm test`. */
const WANTED = Number(process.env.CONSIGN_BULK_LABELS ?? 520);
/** A few dozen more: the journey that prints while buying takes some of them first. */
const ORDERS = WANTED + 160;
/**
 * Burst 10, then 1 request a second per device. The tablet asks for each print part's labels as one
 * file (counted as a request for every 10 labels: a part of 50 is 5), so a 520-label print file is
 * about 53 requests' worth: far over the burst however fast or slow the machine, so the labels
 * worker always has to wait out "too many requests" to finish it.
 */
const DEVICE_LIMIT = "10/1";
const PORT = E2E_EDGE_PORT + 5;

let stack: { stop(): void; url: string };
let context: BrowserContext;
let page: Page;
let api: ReturnType<typeof edgeApi>;
const refused: string[] = [];
/** Label requests the tablet made: one a label (`/orders/{id}/label`), or a part's file answered (`/documents/labels.pdf`). */
const labelRequests = { single: 0, files: 0 };
let seller: BulkSeller;
/** Every order on the tablet. */
let total = 0;

const text = async (testId: string) =>
  ((await page.getByTestId(testId).textContent()) ?? "").replace(/\s+/g, " ");
const rowStates = () =>
  page.getByTestId("bulk-order").evaluateAll((rows) =>
    rows.map((r) => ({
      id: (r as HTMLElement).dataset.orderId ?? "",
      status: r.querySelector(".status")?.textContent ?? "",
    })),
  );

beforeAll(async () => {
  const stateDir = join(import.meta.dirname, "..", "..", "test-output", `e2e-state-${PORT}`);
  rmSync(stateDir, { recursive: true, force: true });
  stack = await startStack({
    edgePort: PORT,
    sandboxPort: PORT + 1,
    stateDir,
    seedDemo: false,
    edgeVars: { DEVICE_RATE_LIMIT: DEVICE_LIMIT },
  });
  // A new seller connects an Amazon account holding ORDERS orders awaiting dispatch.
  seller = await connectBulkSeller(stack.url, `http://127.0.0.1:${PORT + 1}`, ORDERS);
  expect(seller.open).toBeGreaterThanOrEqual(WANTED + 100);
  api = seller.api;
  total = seller.total;
  ({ context, page } = await openFilledTablet(stack.url, seller, total));
  await page.addInitScript(PRINT_RECORDER);
  context.on("response", (r) => {
    if (r.status() === 429 && r.url().includes("/label")) refused.push(r.url());
    if (/\/api\/v1\/orders\/[^/]+\/label/.test(r.url())) labelRequests.single++;
    if (r.url().includes("/api/v1/documents/labels.pdf") && r.status() === 200) labelRequests.files++;
  });
}, 900_000);

afterAll(async () => {
  await context?.close();
  stack?.stop();
});

describe(`a ${WANTED}-label run with the device limit forced low`, () => {
  it("makes the orders ready once SKU weights are entered after they arrived", {
    timeout: 300_000,
  }, async () => {
    // The orders arrived with no weights: none is ready.
    await page.getByTestId("view-ready").click();
    expect(await page.locator("[data-testid=view-ready] .count").textContent()).toBe("0");
    // Couriers, rules and a sender, then the SKU weights: every order is weighed and given a service.
    await setUpShipping(seller);
    await expect
      .poll(async () => Number(await page.locator("[data-testid=view-ready] .count").textContent()), {
        timeout: 60_000,
      })
      .toBe(seller.open);
  });

  it("prints labels the API bought as a batch on the tablet", { timeout: 300_000 }, async () => {
    const ids = await page
      .getByTestId("order-row")
      .evaluateAll((rows) => rows.slice(0, 2).map((r) => (r as HTMLElement).dataset.orderId ?? ""));
    const run = await api<{ runId: string }>("/api/v1/labels/runs", {
      method: "POST",
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify({ orderIds: ids }),
    });
    expect(run.status, JSON.stringify(run.body)).toBe(202);
    await expect
      .poll(async () => (await api<{ state: string }>(`/api/v1/labels/runs/${run.body.runId}`)).body.state, {
        timeout: 60_000,
      })
      .toBe("finished");
    await page.reload(NAV);
    await page.getByTestId("view-bought_not_printed").click();
    await expect.poll(async () => page.getByTestId("order-row").count(), { timeout: 30_000 }).toBe(2);
    await page.getByRole("checkbox", { name: `Select order ${ids[0]}` }).click();
    await page.getByRole("checkbox", { name: `Select order ${ids[1]}` }).click();
    await page.getByRole("button", { name: "Buy & print", exact: true }).click();
    expect(await text("batch-check")).toContain("2 already labelled (printed with them)");
    await page.getByTestId("print-already-bought").click();
    await expect.poll(() => text("print-progress"), { timeout: 60_000 }).toMatch(/Print file: 2 of 2 labels/);
    await page.getByTestId("print-part").first().click();
    await expect.poll(async () => (await prints(page)).length).toBe(1);
    expect(await pagesAt(page, (await prints(page))[0]!.src)).toBe(2);
    await expect
      .poll(async () => (await rowStates()).map((r) => /^Printed|^Dispatched|^Confirmed/.test(r.status)), {
        timeout: 30_000,
      })
      .toEqual([true, true]);
    await page.getByTestId("bulk-panel").getByRole("button", { name: "Close" }).click();
  });

  it("makes print parts while the labels are still being bought, every label in exactly one part, none twice", {
    timeout: 900_000,
  }, async () => {
    await page.reload(NAV);
    await expect
      .poll(async () => Number(await page.locator("[data-testid=view-all] .count").textContent()), {
        timeout: 120_000,
      })
      .toBe(total);
    await page.getByTestId("view-ready").click();
    // 60 orders from the top of the Ready view, with the keyboard: x selects the focused row, j moves down.
    await page.getByTestId("order-row").first().waitFor();
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press("x");
      await page.keyboard.press("j");
    }
    // Enough that buying takes a while (DPD's labels are bought at 2.5 a second), few enough to
    // leave the Ready view the run of the next journey.
    // (The first x may only give the list the focus: 59 or 60.)
    await expect
      .poll(async () => Number(/(\d+) selected/.exec(await text("selected-count"))?.[1] ?? 0))
      .toBeGreaterThanOrEqual(59);
    await page.getByRole("button", { name: "Buy & print", exact: true }).click();
    await page.getByTestId("buy-labels").click();
    // As soon as 10 are bought, print what is bought so far: parts then follow the buying.
    const soFar = page.getByRole("button", { name: /^Print the \d+ bought so far$/ });
    await expect
      .poll(async () => Number(/(\d+)/.exec((await soFar.textContent().catch(() => "")) ?? "")?.[1] ?? 0), {
        timeout: 300_000,
        interval: 250,
      })
      .toBeGreaterThanOrEqual(10);
    await soFar.click();
    let partWhileBuying = false;
    let bought = 0;
    for (const started = Date.now(); ; await page.waitForTimeout(500)) {
      expect(Date.now() - started, "the labels were bought and printed in 10 minutes").toBeLessThan(600_000);
      const m = /Labels bought: (\d+) of (\d+)(?: · (\d+) failed)?/.exec(await text("run-progress"));
      const finished = !!m && Number(m[1]) + Number(m[3] ?? 0) >= Number(m[2]);
      const parts = await page.getByTestId("print-part").count();
      if (!finished && parts > 0) partWhileBuying = true;
      if (!finished) continue;
      bought = Number(m[1]);
      const file = /Print file: (\d+) of (\d+) labels/.exec(await text("print-progress"));
      const making = await page.getByTestId("print-progress").getByRole("button", { name: "Cancel" }).count();
      if (making === 0 && Number(file?.[1]) === bought && Number(file?.[2]) === bought) break;
    }
    expect(partWhileBuying, "a part was printable before the last label was bought").toBe(true);
    // The parts follow one another: labels 1–10, 11–60, …, no label in two parts.
    const ranges = (await page.getByTestId("print-part").allTextContents()).map((t) =>
      (/(\d+)–(\d+)/.exec(t) ?? []).slice(1).map(Number),
    );
    expect(ranges.map(([from]) => from)).toEqual(
      ranges.map((_, i) => (i === 0 ? 1 : ranges[i - 1]![1]! + 1)),
    );
    expect(ranges.at(-1)?.[1]).toBe(bought);
    // Every label bought is in exactly one part: the parts' pages add up, and each order is printed once.
    const parts = page.getByTestId("print-part");
    const count = await parts.count();
    let pages = 0;
    const before = (await prints(page)).length;
    for (let i = 0; i < count; i++) {
      await parts.nth(i).click({ timeout: 120_000 });
      await expect.poll(async () => (await prints(page)).length, { timeout: 30_000 }).toBe(before + i + 1);
      pages += await pagesAt(page, (await prints(page))[before + i]!.src);
    }
    expect(pages).toBe(bought);
    await expect
      .poll(
        async () => (await rowStates()).filter((r) => /^Printed|Dispatched|Confirmed/.test(r.status)).length,
        { timeout: 30_000 },
      )
      .toBe(bought);
    await page.getByTestId("bulk-panel").getByRole("button", { name: "Close" }).click();
  });

  it(`buys ${WANTED} as runs of up to 500, fetches every label through 429s, and counts an order printed only with its part`, {
    timeout: 3_000_000,
  }, async () => {
    await page.reload(NAV); // a fresh selection
    await expect
      .poll(async () => Number(await page.locator("[data-testid=view-all] .count").textContent()), {
        timeout: 120_000,
      })
      .toBe(total);
    await page.getByTestId("view-ready").click();
    const first = page.getByTestId("order-row").first();
    await first.getByRole("checkbox").click();
    await page.getByTestId("select-all-matching").click();
    // Every ready order (the sandbox's buyers may have asked to cancel a few meanwhile).
    const ready = Number(await page.locator("[data-testid=view-ready] .count").textContent());
    expect(ready).toBeGreaterThanOrEqual(WANTED);
    await expect.poll(() => text("selected-count")).toContain(String(ready));
    await page.getByRole("button", { name: "Buy & print", exact: true }).click();
    expect(await text("buy-labels")).toContain(
      `Buy ${ready} labels (in ${Math.ceil(ready / 500)} runs of up to 500)`,
    );
    await page.getByTestId("buy-labels").click();
    await expect
      .poll(
        async () => {
          const m = /Labels bought: (\d+) of (\d+)(?: · (\d+) failed)?/.exec(await text("run-progress"));
          return m ? Number(m[1]) + Number(m[3] ?? 0) - Number(m[2]) : -1;
        },
        { timeout: 1_500_000, interval: 5_000 },
      )
      .toBe(0);
    const progress = await text("run-progress");
    const bought = Number(/Labels bought: (\d+)/.exec(progress)?.[1]);
    expect(progress).toContain(`in ${Math.ceil(ready / 500)} runs`);
    // What the orders not bought say, so a short run is explained where it fails.
    const why = [
      ...new Set(
        await page
          .locator("[data-testid=bulk-order] .inline-error")
          .evaluateAll((els) => els.map((e) => e.textContent ?? "")),
      ),
    ].slice(0, 5);
    expect(bought, `${progress}; the orders not bought say: ${why.join(" | ")}`).toBeGreaterThanOrEqual(
      WANTED,
    );
    await screenshot(page, `bulk-${WANTED}-bought`);

    const requestsBefore = { ...labelRequests };
    await page.getByRole("button", { name: /^Print [\d,]+ labels$/ }).click();
    await expect
      .poll(() => page.getByTestId("print-progress").getByRole("button", { name: "Cancel" }).count(), {
        timeout: 1_200_000,
        interval: 5_000,
      })
      .toBe(0);
    const file = /Print file: (\d+) of (\d+) labels/.exec(await text("print-progress"));
    // The print file counts what it holds, and it holds every label bought.
    expect(Number(file?.[1])).toBe(Number(file?.[2]));
    expect(Number(file?.[1])).toBe(bought);
    expect(
      refused.filter((u) => u.includes("/documents/labels.pdf")).length,
      "the forced-low limit refused some of the parts' label files",
    ).toBeGreaterThan(0);
    // Each part's labels came in one file: no label was fetched on its own.
    expect(labelRequests.single - requestsBefore.single).toBe(0);

    // Print every part but the last: exactly the orders in printed parts count as printed.
    const parts = page.getByTestId("print-part");
    const count = await parts.count();
    expect(labelRequests.files - requestsBefore.files, "one file a part").toBe(count);
    let pages = 0;
    for (let i = 0; i < count; i++) {
      const before = (await prints(page)).length;
      // A generous wait: on a loaded machine the tablet may take a while to take the click.
      await parts.nth(i).click({ timeout: 120_000 });
      await expect.poll(async () => (await prints(page)).length, { timeout: 30_000 }).toBe(before + 1);
      pages += await pagesAt(page, (await prints(page))[before]!.src);
      if (i === count - 2 || i === count - 1) {
        await expect
          .poll(
            async () =>
              (await rowStates()).filter((r) => /^Printed|Dispatched|Confirmed/.test(r.status)).length,
            {
              timeout: 30_000,
            },
          )
          .toBe(pages);
      }
    }
    expect(pages).toBe(bought);
    const rows = await rowStates();
    expect(rows.filter((r) => r.status.startsWith("Failed")).length).toBe(rows.length - bought);
    await screenshot(page, `bulk-${WANTED}-printed`);
  });
});
