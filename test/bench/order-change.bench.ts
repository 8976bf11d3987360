// Issue 19's figures: from the sandbox's Amazon creating an order (or a buyer asking to cancel one)
// to that order (or its flag) on another device, through the whole local system in workerd: the
// sandbox's ORDER_CHANGE → its SQS queue → the edge's poller (long poll, SigV4) → the seller's room
// (getOrder, stored) → a y-websocket device. The naive baseline, measured in the same run with the
// queue switched off: the backup poll of searchOrders alone (every 3 minutes, orders shown once two
// minutes old).
// Also, with a watch of W minutes: the demo seller's own new orders (the sandbox's order world places
// one about every five minutes and sends ORDER_CHANGE by its own alarm), from the time Amazon gives
// the order (whole seconds) to the order on the device.
// Run: node_modules/.bin/tsx test/bench/order-change.bench.ts [orders] [cancellations] [baseline: 0|1] [watch minutes]
import { rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { listOrders } from "../../packages/sync/src/index.ts";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/stack.mjs";

const ORDERS = Number(process.argv[2] ?? 40);
const CANCELS = Number(process.argv[3] ?? 20);
const BASELINE = (process.argv[4] ?? "1") === "1";
const WATCH_MIN = Number(process.argv[5] ?? 0);
const EDGE = 23050;
const SANDBOX = 23052;
const sandbox = `http://127.0.0.1:${SANDBOX}`;
const stateDir = join(import.meta.dirname, "..", "..", "test-output", "bench-order-change-state");
rmSync(stateDir, { recursive: true, force: true });
const stack = await startStack({ edgePort: EDGE, sandboxPort: SANDBOX, stateDir });

async function post<T>(url: string, body: unknown, token?: string, method = "POST"): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${(quantile(s, 0.5) / 1000).toFixed(2)} s, p95 ${(quantile(s, 0.95) / 1000).toFixed(2)} s, max ${(s[s.length - 1]! / 1000).toFixed(2)} s (n=${s.length})`;
};

function until(doc: Y.Doc, test: () => boolean, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    if (test()) return resolve(performance.now());
    const stop = setTimeout(() => {
      doc.off("afterTransaction", check);
      reject(new Error(`not seen within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const check = () => {
      if (!test()) return;
      clearTimeout(stop);
      doc.off("afterTransaction", check);
      resolve(performance.now());
    };
    doc.on("afterTransaction", check);
  });
}

try {
  const demo = stack.demo as { sellerId: string; owner: string; password: string };
  const grant = await post<{ sessionToken: string }>(`${stack.url}/auth/signin`, {
    email: demo.owner,
    password: demo.password,
    deviceName: "bench",
  });
  const { accessToken } = await post<{ accessToken: string }>(
    `${stack.url}/auth/token`,
    { sellerId: demo.sellerId },
    grant.sessionToken,
  );
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${EDGE}/sync`, demo.sellerId, doc, {
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    params: { token: accessToken },
  });
  await new Promise<void>((r) => (provider.synced ? r() : provider.once("sync", () => r())));
  const partner = "A1DEMOSELLERUK";
  const find = (id: string) => listOrders(doc).find((o) => o.orderId === id);
  // Every order first seen on the device from now on, with Amazon's purchase time (wall clock: the
  // demo's sandbox clock is not moved here).
  const watchFrom = Date.now();
  const firstSeen = new Map<string, { seenAt: number; purchaseDate: number }>();
  for (const o of listOrders(doc)) firstSeen.set(o.orderId, { seenAt: 0, purchaseDate: 0 });
  const watch = () => {
    for (const o of listOrders(doc)) {
      if (!firstSeen.has(o.orderId))
        firstSeen.set(o.orderId, { seenAt: Date.now(), purchaseDate: o.purchaseDate });
    }
  };
  doc.on("afterTransaction", watch);

  const placed: number[] = [];
  const placedIds: string[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const t0 = performance.now();
    const { orderId } = await post<{ orderId: string }>(
      `${sandbox}/_sandbox/amazon/sellers/${partner}/orders`,
      {},
    );
    placed.push((await until(doc, () => find(orderId) !== undefined, 60_000)) - t0);
    placedIds.push(orderId);
  }
  console.log(`order created at Amazon → on another device: ${summary(placed)}`);

  const cancelled: number[] = [];
  for (const orderId of placedIds.slice(0, CANCELS)) {
    const t0 = performance.now();
    await post(`${sandbox}/_sandbox/amazon/sellers/${partner}/orders/${orderId}/cancel-request`, {});
    cancelled.push(
      (await until(doc, () => !!find(orderId)?.items.some((i) => i.cancellationRequested), 60_000)) - t0,
    );
  }
  console.log(`buyer's cancellation request → flag on another device: ${summary(cancelled)}`);

  if (WATCH_MIN > 0) {
    await new Promise((r) => setTimeout(r, WATCH_MIN * 60_000));
    const own = new Set(placedIds);
    const arrivals = [...firstSeen.entries()]
      .filter(([id, f]) => !own.has(id) && f.seenAt > 0 && f.purchaseDate >= watchFrom - 1_000)
      .map(([, f]) => f.seenAt - f.purchaseDate);
    console.log(
      arrivals.length
        ? `the demo's own new orders (placed by the sandbox's order world) → on another device, over ${WATCH_MIN} min: ${summary(arrivals)} (Amazon's purchase time is in whole seconds: up to 1 s more than the truth)`
        : `the demo's own new orders: none arrived on the device in ${WATCH_MIN} min`,
    );
  }
  doc.off("afterTransaction", watch);

  if (BASELINE) {
    // The same, with the queue switched off: only the backup poll brings the order.
    await post(
      `${sandbox}/_sandbox/sqs/queues/consign-order-change/faults`,
      { down: true },
      undefined,
      "PUT",
    );
    const t0 = performance.now();
    const { orderId } = await post<{ orderId: string }>(
      `${sandbox}/_sandbox/amazon/sellers/${partner}/orders`,
      {},
    );
    try {
      const at = await until(doc, () => find(orderId) !== undefined, 10 * 60_000);
      console.log(
        `baseline, backup poll only (queue down): order on another device after ${((at - t0) / 1000).toFixed(1)} s`,
      );
    } catch {
      console.log("baseline, backup poll only (queue down): the order was not on the device after 600 s");
    }
    await post(`${sandbox}/_sandbox/sqs/queues/consign-order-change/faults`, {}, undefined, "PUT");
  }
  provider.destroy();
} finally {
  stack.stop();
}
process.exit(0);
