// What idb-open.bench.ts serves to Chromium: a page bundling the PWA's own y-indexeddb, yjs and
// @consign/sync (resolved from apps/web, as the PWA's build resolves them), plus the orders as JSON,
// from a static server on 127.0.0.1 (an ephemeral port).
import { realpathSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");

/** The page's code. Each `open*` runs in a freshly loaded page, as a reload of the PWA would. */
const pageSource = `
import { IndexeddbPersistence } from "y-indexeddb";
import * as Y from "yjs";
import { listOrders, MAX_MESSAGE_BYTES, splitUpdate, upsertOrders } from "@consign/sync";

const YJS = "consign:bench-seller";
const RECORDS = "naive-records";
const BLOB = "naive-blob";

function openDb(name, create) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => create(req.result);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
const done = (req) => new Promise((resolve, reject) => {
  req.onsuccess = () => resolve(req.result);
  req.onerror = () => reject(req.error);
});
const committed = (tx) => new Promise((resolve, reject) => {
  tx.oncomplete = () => resolve();
  tx.onerror = () => reject(tx.error);
});

async function storedUpdates(db) {
  const all = await done(db.transaction("updates").objectStore("updates").getAll());
  return { records: all.length, bytes: all.reduce((n, u) => n + u.byteLength, 0) };
}

window.bench = {
  /** Stores the orders three ways: as the PWA does (y-indexeddb), one record each, one JSON blob. */
  async seed() {
    const orders = await (await fetch("/orders.json")).json();
    // The room's document, built as imports build it (500 orders an update)…
    const source = new Y.Doc();
    for (let i = 0; i < orders.length; i += 500) upsertOrders(source, orders.slice(i, i + 500), "import");
    const state = Y.encodeStateAsUpdate(source);
    // …arrives on the device in the parts the room sends (sync step 2, split under the message cap),
    // each of which y-indexeddb appends as it is applied (apps/web/src/lib/live.ts).
    const doc = new Y.Doc();
    const local = new IndexeddbPersistence(YJS, doc);
    await local.whenSynced;
    for (const part of splitUpdate(state, MAX_MESSAGE_BYTES)) Y.applyUpdate(doc, part, "room");
    const yjs = await storedUpdates(local.db); // ordered after y-indexeddb's writes
    await local.destroy();

    const records = await openDb(RECORDS, (db) => db.createObjectStore("orders", { keyPath: "orderId" }));
    const tx = records.transaction("orders", "readwrite");
    for (const o of orders) tx.objectStore("orders").put(o);
    await committed(tx);
    records.close();

    const blob = await openDb(BLOB, (db) => db.createObjectStore("kv"));
    const json = JSON.stringify(orders);
    const tx2 = blob.transaction("kv", "readwrite");
    tx2.objectStore("kv").put(json, "orders");
    await committed(tx2);
    blob.close();
    return { orders: orders.length, docBytes: state.byteLength, yjs, jsonBytes: json.length };
  },

  /** The PWA's way: a Y.Doc loaded by y-indexeddb, no update listener while it loads (live.ts). */
  async openYjs() {
    const t0 = performance.now();
    const doc = new Y.Doc();
    const local = new IndexeddbPersistence(YJS, doc);
    doc.off("update", local._storeUpdate);
    await local.whenSynced;
    const t1 = performance.now();
    const n = listOrders(doc).length;
    const t2 = performance.now();
    return { synced: t1 - t0, list: t2 - t1, total: t2 - t0, orders: n };
  },

  /** Where the PWA's time goes: y-indexeddb's records read raw (getAll), then decoded by Yjs. */
  async openYjsParts() {
    const t0 = performance.now();
    const db = await openDb(YJS, () => {});
    const updates = await done(db.transaction("updates").objectStore("updates").getAll());
    const t1 = performance.now();
    const doc = new Y.Doc();
    Y.transact(doc, () => {
      for (const u of updates) Y.applyUpdate(doc, u);
    });
    const t2 = performance.now();
    const n = listOrders(doc).length;
    db.close();
    return { synced: t1 - t0, list: t2 - t1, total: t2 - t0, orders: n };
  },

  /** Baseline: every order its own IndexedDB record (structured clone), read with getAll. */
  async openRecords() {
    const t0 = performance.now();
    const db = await openDb(RECORDS, () => {});
    const orders = await done(db.transaction("orders").objectStore("orders").getAll());
    const t1 = performance.now();
    db.close();
    return { synced: t1 - t0, list: 0, total: t1 - t0, orders: orders.length };
  },

  /** Baseline: all orders as one JSON string in one record, parsed. */
  async openBlob() {
    const t0 = performance.now();
    const db = await openDb(BLOB, () => {});
    const json = await done(db.transaction("kv").objectStore("kv").get("orders"));
    const t1 = performance.now();
    const orders = JSON.parse(json);
    const t2 = performance.now();
    db.close();
    return { synced: t1 - t0, list: t2 - t1, total: t2 - t0, orders: orders.length };
  },
};
document.title = "ready";
`;

interface EsbuildLike {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
}

/** Bundles the page with the esbuild that tsx brings (no new dependency), resolving from apps/web. */
export async function bundlePage(): Promise<string> {
  const tsxPackage = realpathSync(join(root, "node_modules", "tsx", "package.json"));
  const esbuild = createRequire(tsxPackage)("esbuild") as EsbuildLike;
  const result = await esbuild.build({
    stdin: {
      contents: pageSource,
      resolveDir: join(root, "apps", "web", "src", "lib"),
      sourcefile: "idb-bench-page.js",
      loader: "js",
    },
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    write: false,
    logLevel: "error",
  });
  const text = result.outputFiles[0]?.text;
  if (!text) throw new Error("esbuild produced no bundle for the benchmark page");
  return text;
}

/** Serves the page, its bundle and the orders on 127.0.0.1; resolves with the base URL. */
export async function servePage(
  bundle: string,
  ordersJson: string,
): Promise<{ url: string; server: Server }> {
  const html = `<!doctype html><meta charset="utf-8"><title>loading</title><script type="module" src="/bench.js"></script>`;
  const server = createServer((req, res) => {
    const routes: Record<string, [string, string]> = {
      "/": ["text/html", html],
      "/bench.js": ["text/javascript", bundle],
      "/orders.json": ["application/json", ordersJson],
    };
    const hit = routes[req.url ?? ""];
    if (!hit) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": hit[0], "Cache-Control": "no-store" }).end(hit[1]);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}
