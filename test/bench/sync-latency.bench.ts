// Issue 5's latency figure: an edit on one device visible on the others, 10 devices connected to
// one seller's room over loopback, through the real edge Worker and SellerRoom in workerd
// (wrangler dev), each update written to SQLite before the broadcast. Stock y-websocket clients.
// Since issue 15 every device update passes the room's write check (checkWrite) first, so the
// edits are what people make: a package weight on one of the demo seller's orders, or a
// keystroke in its notes (collaborative text).
// Run: node_modules/.bin/tsx test/bench/sync-latency.bench.ts [edits]
// SYNC_BENCH_PORT moves the stack (edge on it, sandbox on it + 1) off 19787 when that is taken.
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { listOrders, orderText, setWork } from "../../packages/sync/src/index.ts";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/stack.mjs";

const DEVICES = 10;
const EDITS = Number(process.argv[2] ?? 300);
const stateDir = join(import.meta.dirname, "..", "..", "test-output", "bench-sync-state");
rmSync(stateDir, { recursive: true, force: true });
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" / ");
console.log(`# sync latency (load average at the start ${load()})`);
const PORT = Number(process.env.SYNC_BENCH_PORT ?? 19787);
const stack = await startStack({ edgePort: PORT, sandboxPort: PORT + 1, stateDir });

async function post<T>(path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

try {
  const demo = stack.demo as { sellerId: string; owner: string; password: string };
  const grant = await post<{ sessionToken: string }>("/auth/signin", {
    email: demo.owner,
    password: demo.password,
    deviceName: "bench",
  });
  const sellerId = demo.sellerId;
  const { accessToken } = await post<{ accessToken: string }>(
    "/auth/token",
    { sellerId },
    grant.sessionToken,
  );
  const devices = Array.from({ length: DEVICES }, () => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`ws://127.0.0.1:${PORT}/sync`, sellerId, doc, {
      WebSocketPolyfill: WebSocket as never,
      disableBc: true,
      params: { token: accessToken },
    });
    provider.on("connection-close", (e) => {
      if (e) console.error(`a device's socket closed: ${e.code} ${e.reason}`);
    });
    return { doc, provider, work: doc.getMap<unknown>("work") };
  });
  console.error(`signed in; ${DEVICES} devices connecting`);
  await Promise.all(
    devices.map(
      (d) => new Promise<void>((r) => (d.provider.synced ? r() : d.provider.once("sync", () => r()))),
    ),
  );
  const ids = listOrders(devices[0]!.doc).map((o) => o.orderId);
  if (ids.length === 0) throw new Error("the demo seller has no orders");
  const latencies: number[] = [];
  /** Each edit's slowest delivery, to name the worst edits (which one, what kind, when). */
  const worst: { i: number; ms: number; kind: string; at: number }[] = [];
  const started = performance.now();
  for (let i = 0; i < EDITS; i++) {
    const from = devices[i % DEVICES]!;
    const id = ids[i % ids.length]!;
    const others = devices.filter((d) => d !== from);
    // Even edits: a package weight (a JSON field); odd: one character typed into the notes.
    const weight = 1_000 + i;
    const arrived =
      i % 2 === 0
        ? (d: (typeof devices)[number]) =>
            (d.work.get(`${id}/package`) as { weightGrams?: number } | undefined)?.weightGrams === weight
        : (d: (typeof devices)[number]) =>
            (orderText(d.doc, id, "notes")?.toString() ?? "").includes(`#${i};`);
    const seen = others.map(
      (d) =>
        new Promise<number>((resolve) => {
          const check = () => {
            if (arrived(d)) {
              d.doc.off("afterTransaction", check);
              resolve(performance.now());
            }
          };
          d.doc.on("afterTransaction", check);
        }),
    );
    const t0 = performance.now();
    if (i % 2 === 0) setWork(from.doc, id, { package: { weightGrams: weight } });
    else {
      const text = orderText(from.doc, id, "notes");
      if (!text) throw new Error(`order ${id} has no notes text`);
      if (text.length > 1_900) text.delete(0, text.length);
      text.insert(text.length, `#${i};`);
    }
    const stuck = setTimeout(
      () =>
        console.error(`edit ${i} (${i % 2 ? "notes" : "package"} of ${id}) not seen everywhere after 5 s`),
      5_000,
    );
    const arrivals = (await Promise.all(seen)).map((at) => at - t0);
    latencies.push(...arrivals);
    worst.push({
      i,
      ms: Math.max(...arrivals),
      kind: i % 2 ? "notes" : "package",
      at: (t0 - started) / 1000,
    });
    clearTimeout(stuck);
  }
  latencies.sort((a, b) => a - b);
  console.log(
    `sync latency, ${DEVICES} devices, ${EDITS} edits of the demo seller's ${ids.length} orders, ${latencies.length} deliveries (write check on, persist before broadcast)`,
  );
  console.log(
    `  p50 ${quantile(latencies, 0.5).toFixed(2)} ms · p95 ${quantile(latencies, 0.95).toFixed(2)} ms · max ${latencies.at(-1)!.toFixed(2)} ms   (goal p50 ≤ 5 ms, p95 ≤ 15 ms)`,
  );
  worst.sort((a, b) => b.ms - a.ms);
  console.log(
    `  slowest edits: ${worst
      .slice(0, 3)
      .map((w) => `#${w.i} (${w.kind}, ${w.at.toFixed(1)} s in) ${w.ms.toFixed(0)} ms`)
      .join(", ")}; p99 ${quantile(latencies, 0.99).toFixed(2)} ms`,
  );
  console.log(`  load average at the end ${load()}`);
  for (const d of devices) d.provider.destroy();
} finally {
  stack.stop();
  setTimeout(() => process.exit(0), 300);
}
