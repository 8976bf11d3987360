// Issue 23's "sign-in → first rows": the part the room sets, a new device's first full sync (the whole
// document, cut into parts under the 1 MiB WebSocket limit), timed from outside: a fresh y-websocket
// client with a real access token, from opening the socket to y-websocket's `sync` (the room's step 2,
// its last part) with every order held. Two stacks run side by side, this checkout's and another's
// (BASE_TREE, e.g. a worktree of the commit before a change), each with the demo seller's sandbox
// Amazon account seeded with N orders awaiting dispatch and imported by its room; the fresh devices
// alternate between them, so both meet the same machine load.
// Run: BASE_TREE=/path/to/other/checkout FIRST_SYNC_BENCH_PORT=19560 \
//        node_modules/.bin/tsx test/bench/first-sync.bench.ts [orders=5000] [rounds=7]
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { listOrders } from "../../packages/sync/src/index.ts";
import { median, postJson } from "./bench-helpers.ts";
import { type RunningStack, stopAndWait, waitForOrders } from "./room-helpers.ts";

const N = Number(process.argv[2] ?? 5000);
const ROUNDS = Math.max(1, Number(process.argv[3] ?? 7));
const PORT = Number(process.env.FIRST_SYNC_BENCH_PORT ?? 19560);
const BASE_TREE = process.env.BASE_TREE;
if (!BASE_TREE)
  throw new Error("Set BASE_TREE to the other checkout (its web app built or its dist copied).");
const here = join(import.meta.dirname, "..", "..");

interface Side {
  name: string;
  stack: RunningStack & { demo: { owner: string; password: string; sellerId: string } };
  session: string;
  times: number[];
}

async function startSide(name: string, tree: string, port: number): Promise<Side> {
  const { startStack } = (await import(join(tree, "scripts", "stack.mjs"))) as {
    startStack: (o: object) => Promise<Side["stack"]>;
  };
  const stateDir = join(here, "test-output", `bench-first-sync-${port}`);
  rmSync(stateDir, { recursive: true, force: true });
  const stack = await startStack({
    edgePort: port,
    sandboxPort: port + 1,
    stateDir,
    demoSeed: { orders: N, unshipped: N, historyDays: 3, seed: "first-sync", arrivalsPerHour: 0 },
    demoFaults: { rateScale: 2000 },
  });
  const { sessionToken } = await postJson<{ sessionToken: string }>(`${stack.url}/auth/signin`, {
    email: stack.demo.owner,
    password: stack.demo.password,
    deviceName: "first-sync bench",
  });
  return { name, stack, session: sessionToken, times: [] };
}

async function token(side: Side): Promise<string> {
  const { accessToken } = await postJson<{ accessToken: string }>(
    `${side.stack.url}/auth/token`,
    { sellerId: side.stack.demo.sellerId },
    side.session,
  );
  return accessToken;
}

/** One fresh device's first sync: socket opened → `sync`, every order held. */
async function firstSync(side: Side): Promise<number> {
  const access = await token(side);
  const doc = new Y.Doc();
  const t0 = performance.now();
  const provider = new WebsocketProvider(
    `${side.stack.url.replace(/^http/, "ws")}/sync`,
    side.stack.demo.sellerId,
    doc,
    {
      WebSocketPolyfill: WebSocket as never,
      disableBc: true,
      params: { token: access },
    },
  );
  await new Promise<void>((r) => provider.once("sync", () => r()));
  const ms = performance.now() - t0;
  provider.destroy();
  const held = listOrders(doc).length;
  doc.destroy();
  if (held < N) throw new Error(`${side.name}: a fresh device synced ${held} of ${N} orders`);
  return ms;
}

const sides: Side[] = [];
try {
  sides.push(await startSide("this checkout", here, PORT));
  sides.push(await startSide(`base (${BASE_TREE})`, BASE_TREE, PORT + 10));
  for (const side of sides) {
    const filled = await waitForOrders(
      `${side.stack.url.replace(/^http/, "ws")}/sync`,
      side.stack.demo.sellerId,
      () => token(side),
      N,
    );
    console.log(`${side.name}: ${filled.orders} orders imported in ${(filled.ms / 1000).toFixed(1)} s`);
  }
  await new Promise((r) => setTimeout(r, 8000)); // the import's last alarms settle
  const loadStart = loadavg()[0]!;
  for (const side of sides) await firstSync(side); // warm: the room loaded, the isolate compiled
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) side.times.push(await firstSync(side));
  }
  console.log(
    `A new device's first full sync of ${N} open orders, ${ROUNDS} rounds alternating (load average ${loadStart.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}):`,
  );
  for (const side of sides)
    console.log(
      `  ${side.name}: median ${median(side.times).toFixed(0)} ms (${side.times.map((t) => t.toFixed(0)).join(", ")})`,
    );
} finally {
  for (const side of sides) await stopAndWait(side.stack).catch(() => undefined);
  setTimeout(() => process.exit(0), 300);
}
