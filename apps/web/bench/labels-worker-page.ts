// What the benches that time the PWA's real labels worker share (printer.bench.ts,
// test/bench/courier-zpl.bench.ts): the built worker found in apps/web/dist, a loopback server for
// the build (with a hook for the requests a bench answers itself), sample labels, and Debian's
// Chromium with a blank page on that server. Nothing leaves the machine.
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { cpus, loadavg } from "node:os";
import { extname, join, normalize } from "node:path";
import type { Address } from "@consign/domain";
import type { LabelData } from "@consign/labels";
import { launchChromium } from "../../../scripts/chromium.mjs";

export const DIST = join(import.meta.dirname, "..", "dist");

/** The labels worker's file in a build's assets, or an error saying to build the PWA first. */
export function labelsWorker(dist = DIST): string {
  const worker = readdirSync(join(dist, "assets")).find((f) => f.startsWith("labels.worker-"));
  if (!worker) throw new Error("Build the PWA first: node scripts/pnpm.mjs --filter @consign/web build");
  return worker;
}

export const SENDER: Address = {
  name: "Hebden Hobby Supplies Ltd",
  line1: "Unit 4, Calder Works",
  city: "Hebden Bridge",
  postcode: "HX7 6DL",
  countryCode: "GB",
};

/** `n` labels to one Manchester street, each with its own tracking number and order. */
export function sampleLabels(
  n: number,
  service: (i: number) => Pick<LabelData, "serviceName" | "courierName" | "trackingNumber">,
): LabelData[] {
  return Array.from({ length: n }, (_, i) => ({
    sender: SENDER,
    recipient: {
      name: `Buyer ${i + 1} Łukaszewska-Brown`,
      line1: `${i + 1} Rosebery Court`,
      line2: "221 Kingsway Avenue",
      city: "Manchester",
      postcode: "M19 2LT",
      countryCode: "GB",
    },
    ...service(i),
    orderId: `203-${String(1000000 + i)}-${String(7000000 + i)}`,
    weightGrams: 450 + i,
    reference: `SKU-${i}`,
  }));
}

const TYPES: Record<string, string> = {
  ".js": "text/javascript",
  ".pfb": "application/octet-stream",
  ".ttf": "font/ttf",
};
const PAGE = "<!doctype html><title>bench</title>";

/**
 * Serves `roots` ("" → the build; "/baseline" → another build, say) and a blank page at /, after
 * `answer` has had the first look at each request (it returns true when it answered).
 */
export async function serveBuild(
  roots: Record<string, string> = { "": DIST },
  answer: (url: URL, res: ServerResponse, req: IncomingMessage) => boolean = () => false,
): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://bench");
    if (answer(url, res, req)) return;
    let path = normalize(decodeURIComponent(url.pathname));
    if (path === "/" || path === "/bench.html")
      return void res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
    const prefix = Object.keys(roots)
      .filter((p) => p !== "" && path.startsWith(`${p}/`))
      .sort((a, b) => b.length - a.length)[0];
    const root = roots[prefix ?? ""] ?? DIST;
    if (prefix) path = path.slice(prefix.length);
    try {
      const body = readFileSync(join(root, path));
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

/** Chromium (headless, Debian's) with one tab on the server's blank page; `close` ends both. */
export async function benchTab(name: string, origin: string, server: Server) {
  const browser = await launchChromium({ name });
  const tab = await browser.newPage();
  // tsx names functions with a helper the page does not have.
  await tab.addInitScript("globalThis.__name = (f) => f;");
  await tab.goto(`${origin}/bench.html`);
  const agent = await tab.evaluate(() => navigator.userAgent);
  return {
    tab,
    chrome: agent.match(/Chrome\/[\d.]+/)?.[0] ?? agent,
    close: async () => {
      await browser.close();
      server.close();
    },
  };
}

/** "2 × <cpu>, load average a b c" for a bench's last line. */
export function machineLine(): string {
  return `${cpus().length} × ${cpus()[0]?.model}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`;
}
