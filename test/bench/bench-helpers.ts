// Shared by test/bench/room-load.bench.ts and test/bench/idb-open.bench.ts: open orders as an
// import makes them, signing a seller up on a running stack, and small statistics.
import type { Order } from "@consign/domain";
import { generateOrders } from "@consign/domain/testing";
// @ts-expect-error plain ESM script shared with `npm start`
import { signUpOnLocalStack } from "../../scripts/stack.mjs";

/** `n` open orders ("new", no label, nothing confirmed), seeded: the same each run. */
export function openOrders(n: number, now: number): Order[] {
  return generateOrders(n, { seed: 7, now, days: 4 }).map((o) => ({
    ...o,
    state: "new" as const,
    shipments: [],
    confirmation: { state: "none" as const, attempts: 0 },
  }));
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export const ms = (x: number): string => `${x.toFixed(0)} ms`;
export const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;

export async function postJson<T>(url: string, body: unknown, bearer?: string): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface BenchSeller {
  label: string;
  sellerId: string;
  sessionToken: string;
}

/** Signs up a new seller (and its owner) on the stack at `base`. */
export async function signUpSeller(base: string, label: string): Promise<BenchSeller> {
  const grant: { sessionToken: string; memberships: { sellerId: string }[] } = await signUpOnLocalStack(
    base,
    {
      sellerName: `Bench ${label} Ltd`,
      name: "Bench",
      email: `bench-${label}-${Date.now()}@example.co.uk`,
      password: "benchmark password",
      deviceName: "bench",
    },
  );
  const sellerId = grant.memberships[0]?.sellerId;
  if (!sellerId) throw new Error(`signing up ${label} gave no seller`);
  return { label, sellerId, sessionToken: grant.sessionToken };
}

/** Signs an existing person in (e.g. the demo seller's owner) as a new device of `sellerId`. */
export async function signInSeller(
  base: string,
  label: string,
  email: string,
  password: string,
  sellerId: string,
): Promise<BenchSeller> {
  const grant = await postJson<{ sessionToken: string }>(`${base}/auth/signin`, {
    email,
    password,
    deviceName: `bench ${label}`,
  });
  return { label, sellerId, sessionToken: grant.sessionToken };
}

/** A fresh access token (10 minutes) for the seller's owner: asks the Directory, never the room. */
export async function accessTokenFor(base: string, seller: BenchSeller): Promise<string> {
  const { accessToken } = await postJson<{ accessToken: string }>(
    `${base}/auth/token`,
    { sellerId: seller.sellerId },
    seller.sessionToken,
  );
  return accessToken;
}

/** Wall time of one authenticated GET, measured from outside workerd, with the body read. */
export async function timedGet(
  url: string,
  token: string,
): Promise<{ ms: number; status: number; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  const body = await res.arrayBuffer();
  const elapsed = performance.now() - t0;
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${new TextDecoder().decode(body)}`);
  return { ms: elapsed, status: res.status, bytes: body.byteLength };
}

/**
 * Page-side source (for `page.evaluate` strings) of `afterFrame()`: resolves with the main-thread time
 * from the next animation frame's start to the end of that frame's work (a message posted from the rAF
 * runs once the frame is done), leaving out the wait for the display's next frame.
 */
export const AFTER_FRAME = `const afterFrame = () => new Promise((r) => requestAnimationFrame(() => {
      const start = performance.now();
      const ch = new MessageChannel();
      ch.port1.onmessage = () => r(performance.now() - start);
      ch.port2.postMessage(null);
    }));`;

/** A CPU profile as Chromium's DevTools protocol returns it (Profiler.stop). */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Self time by function (name, file:line:column; minified bundles have one line) over a CPU profile,
 * idle left out, heaviest first: where the main thread's time went. `(garbage collector)` and
 * `(program)` are the engine's own.
 */
export function selfTimes(profile: CpuProfile): { busyMs: number; byFunction: [string, number][] } {
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  let busyMs = 0;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    if (!n || n.callFrame.functionName === "(idle)") return;
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    busyMs += dt;
    const at = `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
    self.set(at, (self.get(at) ?? 0) + dt);
  });
  return { busyMs, byFunction: [...self].sort((a, b) => b[1] - a[1]) };
}
