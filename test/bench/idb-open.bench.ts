// Issue 5's "opened from IndexedDB in the PWA in ≤ 500 ms", on its own: in Debian's Chromium, a
// y-indexeddb store holding N open orders as the PWA stores them (apps/web/src/lib/live.ts) is
// opened until `whenSynced`, then `listOrders` reads every order. Each open runs in a freshly
// loaded page (a reload). Baselines in the same run and browser profile: every order its own
// IndexedDB record (getAll), and all orders as one JSON string (get + JSON.parse).
// No stack needed: a static server on 127.0.0.1 (ephemeral port) serves the page.
// Run: node_modules/.bin/tsx test/bench/idb-open.bench.ts [orders=5000] [runs=7]
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "../../scripts/chromium.mjs";
import { mb, median, openOrders } from "./bench-helpers.ts";
import { bundlePage, servePage } from "./idb-helpers.ts";

const N = Number(process.argv[2] ?? 5000);
const RUNS = Math.max(1, Number(process.argv[3] ?? 7));

interface Opened {
  synced: number;
  list: number;
  total: number;
  orders: number;
}
interface Seeded {
  orders: number;
  docBytes: number;
  yjs: { records: number; bytes: number };
  jsonBytes: number;
}

const ways = [
  { key: "openYjs", name: "PWA: y-indexeddb → whenSynced, then listOrders" },
  {
    key: "openYjsParts",
    name: "  of which: y-indexeddb records read raw, then Y.applyUpdate (no listOrders)",
  },
  { key: "openRecords", name: "naive: one record per order, getAll" },
  { key: "openBlob", name: "naive: one JSON string, get + JSON.parse" },
] as const;

/** What the two parts of each figure are. */
const PARTS: Record<(typeof ways)[number]["key"], [string, string]> = {
  openYjs: ["whenSynced", "listOrders"],
  openYjsParts: ["IndexedDB getAll", "Yjs decode"],
  openRecords: ["getAll", ""],
  openBlob: ["get", "JSON.parse"],
};

const bundle = await bundlePage();
const { url, server } = await servePage(bundle, JSON.stringify(openOrders(N, Date.now())));
// A persistent profile, as a tablet's: IndexedDB on disk. Removed at the end.
const profileDir = mkdtempSync(join(tmpdir(), "consign-idb-bench-"));
const context = await launchChromium({ userDataDir: profileDir });
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const load = async () => {
    await page.goto(`${url}/`);
    await page.waitForFunction(`document.title === "ready"`);
  };
  await load();
  const seeded = (await page.evaluate("window.bench.seed()")) as Seeded;
  console.log(
    `# IndexedDB open in Chromium ${context.browser()?.version() ?? ""}: ${seeded.orders} open orders, ${RUNS} runs each (load average ${loadavg()[0]!.toFixed(2)})`,
  );
  console.log(
    `stored: y-indexeddb ${seeded.yjs.records} update record(s), ${mb(seeded.yjs.bytes)} (document ${mb(seeded.docBytes)}); JSON ${mb(seeded.jsonBytes)}`,
  );
  const results = new Map<string, Opened[]>(ways.map((w) => [w.key, []]));
  for (let i = 0; i < RUNS; i++) {
    // Rotate the order, so no way always runs first after the others warmed the disk cache.
    for (let k = 0; k < ways.length; k++) {
      const way = ways[(i + k) % ways.length]!;
      await load();
      const r = (await page.evaluate(`window.bench.${way.key}()`)) as Opened;
      if (r.orders !== seeded.orders)
        throw new Error(`${way.key} read ${r.orders} of ${seeded.orders} orders`);
      results.get(way.key)!.push(r);
    }
  }
  const f = (x: number) => `${x.toFixed(0)} ms`;
  for (const way of ways) {
    const rs = results.get(way.key)!;
    const totals = rs.map((r) => r.total);
    const [first, second] = PARTS[way.key];
    const parts = second
      ? ` (${first} ${f(median(rs.map((r) => r.synced)))} + ${second} ${f(median(rs.map((r) => r.list)))})`
      : "";
    console.log(
      `${way.name}: median ${f(median(totals))}${parts}, min ${f(Math.min(...totals))}, max ${f(Math.max(...totals))}${way.key === "openYjs" ? "   goal ≤ 500 ms" : ""}`,
    );
  }
  console.log(
    `  runs (PWA way, ms): ${results
      .get("openYjs")!
      .map((r) => `${r.synced.toFixed(0)}+${r.list.toFixed(0)}`)
      .join(", ")}`,
  );
} finally {
  await context.close();
  server.close();
  rmSync(profileDir, { recursive: true, force: true });
}
