// Issue 8's figures for the PWA in Debian's Chromium against the whole stack (wrangler dev):
// reload → orders on screen with N open orders cached on the device, and a search keystroke →
// painted result. N defaults to 5,000; pass another as the first argument.
// Run: node_modules/.bin/tsx test/bench/pwa.bench.ts [orders]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateOrders } from "@consign/domain/testing";
import { upsertOrders } from "@consign/sync";
import { chromium } from "playwright-core";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/stack.mjs";
import { chromiumArgs } from "../e2e/browser.ts";

const N = Number(process.argv[2] ?? 5000);
const stateDir = join(import.meta.dirname, "..", "..", "test-output", "bench-pwa-state");
rmSync(stateDir, { recursive: true, force: true });
const stack = await startStack({ edgePort: 19887, sandboxPort: 19888, stateDir, seedDemo: false });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

try {
  const email = `pwa-bench-${Date.now()}@example.co.uk`;
  const password = "benchmark password";
  const signup = await fetch(`${stack.url}/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ sellerName: "Bench Ltd", name: "Bench", email, password, deviceName: "loader" }),
  });
  const grant = (await signup.json()) as { sessionToken: string; memberships: { sellerId: string }[] };
  const sellerId = grant.memberships[0]!.sellerId;
  const token = (await (
    await fetch(`${stack.url}/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${grant.sessionToken}` },
      body: JSON.stringify({ sellerId }),
    })
  ).json()) as { accessToken: string };

  // Load N open orders into the seller's live document, as an import would.
  const doc = new Y.Doc();
  const provider = new WebsocketProvider("ws://127.0.0.1:19887/sync", sellerId, doc, {
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    params: { token: token.accessToken },
  });
  await new Promise<void>((r) => provider.once("sync", () => r()));
  const orders = generateOrders(N, { seed: 7, now: Date.now(), days: 4 }).map((o) => ({
    ...o,
    state: "new" as const,
    shipments: [],
    confirmation: { state: "none" as const, attempts: 0 },
  }));
  for (let i = 0; i < orders.length; i += 500) upsertOrders(doc, orders.slice(i, i + 500), "bench");
  await new Promise((r) => setTimeout(r, 3000));
  provider.destroy();

  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "consign-pwa-bench-")), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${stack.url}/signin`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("view-all").click();
  await page.getByTestId("order-row").first().waitFor({ timeout: 120_000 });
  // The first rows show before a big document has all arrived: wait for all N, or the reloads below measure
  // a partly cached document (and the keystrokes run while the rest streams in).
  const allLoaded = `document.querySelector("[data-testid=view-all] .count")?.textContent === "${N}"`;
  await page.waitForFunction(allLoaded, undefined, { timeout: 300_000 });
  await page.waitForTimeout(3000); // let y-indexeddb store the document

  const reloads: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    await page.reload();
    await page.getByTestId("order-row").first().waitFor({ timeout: 120_000 });
    reloads.push(Date.now() - t0);
  }
  await page.getByTestId("view-all").click();
  await page.waitForFunction(allLoaded, undefined, { timeout: 300_000 });
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
  const work = (await page.evaluate(`(async () => {
    const input = document.querySelector("[data-testid=search-input]");
    const afterFrame = () => new Promise((r) => requestAnimationFrame(() => {
      const start = performance.now();
      const ch = new MessageChannel();
      ch.port1.onmessage = () => r(performance.now() - start);
      ch.port2.postMessage(null);
    }));
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
    }
    return { idle, out };
  })()`)) as { idle: number[]; out: number[] };
  console.log(`PWA with ${N} open orders cached (Chromium ${context.browser()?.version() ?? ""})`);
  console.log(
    `  reload → first order row: median ${median(reloads)} ms (${reloads.join(", ")})   goal ≤ 1,000 ms at 5,000`,
  );
  console.log(
    `  search keystroke → painted: median ${median(keystrokes).toFixed(1)} ms, p95 ${p95(keystrokes).toFixed(1)} ms   goal ≤ 16 ms at 50,000`,
  );
  console.log(
    `  search keystroke → main-thread work (handler + rendering its frames): median ${median(work.out).toFixed(1)} ms, p95 ${p95(work.out).toFixed(1)} ms, max ${Math.max(...work.out).toFixed(1)} ms   goal ≤ 16 ms at 50,000 (two idle frames alone: median ${median(work.idle).toFixed(1)} ms)`,
  );
  await context.close();
} finally {
  stack.stop();
  setTimeout(() => process.exit(0), 300);
}
