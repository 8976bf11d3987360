// Labels to printer bytes in the PWA's real labels worker (the built apps/web/dist, in Debian's
// Chromium, headless, loopback only), 100 labels each way, beside the PDF path in the same run:
//   ours → ZPL      Consign's own labels as native ZPL (text, ^BC, ^BX), 203 dpi 4x6
//   ours → PDF      the same labels as one print PDF (the path for browsers without WebUSB)
//   courier → ZPL   100 one-page courier PDF labels rendered by pdf.js at 203 dpi, sent as ^GFA
//   courier → PDF   the same 100 PDFs merged into one print PDF (the PDF path for courier labels)
// Each is timed around the worker call (what the app waits for): a cold first run, then the
// median of 5. Build the PWA first (pnpm --filter @consign/web build). Run from the repo root:
//   node_modules/.bin/tsx apps/web/bench/printer.bench.ts
// The naive baseline in the same run: BASELINE_DIST=<another build's apps/web/dist> adds that
// build's labels worker doing courier → ZPL (e.g. the build before issue 21's speed-up: one pdf.js
// document, a new canvas and getImageData per label, the parser in the same thread), 3 runs.
import { renderLabels } from "@consign/labels";
import { benchTab, DIST, labelsWorker, machineLine, sampleLabels, serveBuild } from "./labels-worker-page.ts";

const worker = labelsWorker();
const N = 100;
const labels = sampleLabels(N, (i) => ({
  serviceName: i % 2 ? "Tracked 24" : "Next Day",
  courierName: i % 2 ? "Royal Mail" : "DPD",
  trackingNumber: i % 2 ? `GQ${String(660548056 + i).padStart(9, "0")}GB` : String(15501234560000 + i * 13),
}));
// Stand-ins for couriers' PDF labels: one 4x6 page each, with text, a Code 128 and a DataMatrix.
const courierPdfs = labels.map((l) => Array.from(renderLabels([l])));
const profile = { language: "zpl", dpi: 203, stock: "4x6", darkness: 15 };

const baselineDist = process.env.BASELINE_DIST;
const baselineWorker = baselineDist ? labelsWorker(baselineDist) : undefined;
// The baseline build is served under /baseline/ (its workers load their chunks relative to it).
const { server, origin } = await serveBuild({
  "": DIST,
  ...(baselineDist ? { "/baseline": baselineDist } : {}),
});

/** Runs in the page: times `method` in the labels worker over comlink's wire format. */
async function measure(input: {
  url: string;
  calls: { name: string; method: string; args: unknown[] }[];
  runs: number;
}) {
  const w = new Worker(input.url, { type: "module", name: "labels" });
  let n = 0;
  const call = (method: string, args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = `c${n++}`;
      const on = (e: MessageEvent) => {
        if ((e.data as { id?: string }).id !== id) return;
        w.removeEventListener("message", on);
        const d = e.data as { type: string; value: unknown };
        if (d.type === "HANDLER") reject(new Error(JSON.stringify(d.value)));
        else resolve(d.value);
      };
      w.addEventListener("message", on);
      w.postMessage({
        id,
        type: "APPLY",
        path: [method],
        argumentList: args.map((value) => ({ type: "RAW", value })),
      });
    });
  const revive = (a: unknown) =>
    Array.isArray(a) && Array.isArray(a[0]) ? (a as number[][]).map((p) => new Uint8Array(p)) : a;
  const out: Record<string, { ms: number[]; bytes: number }> = {};
  for (const c of input.calls) {
    const args = c.args.map(revive);
    out[c.name] = { ms: [], bytes: 0 };
    for (let r = 0; r < input.runs; r++) {
      const t0 = performance.now();
      const result = (await call(c.method, args)) as Uint8Array;
      out[c.name]!.ms.push(performance.now() - t0);
      out[c.name]!.bytes = result.byteLength;
    }
  }
  const timings = await call("pdfTimings", []);
  w.terminate();
  return { out, agent: navigator.userAgent, timings };
}

const { tab, close } = await benchTab("labels-bench", origin, server);
try {
  const { out, agent, timings } = await tab.evaluate(measure, {
    url: `/assets/${worker}`,
    runs: 6,
    calls: [
      { name: "ours → ZPL", method: "ownLabelsToZplBytes", args: [labels, profile] },
      { name: "ours → PDF", method: "renderLabels", args: [labels] },
      { name: "courier → ZPL", method: "pdfLabelsToZplBytes", args: [courierPdfs, profile] },
      { name: "courier → PDF", method: "mergePdfs", args: [courierPdfs] },
    ],
  });
  const base =
    baselineDist && baselineWorker
      ? await tab.evaluate(measure, {
          url: `/baseline/assets/${baselineWorker}`,
          runs: 3,
          calls: [
            { name: "courier → ZPL (baseline)", method: "pdfLabelsToZplBytes", args: [courierPdfs, profile] },
          ],
        })
      : undefined;
  if (base) Object.assign(out, base.out);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
  console.log(`${agent.match(/Chrome\/[\d.]+/)?.[0]}, the PWA's labels worker, ${N} labels, 203 dpi, 4x6:`);
  for (const [name, r] of Object.entries(out)) {
    const [cold, ...warm] = r.ms;
    console.log(
      `  ${name.padEnd(25)} cold ${cold?.toFixed(0).padStart(5)} ms · median of ${warm.length} ${med(warm).toFixed(0).padStart(5)} ms · ${(r.bytes / N / 1000).toFixed(1)} KB/label`,
    );
  }
  console.log(`  machine: ${machineLine()}`);
  const t = timings as {
    labels: number;
    mergeMs: number;
    parseMs: number;
    renderMs: number;
    bitsMs: number;
    readBack: string;
  };
  const per = (ms: number) => (ms / t.labels).toFixed(1);
  console.log(
    `  courier PDF per label: join into one document ${per(t.mergeMs)} ms · pdf.js open ${per(t.parseMs)} ms · render ${per(t.renderMs)} ms · read back (${t.readBack}) + 1-bit ${per(t.bitsMs)} ms (the labels worker's own share, ${t.labels} labels, 2 pages in flight, so the parts overlap; the other shares are drawn by helper workers on the other cores)`,
  );
} finally {
  await close();
}
