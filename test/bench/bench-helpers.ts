// Shared by test/bench/room-load.bench.ts and test/bench/idb-open.bench.ts: open orders as an
// import makes them, signing a seller up on a running stack, and small statistics.
import type { Order } from "@consign/domain";
import { generateOrders } from "@consign/domain/testing";
import type { CDPSession } from "playwright-core";
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

/** One event of a Chromium trace (times in µs; `tdur` is the thread's CPU time over `dur`). */
export interface TraceEvent {
  pid: number;
  tid: number;
  ts: number;
  ph: string;
  cat: string;
  name: string;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * Starts a Chromium trace of what each thread runs (top-level tasks with their CPU time, rendering, user
 * timing). The trace is kept in the browser until endTrace reads it: nothing streams to this process (and
 * takes a core from the page) while it records.
 */
export async function startTrace(cdp: CDPSession): Promise<void> {
  await cdp.send("Tracing.start", {
    transferMode: "ReturnAsStream",
    traceConfig: {
      includedCategories: [
        "toplevel",
        "devtools.timeline",
        "disabled-by-default-devtools.timeline",
        "blink.user_timing",
        "v8",
        "__metadata",
      ],
      enableSampling: false,
    },
  });
}

/** Ends the trace begun by startTrace and returns its events. */
export async function endTrace(cdp: CDPSession): Promise<TraceEvent[]> {
  const stream = new Promise<string>((resolve) =>
    cdp.on("Tracing.tracingComplete", (p) => resolve(p.stream ?? "")),
  );
  await cdp.send("Tracing.end");
  const handle = await stream;
  let text = "";
  for (;;) {
    const chunk = await cdp.send("IO.read", { handle, size: 1 << 20 });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, "base64").toString("utf8") : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send("IO.close", { handle });
  const parsed = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
}

export interface KeystrokeCpu {
  index: number;
  /** The keystroke's main-thread work as the page timed it (ms). */
  wall: number;
  /** How long the page's main thread was busy with tasks over that span (ms): the wall time less its idle gaps. */
  busy: number;
  /** The CPU time the page's main thread got over that span (ms): its busy time less any time it was descheduled. */
  cpu: number;
  /** Wall time by timeline event on the main thread (ms; nested events each counted). */
  byPart: Map<string, number>;
  /** Where the main thread's wall time went (the heaviest timeline events). */
  parts: string;
  /** Other Chromium threads' CPU time over the same span (the heaviest). */
  others: string;
}

/**
 * Per keystroke (spans the page marked with `performance.measure("keystroke N")`), the page main thread's
 * wall time and CPU time, and what ran meanwhile.
 */
export function keystrokeCpu(events: TraceEvent[]): KeystrokeCpu[] {
  const threadName = new Map<string, string>();
  for (const e of events)
    if (e.ph === "M" && e.name === "thread_name") threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? "?");
  const spans = new Map<number, { pid: number; start?: number; end?: number }>();
  for (const e of events) {
    const m = /^keystroke (\d+)$/.exec(e.name);
    if (!m || !e.cat.includes("blink.user_timing")) continue;
    const s = spans.get(Number(m[1])) ?? { pid: e.pid };
    if (e.ph === "b") s.start = e.ts;
    else if (e.ph === "e") s.end = e.ts;
    else if (e.ph === "X") {
      s.start = e.ts;
      s.end = e.ts + (e.dur ?? 0);
    }
    spans.set(Number(m[1]), s);
  }
  const mainOf = (pid: number) =>
    [...threadName].find(([k, v]) => v === "CrRendererMain" && k.startsWith(`${pid}:`))?.[0];
  const tasks = events
    .filter((e) => e.ph === "X" && e.cat.includes("toplevel") && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts);
  const timeline = events.filter(
    (e) => e.ph === "X" && e.cat.includes("devtools.timeline") && !e.cat.includes("toplevel") && e.dur,
  );
  const overlap = (e: TraceEvent, a: number, b: number) =>
    Math.max(0, Math.min(b, e.ts + (e.dur ?? 0)) - Math.max(a, e.ts));
  /** CPU time (and wall time busy) by thread over [a, b], nested top-level tasks counted once. */
  const cpuByThread = (a: number, b: number, busy?: Map<string, number>) => {
    const out = new Map<string, number>();
    const reach = new Map<string, number>();
    for (const e of tasks) {
      if (e.ts > b) break;
      const k = `${e.pid}:${e.tid}`;
      const o = overlap(e, a, b);
      if (o <= 0 || e.ts < (reach.get(k) ?? -1)) continue;
      reach.set(k, e.ts + (e.dur ?? 0));
      busy?.set(k, (busy.get(k) ?? 0) + o);
      out.set(k, (out.get(k) ?? 0) + ((e.tdur ?? e.dur ?? 0) * o) / Math.max(1, e.dur ?? 1));
    }
    return out;
  };
  const ms = (us: number) => (us / 1000).toFixed(1);
  const out: KeystrokeCpu[] = [];
  for (const [index, s] of [...spans].sort((x, y) => x[0] - y[0])) {
    if (s.start === undefined || s.end === undefined) continue;
    const main = mainOf(s.pid);
    const busy = new Map<string, number>();
    const cpu = cpuByThread(s.start, s.end, busy);
    const parts = new Map<string, number>();
    for (const e of timeline)
      if (`${e.pid}:${e.tid}` === main) {
        const o = overlap(e, s.start, s.end);
        if (o > 0) parts.set(e.name, (parts.get(e.name) ?? 0) + o);
      }
    out.push({
      index,
      wall: (s.end - s.start) / 1000,
      busy: (main ? (busy.get(main) ?? 0) : 0) / 1000,
      cpu: (main ? (cpu.get(main) ?? 0) : 0) / 1000,
      byPart: new Map([...parts].map(([n, t]) => [n, t / 1000])),
      parts: [...parts]
        .sort((x, y) => y[1] - x[1])
        .slice(0, 6)
        .map(([n, t]) => `${n} ${ms(t)}`)
        .join(", "),
      others: [...cpu]
        .filter(([k]) => k !== main)
        .sort((x, y) => y[1] - x[1])
        .slice(0, 4)
        .map(
          ([k, t]) =>
            `${threadName.get(k) ?? k}${k.startsWith(`${s.pid}:`) ? "" : " (another process)"} ${ms(t)}`,
        )
        .join(", "),
    });
  }
  return out;
}

/** A sampled allocation profile as Chromium's DevTools protocol returns it (HeapProfiler.stopSampling). */
export interface AllocationProfile {
  head: AllocationNode;
}
interface AllocationNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: AllocationNode[];
}

/**
 * Samples what the page allocates while `during` runs (every `samplingInterval` bytes); with `collected`, the
 * objects the garbage collector took meanwhile count too (what feeds it), else only what is still held.
 */
export async function sampleAllocations(
  cdp: CDPSession,
  options: { samplingInterval: number; collected: boolean },
  during: () => Promise<void>,
): Promise<AllocationProfile> {
  await cdp.send("HeapProfiler.enable");
  await cdp.send("HeapProfiler.startSampling", {
    samplingInterval: options.samplingInterval,
    includeObjectsCollectedByMajorGC: options.collected,
    includeObjectsCollectedByMinorGC: options.collected,
  });
  await during();
  return ((await cdp.send("HeapProfiler.stopSampling")) as { profile: AllocationProfile }).profile;
}

/** Bytes allocated by function (self) over a sampled allocation profile, heaviest first. */
export function allocations(profile: AllocationProfile): {
  totalBytes: number;
  byFunction: [string, number][];
} {
  const self = new Map<string, number>();
  let totalBytes = 0;
  const walk = (n: AllocationNode) => {
    if (n.selfSize > 0) {
      const f = n.callFrame;
      const at = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
      self.set(at, (self.get(at) ?? 0) + n.selfSize);
      totalBytes += n.selfSize;
    }
    for (const c of n.children) walk(c);
  };
  walk(profile.head);
  return { totalBytes, byFunction: [...self].sort((a, b) => b[1] - a[1]) };
}
