// The seller's time on the tablet is the room's, and the dispatch clock counts down to each
// courier's own cut-off. Its own stack runs the edge with SIMULATED_CLOCK=true (the local stack's
// clock switch, as test/sim uses it), so the demo seller's room is moved hours away from the
// browser's clock; the tablet's countdowns must read the room's time, not Chromium's:
//   - each courier the demo seller uses has a line with the time left to its cut-off, counted on the
//     room's clock, its collection or drop-off time, and the orders ready to go with it;
//   - an order's countdown to its ship-by is counted on the room's clock too;
//   - the owner changes a courier's times in Settings, and a cut-off after the collection is refused
//     with the reason on the screen, nothing saved.
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/stack.mjs";
import { type RunningStack, stopAndWait } from "../bench/room-helpers.ts";
import { edgeApi, NAV, openTablet, screenshot, signInTablet } from "./browser.ts";
import { E2E_EDGE_PORT } from "./global-setup.ts";

const PORT = E2E_EDGE_PORT + 7;
const HOUR = 3_600_000;

interface ApiOrder {
  orderId: string;
  state: string;
  shipBy: { latest: string };
  service: { courier: string } | null;
  shipments: { courier: string; voidedAt: string | null }[];
}

let stack: RunningStack & { url: string; demo: { sellerId: string; owner: string; password: string } };
let tablet: { context: BrowserContext; page: Page; close: () => Promise<void> };
let api: ReturnType<typeof edgeApi>;
/** How far the room's clock runs ahead of the real one (and so of the browser's). */
let ahead = 0;

const ukParts = (at: number) =>
  Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/London",
      hourCycle: "h23",
      hour: "2-digit",
      minute: "2-digit",
    })
      .formatToParts(at)
      .filter((p) => p.type !== "literal")
      .map((p) => [p.type, Number(p.value)]),
  ) as { hour: number; minute: number };

/** The next moment at least `min` ms from `from` when the UK clock reads 10:00. */
function nextUkTen(from: number, min: number): number {
  let at = Math.ceil((from + min) / 60_000) * 60_000;
  for (;;) {
    const { hour, minute } = ukParts(at);
    if (hour === 10 && minute === 0) return at;
    at += 60_000;
  }
}

/** "2 h 05 m", "35 m", "3 d 4 h", "late 1 h 10 m" (the app's formatCountdown) → minutes, and how coarse. */
function countdownMinutes(text: string): { minutes: number; step: number } {
  const late = text.startsWith("late");
  const d = /(\d+) d/.exec(text);
  const h = /(\d+) h/.exec(text);
  const m = /(\d+) m/.exec(text);
  const minutes = Number(d?.[1] ?? 0) * 1440 + Number(h?.[1] ?? 0) * 60 + Number(m?.[1] ?? 0);
  return { minutes: late ? -minutes : minutes, step: d ? 60 : 1 };
}

const write = <T>(path: string, body: unknown, method = "POST") =>
  api<T>(path, { method, headers: { "Idempotency-Key": crypto.randomUUID() }, body: JSON.stringify(body) });

beforeAll(async () => {
  const stateDir = join(import.meta.dirname, "..", "..", "test-output", `e2e-state-${PORT}`);
  rmSync(stateDir, { recursive: true, force: true });
  stack = await startStack({
    edgePort: PORT,
    sandboxPort: PORT + 1,
    stateDir,
    demoSeed: { orders: 150, historyDays: 10, unshipped: 60, seed: "room-clock", arrivalsPerHour: 0 },
    edgeVars: { SIMULATED_CLOCK: "true" },
  });
  api = edgeApi(stack.url, {
    email: stack.demo.owner,
    password: stack.demo.password,
    sellerId: stack.demo.sellerId,
  });
  // The room's clock moves to the next 10:00 UK at least five hours from now: the browser's is hours behind.
  const target = nextUkTen(Date.now(), 5 * HOUR);
  const moved = await fetch(`${stack.url}/_dev/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sellerId: stack.demo.sellerId, advanceMs: target - Date.now() }),
  });
  expect(moved.status, await moved.clone().text()).toBe(200);
  const clock = await api<{ nowMs: number }>("/api/v1/clock");
  ahead = clock.body.nowMs - Date.now();
  expect(ahead).toBeGreaterThan(5 * HOUR - 60_000);
  // Royal Mail: dropped off by 12:30, cut-off 12:00 (two hours after the room's 10:00).
  const saved = await write(
    "/api/v1/settings/courier-day",
    { couriers: { "royal-mail": { cutoff: "12:00", handoverAt: "12:30", handover: "drop_off" } } },
    "PATCH",
  );
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  tablet = await openTablet("room-clock");
  await signInTablet(tablet.page, stack.url, { email: stack.demo.owner, password: stack.demo.password });
}, 300_000);

afterAll(async () => {
  await tablet?.close();
  if (stack) await stopAndWait(stack);
});

describe("the tablet counts on the room's clock, to each courier's cut-off", () => {
  it("shows each courier's cut-off, counted down on the room's time, with its collection and ready orders", {
    timeout: 120_000,
  }, async () => {
    const { page } = tablet;
    const browserNow = (await page.evaluate("Date.now()")) as number;
    // The browser's own clock is the real one: hours behind the room's.
    expect(Math.abs(browserNow - Date.now())).toBeLessThan(60_000);
    const line = page.getByTestId("courier-clock-royal-mail");
    // Two hours to Royal Mail's 12:00 cut-off on the room's 10:00 (a minute or two gone since).
    await expect
      .poll(async () => line.textContent(), { timeout: 60_000 })
      .toMatch(/Royal Mail: cut-off 12:00 \((2 h 00 m|1 h 5\d m) left\) · drop off by 12:30/);
    // Counted on the browser's clock it would read 5 hours more (or "passed"): it does not.
    const left = countdownMinutes((await line.getByTestId("cutoff-left").textContent()) ?? "");
    const roomNow = Date.now() + ahead;
    const cutoffAt = roomNow + (left.minutes + 1) * 60_000;
    expect(Math.abs(cutoffAt - roomNow - 120 * 60_000)).toBeLessThanOrEqual(5 * 60_000);

    // DPD and Evri keep their defaults; each line counts the orders ready to go with it.
    await expect
      .poll(async () => page.getByTestId("courier-clock-dpd").textContent(), { timeout: 30_000 })
      .toMatch(/DPD: cut-off 16:30 \((6 h 30 m|6 h 2\d m) left\) · collected 17:00/);
    // Each courier's "ready" counts its orders that have all a label needs (the Ready view) or a
    // label waiting for the collection: together, the Ready view and the labelled orders.
    const readyView = Number(await page.locator("[data-testid=view-ready] .count").textContent());
    const labelled = (
      await api<{ orders: ApiOrder[] }>("/api/v1/orders?state=label_bought,printed&limit=200")
    ).body.orders.length;
    const perCourier = async () => {
      let sum = 0;
      for (const courier of ["royal-mail", "dpd", "evri", "amazon-shipping"]) {
        const line = page.getByTestId(`courier-clock-${courier}`);
        if ((await line.count()) === 0) continue;
        sum += Number(/(\d+) ready/.exec((await line.getByTestId("courier-ready").textContent()) ?? "")?.[1]);
      }
      return sum;
    };
    expect(readyView).toBeGreaterThan(0);
    await expect.poll(perCourier, { timeout: 30_000 }).toBe(readyView + labelled);
    // The demo's rules send orders with Royal Mail, DPD and Evri: each has a line with ready orders.
    const rmReady = await page
      .getByTestId("courier-clock-royal-mail")
      .getByTestId("courier-ready")
      .textContent();
    expect(Number(/(\d+) ready/.exec(rmReady ?? "")?.[1])).toBeGreaterThan(0);
    await screenshot(page, "room-clock-courier-cutoffs");
  });

  it("counts an order's ship-by countdown on the room's time", { timeout: 120_000 }, async () => {
    const { page } = tablet;
    const roomNow = Date.now() + ahead;
    const open = (await api<{ orders: ApiOrder[] }>("/api/v1/orders?state=new,ready&limit=200")).body.orders;
    // The open order due nearest the room's time (its countdown is shown to the minute within a day).
    const order = open
      .filter((o) => !o.shipments.some((sh) => sh.voidedAt === null))
      .sort(
        (a, b) =>
          Math.abs(Date.parse(a.shipBy.latest) - roomNow) - Math.abs(Date.parse(b.shipBy.latest) - roomNow),
      )[0];
    expect(order, "the demo seller has no open order").toBeDefined();
    await page.getByTestId("view-all").click();
    await page.getByTestId("search-input").fill(order!.orderId);
    const row = page.locator(`[data-testid=order-row][data-order-id="${order!.orderId}"]`);
    await row.waitFor({ timeout: 20_000 });
    const shown = countdownMinutes((await row.getByTestId("ship-by").textContent()) ?? "");
    const onRoom = (Date.parse(order!.shipBy.latest) - (Date.now() + ahead)) / 60_000;
    const onBrowser = (Date.parse(order!.shipBy.latest) - Date.now()) / 60_000;
    expect(Math.abs(shown.minutes - onRoom)).toBeLessThanOrEqual(shown.step + 2);
    expect(Math.abs(shown.minutes - onBrowser)).toBeGreaterThan(4 * 60);
  });

  it("lets the owner change a courier's times in Settings, refusing a cut-off after its collection", {
    timeout: 120_000,
  }, async () => {
    const { page } = tablet;
    await page.goto(`${stack.url}/settings`, NAV);
    const evri = page.getByTestId("courier-times-evri");
    await evri.getByLabel("Evri cut-off").fill("17:00");
    await page.getByRole("button", { name: "Save courier times" }).click();
    await expect
      .poll(async () => page.getByTestId("courier-times-error").textContent(), { timeout: 20_000 })
      .toContain("Evri's cut-off (17:00) is after its collection (16:30)");
    const kept = await api<{ couriers: Record<string, { cutoff: string }> }>("/api/v1/settings/courier-day");
    expect(kept.body.couriers.evri?.cutoff).toBe("16:00");

    await evri.getByLabel("Evri cut-off").fill("13:15");
    await evri.getByLabel("Evri collection or drop-off time").fill("13:45");
    await page.getByRole("button", { name: "Save courier times" }).click();
    await expect
      .poll(async () => page.getByTestId("courier-times-saved").textContent(), { timeout: 20_000 })
      .toContain("Saved");
    const now = await api<{ couriers: Record<string, { cutoff: string; handoverAt: string }> }>(
      "/api/v1/settings/courier-day",
    );
    expect(now.body.couriers.evri).toMatchObject({ cutoff: "13:15", handoverAt: "13:45" });
    // The dispatch clock follows at once: 3 h 15 m to Evri's new cut-off on the room's 10:00.
    await page.goto(`${stack.url}/`, NAV);
    await expect
      .poll(async () => page.getByTestId("courier-clock-evri").textContent(), { timeout: 60_000 })
      .toMatch(/Evri: cut-off 13:15 \((3 h 1\d m|3 h 0\d m) left\) · collected 13:45/);
  });
});
