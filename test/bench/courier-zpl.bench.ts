// 100 Royal Mail Pro Shipping labels to printer bytes, beside the PDF → ZPL render path, in the same
// run, through the call a print run makes: the PWA's real labels worker (the built apps/web/dist, in
// Debian's Chromium, headless, loopback only) doing `zplForPrinter` for 100 orders, 203 dpi, 4x6.
// A small local server stands in for the edge's `GET /api/v1/orders/{id}/label?printer=zpl203`:
//   Pro Shipping → courier ZPL   it answers application/zpl: the ZPL the Pro Shipping sandbox gives
//                                (workers/sandbox/src/couriers/zpl.ts), sent to the printer unchanged
//   Click & Drop → PDF → ZPL     it answers application/pdf: a one-page courier PDF label, which the
//                                worker renders with pdf.js at 203 dpi into a ^GFA graphic (today's
//                                path for couriers whose API prints PDF only)
// Each is timed around the worker call (what a run waits for before it sends to the printer): a cold
// first run, then the median of 5. Build the PWA first (pnpm --filter @consign/web build). Run:
//   node_modules/.bin/tsx test/bench/courier-zpl.bench.ts [labels=100]
import { loadavg } from "node:os";
import { type LabelData, renderLabels } from "@consign/labels";
import { defaultDataMatrix } from "@consign/labels/barcode";
import {
  benchTab,
  labelsWorker,
  machineLine,
  sampleLabels,
  SENDER as sender,
  serveBuild,
} from "../../apps/web/bench/labels-worker-page.ts";
import { labelZpl } from "../../workers/sandbox/src/couriers/zpl.ts";

const worker = labelsWorker();
const N = Number(process.argv[2] ?? 100);
const labels = sampleLabels(N, (i) => ({
  serviceName: "Tracked 24",
  courierName: "Royal Mail",
  trackingNumber: `TT${String(660548056 + i).padStart(9, "0")}GB`,
}));
const byOrder = new Map(labels.map((l) => [l.orderId, l]));
// What Royal Mail's API gives for each: its ZPL (as the Pro Shipping sandbox writes it), or a PDF.
const zplOf = (l: LabelData) =>
  labelZpl(
    [
      { text: "Royal Mail", size: 22, bold: true },
      { text: "Royal Mail Tracked 24", size: 14 },
      { text: l.trackingNumber, size: 16, bold: true },
      { text: `From: ${sender.name}, ${sender.city}, ${sender.postcode}`, size: 8 },
      { text: "Deliver to:" },
      { text: l.recipient.name },
      { text: l.recipient.line1 },
      { text: l.recipient.line2 ?? "" },
      { text: l.recipient.city },
      { text: l.recipient.postcode, size: 14, bold: true },
      { text: `Ref ${l.orderId}`, size: 8 },
    ],
    {
      code128: [l.trackingNumber],
      dataMatrix: defaultDataMatrix(l.trackingNumber, l.recipient.postcode, l.orderId),
    },
    203,
  );
const zpls = new Map(labels.map((l) => [l.orderId, zplOf(l)]));
const pdfs = new Map(labels.map((l) => [l.orderId, renderLabels([l])]));
// The orders as the worker sees them: each with its bought label.
const orders = labels.map((l) => ({
  orderId: l.orderId,
  shipments: [
    {
      id: `${l.orderId}:1`,
      courier: "royal-mail",
      serviceCode: "TPN24",
      trackingNumber: l.trackingNumber,
      amazonCarrierCode: "Royal Mail",
      boughtAt: 0,
    },
  ],
}));
const profile = { language: "zpl", dpi: 203, stock: "4x6", darkness: 15 };

let answer: "zpl" | "pdf" = "zpl";
const { server, origin } = await serveBuild(undefined, (url, res) => {
  const label = /^\/api\/v1\/orders\/([^/]+)\/label$/.exec(url.pathname);
  if (!label) return false;
  const id = decodeURIComponent(label[1] ?? "");
  if (!byOrder.has(id)) res.writeHead(404).end();
  else if (answer === "zpl")
    res.writeHead(200, { "content-type": "application/zpl; charset=utf-8" }).end(zpls.get(id));
  else res.writeHead(200, { "content-type": "application/pdf" }).end(pdfs.get(id));
  return true;
});

/**
 * Runs in the page: one zplForPrinter call in the labels worker over comlink's wire format, the
 * token getter passed as comlink passes a proxy (a MessagePort answering its calls). Resolves with
 * the milliseconds, the labels made, their bytes, how many were the courier's own ZPL, and errors.
 */
async function oneRun(input: { url: string; orders: unknown[]; profile: unknown; sender: unknown }) {
  const w =
    (globalThis as unknown as { __w?: Worker }).__w ??
    new Worker(input.url, { type: "module", name: "labels" });
  (globalThis as unknown as { __w?: Worker }).__w = w;
  const { port1, port2 } = new MessageChannel();
  port1.onmessage = (e: MessageEvent) => {
    const m = e.data as { id?: string; type: string };
    if (m.type === "APPLY") port1.postMessage({ id: m.id, type: "RAW", value: "bench-token" });
    else if (m.type === "RELEASE") port1.postMessage({ id: m.id, type: "RAW", value: undefined });
  };
  port1.start();
  const id = crypto.randomUUID();
  const t0 = performance.now();
  const batch = await new Promise<{
    labels: { zpl: string; source: string }[];
    errors: Record<string, string>;
  }>((resolve, reject) => {
    const on = (e: MessageEvent) => {
      const d = e.data as { id?: string; type: string; value: unknown };
      if (d.id !== id) return;
      w.removeEventListener("message", on);
      if (d.type === "HANDLER") reject(new Error(JSON.stringify(d.value)));
      else resolve(d.value as never);
    };
    w.addEventListener("message", on);
    w.postMessage(
      {
        id,
        type: "APPLY",
        path: ["zplForPrinter"],
        argumentList: [
          { type: "RAW", value: input.orders },
          { type: "RAW", value: input.profile },
          { type: "RAW", value: input.sender },
          { type: "HANDLER", name: "proxy", value: port2 },
        ],
      },
      [port2],
    );
  });
  const ms = performance.now() - t0;
  const bytes = batch.labels.reduce((sum, l) => sum + new TextEncoder().encode(l.zpl).byteLength, 0);
  return {
    ms,
    labels: batch.labels.length,
    bytes,
    courierZpl: batch.labels.filter((l) => l.source === "courier-zpl").length,
    errors: Object.values(batch.errors).slice(0, 3),
  };
}

const { tab, chrome, close } = await benchTab("courier-zpl-bench", origin, server);
try {
  const loadBefore = loadavg()[0]!.toFixed(1);
  const results: Record<"zpl" | "pdf", Awaited<ReturnType<typeof oneRun>>[]> = { zpl: [], pdf: [] };
  // Interleaved, so that both paths meet the same load: ZPL, PDF, ZPL, PDF, …
  for (let r = 0; r < 6; r++) {
    for (const path of ["zpl", "pdf"] as const) {
      answer = path;
      const result = await tab.evaluate(oneRun, { url: `/assets/${worker}`, orders, profile, sender });
      if (result.labels !== N)
        throw new Error(`${path}: ${result.labels} labels made; ${result.errors.join("; ")}`);
      results[path].push(result);
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
  console.log(`${chrome}, the PWA's labels worker, zplForPrinter, ${N} labels, 203 dpi, 4x6:`);
  for (const [path, name] of [
    ["zpl", "Pro Shipping → courier ZPL"],
    ["pdf", "Click & Drop → PDF → ZPL"],
  ] as const) {
    const runs = results[path];
    const [cold, ...warm] = runs.map((x) => x.ms);
    const last = runs.at(-1);
    console.log(
      `  ${name.padEnd(28)} cold ${cold?.toFixed(0).padStart(6)} ms · median of ${warm.length} ${med(warm).toFixed(0).padStart(6)} ms · ${((last?.bytes ?? 0) / N / 1000).toFixed(1)} KB/label · courier's own ZPL ${last?.courierZpl}/${N}`,
    );
  }
  console.log(`  machine: ${machineLine()} (1-minute load ${loadBefore} at the start)`);
} finally {
  await close();
}
