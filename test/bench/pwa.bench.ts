// Issue 8's figures for the PWA in Debian's Chromium against the whole stack (wrangler dev):
// reload → orders on screen with N open orders cached on the device, and a search keystroke →
// painted result. N defaults to 5,000; pass another as the first argument.
// Run: node_modules/.bin/tsx test/bench/pwa.bench.ts [orders]
import { rmSync } from "node:fs";
import { join } from "node:path";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/stack.mjs";
import { allLoaded as allLoadedJs, openFilledTablet, signUpAndFill } from "./fill.ts";

const N = Number(process.argv[2] ?? 5000);
const stateDir = join(import.meta.dirname, "..", "..", "test-output", "bench-pwa-state");
rmSync(stateDir, { recursive: true, force: true });
const stack = await startStack({ edgePort: 19887, sandboxPort: 19888, stateDir, seedDemo: false });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

try {
  const seller = await signUpAndFill(stack.url, N);
  const { context, page } = await openFilledTablet(stack.url, seller, N);
  const allLoaded = allLoadedJs(N);
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
