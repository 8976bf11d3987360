import { createServer } from "node:http";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../../../scripts/chromium.mjs";

const PER_VARIANT = Number(process.argv[2] ?? 7);
const VARIANTS = [0, 200, 600];
const here = dirname(fileURLToPath(import.meta.url));
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles?: { text: string }[] }>;
}
const esbuild = createRequire(createRequire(import.meta.url).resolve("tsx/package.json"))(
  "esbuild",
) as Esbuild;
const built = await esbuild.build({
  entryPoints: [join(here, "worker/fresh-worker.ts")],
  bundle: true,
  format: "iife",
  platform: "browser",
  write: false,
  minify: true,
});
const workerJs = built.outputFiles?.[0]?.text ?? "";
const page = `<!doctype html><script>
window.fresh = (name) => new Promise((resolve) => {
  const w = new Worker("/worker.js", { name });
  w.onmessage = (e) => { w.terminate(); resolve(e.data); };
  w.onerror = (e) => { w.terminate(); resolve({ error: e.message }); };
});
</script>`;
const server = createServer((req, res) => {
  if (req.url === "/worker.js") res.writeHead(200, { "content-type": "text/javascript" }).end(workerJs);
  else res.writeHead(200, { "content-type": "text/html" }).end(page);
});
await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
const port = (server.address() as { port: number }).port;
const browser = await launchChromium({ name: "labels-bench" });
type Run = { warm: number; warmUp: number; total: number; first50: number };
try {
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${port}/`);
  console.log(
    `load average at the start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}`,
  );
  const runs: Run[] = [];
  for (let i = 0; i < PER_VARIANT; i++) {
    for (const warm of VARIANTS) {
      const r = (await tab.evaluate(`window.fresh("warm-${warm}")`)) as Run | { error: string };
      if ("error" in r) throw new Error(`worker failed: ${r.error}`);
      runs.push(r);
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
  const agent = String(await tab.evaluate("navigator.userAgent")).match(/Chrome\/[\d.]+/)?.[0];
  console.log(
    `${agent}, first run of 1,000 unique labels in a fresh dedicated worker, ${PER_VARIANT} workers each:`,
  );
  for (const warm of VARIANTS) {
    const of = runs.filter((r) => r.warm === warm);
    const name = warm === 0 ? "not warmed (today's path without the idle warm-up)" : `after warmUp(${warm})`;
    console.log(
      `  ${name}: total median ${med(of.map((r) => r.total)).toFixed(1)} ms (${of.map((r) => r.total.toFixed(0)).join(", ")}), first 50 median ${med(of.map((r) => r.first50)).toFixed(1)} ms${warm ? `; the warm-up itself ${med(of.map((r) => r.warmUp)).toFixed(0)} ms` : ""}`,
    );
  }
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}`,
  );
} finally {
  await browser.close();
  server.close();
}
