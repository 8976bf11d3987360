// Issue 5's latency figure: an edit on one device visible on the others, 10 devices connected to
// one seller's room over loopback, through the real edge Worker and SellerRoom in workerd
// (wrangler dev), each update written to SQLite before the broadcast. Stock y-websocket clients.
// Run: node_modules/.bin/tsx test/bench/sync-latency.bench.ts [edits]
import { rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/stack.mjs";

const DEVICES = 10;
const EDITS = Number(process.argv[2] ?? 300);
const stateDir = join(import.meta.dirname, "..", "..", "test-output", "bench-sync-state");
rmSync(stateDir, { recursive: true, force: true });
const stack = await startStack({ edgePort: 19787, sandboxPort: 19788, stateDir, seedDemo: false });

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
  const grant = await post<{ sessionToken: string; memberships: { sellerId: string }[] }>("/auth/signup", {
    sellerName: "Bench Ltd",
    name: "Bench",
    email: `bench-${Date.now()}@example.co.uk`,
    password: "benchmark password",
    deviceName: "bench",
  });
  const sellerId = grant.memberships[0]!.sellerId;
  const { accessToken } = await post<{ accessToken: string }>(
    "/auth/token",
    { sellerId },
    grant.sessionToken,
  );
  const devices = Array.from({ length: DEVICES }, () => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`ws://127.0.0.1:19787/sync`, sellerId, doc, {
      WebSocketPolyfill: WebSocket as never,
      disableBc: true,
      params: { token: accessToken },
    });
    return { doc, provider, map: doc.getMap<number>("bench") };
  });
  await Promise.all(
    devices.map(
      (d) => new Promise<void>((r) => (d.provider.synced ? r() : d.provider.once("sync", () => r()))),
    ),
  );
  const latencies: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const from = devices[i % DEVICES]!;
    const key = `edit-${i}`;
    const others = devices.filter((d) => d !== from);
    const seen = others.map(
      (d) =>
        new Promise<number>((resolve) => {
          const check = () => {
            if (d.map.has(key)) {
              d.map.unobserve(check);
              resolve(performance.now());
            }
          };
          d.map.observe(check);
        }),
    );
    const t0 = performance.now();
    from.map.set(key, i);
    for (const at of await Promise.all(seen)) latencies.push(at - t0);
  }
  latencies.sort((a, b) => a - b);
  console.log(
    `sync latency, ${DEVICES} devices, ${EDITS} edits, ${latencies.length} deliveries (persist before broadcast)`,
  );
  console.log(
    `  p50 ${quantile(latencies, 0.5).toFixed(2)} ms · p95 ${quantile(latencies, 0.95).toFixed(2)} ms · max ${latencies.at(-1)!.toFixed(2)} ms   (goal p50 ≤ 10 ms, p95 ≤ 25 ms)`,
  );
  for (const d of devices) d.provider.destroy();
} finally {
  stack.stop();
  setTimeout(() => process.exit(0), 300);
}
