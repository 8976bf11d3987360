// Issue 8's figures for the PWA in Debian's Chromium against the whole stack (wrangler dev):
// reload → orders on screen with N open orders cached on the device, and a search keystroke →
// painted result. N defaults to 5,000; pass another as the first argument.
// Run: PWA_BENCH_PORT=19887 [PWA_BENCH_SIGNINS=3] [BENCH_DOC_WORKER=off] node_modules/.bin/tsx test/bench/pwa.bench.ts [orders]

import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { launchChromium } from "../../scripts/chromium.mjs";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/stack.mjs";
import { AFTER_FRAME, endTrace, keystrokeCpu, startTrace } from "./bench-helpers.ts";
import { benchDocPath, benchDocPathName, openFilledTablet, waitAllLoaded } from "./fill.ts";

const N = Number(process.argv[2] ?? 5000);
const port = Number(process.env.PWA_BENCH_PORT ?? 19887);
/** Fresh devices signing in (PWA_BENCH_SIGNINS, default 3). */
const signinRounds = Number(process.env.PWA_BENCH_SIGNINS ?? 3);
const stateDir = join(import.meta.dirname, "..", "..", "test-output", `bench-pwa-state-${port}`);
rmSync(stateDir, { recursive: true, force: true });
// The room refuses a device's writes to Amazon's part of an order (issue 15), so the orders arrive as any
// seller's do: the demo seller's sandbox Amazon account holds N orders awaiting dispatch and the room
// imports them (usage plans sped up 2,000×).
const stack = await startStack({
  edgePort: port,
  sandboxPort: port + 1,
  stateDir,
  demoSeed: { orders: N, unshipped: N, historyDays: 3, seed: "pwa", arrivalsPerHour: 0 },
  demoFaults: { rateScale: 2000 },
});
console.log(
  `${benchDocPathName()}; load average at the start: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")}`,
);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

try {
  const demo = stack.demo as { owner: string; password: string; sellerId: string };
  const seller = { email: demo.owner, password: demo.password, sellerId: demo.sellerId };
  const { context, page } = await openFilledTablet(stack.url, seller, N);
  await page.waitForTimeout(3000); // let y-indexeddb store the document

  // Reload → first order row, two ways in the same run (issue 23): today's path (the kept first screen
  // deleted before each reload, so the rows wait for the document) and with the first screen kept on the
  // device. Beside each, reload → the live list (the document loaded and drawn).
  const live = "[data-testid=orders-list]:not([data-preview]) [data-testid=order-row]";
  const reloadTimes = async (keep: boolean) => {
    const first: number[] = [];
    const whole: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page.waitForTimeout(3000);
      // The kept screen is written a second after the list settles: wait until it is there.
      if (keep) {
        const key = `${seller.sellerId}|all`;
        const isKept = () =>
          page.evaluate(
            (k) =>
              new Promise<boolean>((resolve) => {
                const open = indexedDB.open("consign-first-screen");
                open.onsuccess = () => {
                  const db = open.result;
                  if (!db.objectStoreNames.contains("views")) return resolve(false);
                  const get = db.transaction("views").objectStore("views").get(k);
                  get.onsuccess = () => resolve(get.result !== undefined);
                  get.onerror = () => resolve(false);
                };
                open.onerror = () => resolve(false);
              }),
            key,
          );
        for (const until = Date.now() + 60_000; !(await isKept()); await page.waitForTimeout(500))
          if (Date.now() > until) throw new Error("the first screen was not kept within 60 s");
      }
      if (!keep)
        await page.evaluate(
          `new Promise((r) => { const d = indexedDB.deleteDatabase("consign-first-screen"); d.onsuccess = d.onerror = d.onblocked = () => r(null); })`,
        );
      const t0 = Date.now();
      await page.reload();
      await page.getByTestId("order-row").first().waitFor({ timeout: 120_000 });
      first.push(Date.now() - t0);
      await page.locator(live).first().waitFor({ timeout: 120_000 });
      whole.push(Date.now() - t0);
      if (keep && first.at(-1) === whole.at(-1)) console.log("  (a reload drew no kept screen)");
    }
    return { first, whole };
  };
  const today = await reloadTimes(false);
  const kept = await reloadTimes(true);
  const reloads = today.first;
  await page.getByTestId("view-all").click();
  await waitAllLoaded(page, N, 300_000);
  // A string, not a function: tsx's helpers do not exist inside the page.
  const keystrokes = (await page.evaluate(`(async () => {
    const input = document.querySelector("[data-testid=search-input]");
    const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)));
    const out = [];
    for (const q of ["m", "mu", "mug", "mu", "m", "", "s", "sm", "smi", "smit", "smith", "", "1", "12", "123", ""]) {
      const t0 = performance.now();
      input.value = q;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await frame();
      await frame();
      out.push(performance.now() - t0);
    }
    return out;
  })()`)) as number[];
  // Two animation frames cost ~33 ms at 60 Hz even when a keystroke does nothing (each loop turn starts on a
  // frame boundary), so the figure above cannot go under 16 ms. What a keystroke costs is its main-thread
  // work: the input handler plus the rendering of the frames that show it (rAF callbacks, style, layout,
  // paint: from each frame's rAF to a message posted from it, which runs once that frame is done), with the
  // wait for the display's next frame left out. Goal: that fits in one 60 Hz frame (≤ 16 ms).
  // The same keystrokes traced (./keystroke.bench.ts has the why): the main thread's busy time in each span and
  // the CPU time it got, without the idle gaps and the waits for a core that the span above holds.
  const cdp = await context.newCDPSession(page);
  await startTrace(cdp);
  const work = (await page.evaluate(`(async () => {
    const input = document.querySelector("[data-testid=search-input]");
    ${AFTER_FRAME}
    const idle = [];
    for (let i = 0; i < 8; i++) {
      const t0 = performance.now();
      await afterFrame();
      await afterFrame();
      idle.push(performance.now() - t0);
    }
    const out = [];
    for (const q of ["m", "mu", "mug", "mu", "m", "", "s", "sm", "smi", "smit", "smith", "", "1", "12", "123", ""]) {
      const t0 = performance.now();
      input.value = q;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      const handler = performance.now() - t0;
      out.push(handler + (await afterFrame()) + (await afterFrame()));
      performance.measure("keystroke " + (out.length - 1), { start: t0, end: t0 + out[out.length - 1] });
    }
    return { idle, out };
  })()`)) as { idle: number[]; out: number[] };
  const traced = keystrokeCpu(await endTrace(cdp));
  console.log(`PWA with ${N} open orders cached (Chromium ${context.browser()?.version() ?? ""})`);
  console.log(
    `  load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}`,
  );
  console.log(
    `  reload → first order row, today's path (no kept screen): median ${median(reloads)} ms (${reloads.join(", ")}); → live list ${median(today.whole)} ms (${today.whole.join(", ")})`,
  );
  console.log(
    `  reload → first order row, kept first screen: median ${median(kept.first)} ms (${kept.first.join(", ")}); → live list ${median(kept.whole)} ms (${kept.whole.join(", ")})   goal ≤ 300 ms at 5,000, ≤ 500 ms at 50,000`,
  );
  console.log(
    `  search keystroke → painted: median ${median(keystrokes).toFixed(1)} ms, p95 ${p95(keystrokes).toFixed(1)} ms   goal ≤ 16 ms at 50,000`,
  );
  console.log(
    `  search keystroke → main-thread work (handler + rendering its frames): median ${median(work.out).toFixed(1)} ms, p95 ${p95(work.out).toFixed(1)} ms, max ${Math.max(...work.out).toFixed(1)} ms   goal ≤ 16 ms at 50,000 (two idle frames alone: median ${median(work.idle).toFixed(1)} ms)`,
  );
  console.log(
    `  search keystroke → main thread busy (traced, same keystrokes): median ${median(traced.map((k) => k.busy)).toFixed(1)} ms, p95 ${p95(traced.map((k) => k.busy)).toFixed(1)} ms; its CPU time median ${median(traced.map((k) => k.cpu)).toFixed(1)} ms, p95 ${p95(traced.map((k) => k.cpu)).toFixed(1)} ms   goal median ≤ 8 ms, p95 ≤ 12 ms at 50,000`,
  );
  await context.close();

  // Sign-in → first rows on a new device (issue 23): a fresh browser profile on the sign-in page (the
  // shell loaded), timed from pressing "Sign in" to the first order row in "All" (pressed as soon as the
  // tab shows) and to all N orders on the device. Three fresh devices.
  // Where the time goes (issue 23's "without waterfalls"): when each request of the sign-in answered and
  // when the room's socket opened and sent its first and last frame before the first row, from outside.
  type Steps = {
    signin?: number;
    token?: number;
    firstScreenAsked?: number;
    firstScreen?: number;
    wsOpen?: number;
    wsFirst?: number;
    wsLast?: number;
  };
  const signins: { first: number; firstLive: number; all: number; steps: Steps }[] = [];
  for (let i = 0; i < signinRounds; i++) {
    const fresh = await launchChromium({ name: "signin-bench", viewport: { width: 1280, height: 800 } });
    await benchDocPath(fresh);
    const tab = fresh.pages()[0] ?? (await fresh.newPage());
    await tab.goto(`${stack.url}/signin`, { timeout: 180_000 });
    await tab.getByLabel("Email").fill(seller.email);
    await tab.getByLabel("Password").fill(seller.password);
    const steps: Steps = {};
    let t0 = 0;
    let firstAt = 0;
    tab.on("response", (r) => {
      const path = new URL(r.url()).pathname;
      if (path === "/auth/signin") steps.signin ??= Date.now() - t0;
      if (path === "/auth/token") steps.token ??= Date.now() - t0;
      if (path.endsWith("/first-screen")) steps.firstScreen ??= Date.now() - t0;
    });
    // The room's first screen (a new device paints it while the document comes; none before issue 23's).
    tab.on("request", (r) => {
      if (new URL(r.url()).pathname.endsWith("/first-screen")) steps.firstScreenAsked ??= Date.now() - t0;
    });
    tab.on("websocket", (ws) => {
      if (!ws.url().includes("/sync")) return;
      steps.wsOpen ??= Date.now() - t0;
      ws.on("framereceived", () => {
        steps.wsFirst ??= Date.now() - t0;
        if (firstAt === 0) steps.wsLast = Date.now() - t0;
      });
    });
    t0 = Date.now();
    await tab.getByRole("button", { name: "Sign in" }).click();
    await tab.getByTestId("view-all").click({ timeout: 120_000 });
    await tab.getByTestId("order-row").first().waitFor({ timeout: 300_000 });
    firstAt = Date.now();
    const first = firstAt - t0;
    await tab
      .locator("[data-testid=orders-list]:not([data-preview]) [data-testid=order-row]")
      .first()
      .waitFor({ timeout: 300_000 });
    const firstLive = Date.now() - t0;
    await waitAllLoaded(tab, N, 600_000);
    signins.push({ first, firstLive, all: Date.now() - t0, steps });
    await fresh.close();
  }
  console.log(
    `  sign-in → first order row (new device): median ${median(signins.map((x) => x.first))} ms (${signins.map((x) => x.first).join(", ")}); → first row of the live list ${median(signins.map((x) => x.firstLive))} ms (${signins.map((x) => x.firstLive).join(", ")}); → all ${N} on the device ${median(signins.map((x) => x.all))} ms (${signins.map((x) => x.all).join(", ")})   goal ≤ 1,000 ms at 5,000`,
  );
  for (const [k, x] of signins.entries())
    console.log(
      `    sign-in ${k + 1}: /auth/signin answered ${x.steps.signin ?? "–"} ms, /auth/token ${x.steps.token ?? "–"} ms, room's first screen asked ${x.steps.firstScreenAsked ?? "–"} ms and answered ${x.steps.firstScreen ?? "–"} ms, socket to the room opened ${x.steps.wsOpen ?? "–"} ms, its first frame ${x.steps.wsFirst ?? "–"} ms, its last before the first row ${x.steps.wsLast ?? "–"} ms, first row ${x.first} ms`,
    );
} finally {
  stack.stop();
  setTimeout(() => process.exit(0), 300);
}
