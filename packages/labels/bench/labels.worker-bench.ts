// The label writer inside a real Chromium web worker (Debian's /usr/bin/chromium, headless, no
// network beyond 127.0.0.1). Bundles bench/worker/bench-worker.ts with esbuild, serves it on a
// loopback port and prints the cold first run and the median of the rest. Run from the repo root:
//   node_modules/.bin/tsx packages/labels/bench/labels.worker-bench.ts

import { createServer } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../../../scripts/chromium.mjs";

const here = dirname(fileURLToPath(import.meta.url));
/** The esbuild that tsx brings (only the call we make). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles?: { text: string }[] }>;
}
const esbuild = createRequire(createRequire(import.meta.url).resolve("tsx/package.json"))(
  "esbuild",
) as Esbuild;
const built = await esbuild.build({
  entryPoints: [join(here, "worker/bench-worker.ts")],
  bundle: true,
  format: "iife",
  platform: "browser",
  write: false,
  minify: true,
});
const workerJs = built.outputFiles?.[0]?.text ?? "";
const page = `<!doctype html><script>
const w = new Worker("/worker.js");
w.onmessage = (e) => { window.result = e.data; };
w.onerror = (e) => { window.result = { error: e.message }; };
</script>`;
const server = createServer((req, res) => {
  if (req.url === "/worker.js") res.writeHead(200, { "content-type": "text/javascript" }).end(workerJs);
  else res.writeHead(200, { "content-type": "text/html" }).end(page);
});
await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
const port = (server.address() as { port: number }).port;
const browser = await launchChromium({ name: "labels-bench" });
try {
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${port}/`);
  await tab.waitForFunction("window.result !== undefined", undefined, { timeout: 120_000 });
  const runs = (await tab.evaluate("window.result")) as
    | { total: number; first50: number; bytes: number }[]
    | { error: string };
  if (!Array.isArray(runs)) throw new Error(`worker failed: ${runs.error}`);
  const [cold, ...warm] = runs;
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
  const agent = String(await tab.evaluate("navigator.userAgent")).match(/Chrome\/[\d.]+/)?.[0];
  console.log(`${agent} dedicated worker, 1000 unique labels, compressed:`);
  console.log(`  cold 1st run: total ${cold?.total.toFixed(1)} ms, first-50 ${cold?.first50.toFixed(1)} ms`);
  console.log(
    `  median of ${warm.length}: total ${med(warm.map((r) => r.total)).toFixed(1)} ms, first-50 ${med(warm.map((r) => r.first50)).toFixed(1)} ms, ${((cold?.bytes ?? 0) / 1000).toFixed(0)} B/label`,
  );
} finally {
  await browser.close();
  server.close();
}
