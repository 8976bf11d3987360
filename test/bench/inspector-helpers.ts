// The edge Worker's isolate seen through wrangler dev's inspector port (Chrome DevTools protocol):
// its V8 heap after a full GC, and a CPU profile of whatever runs while a callback waits, summed
// by function name. workerd runs the Worker's Durable Objects in the same isolate.
import WebSocket from "ws";

export interface Inspector {
  /** Used V8 heap after a full garbage collection (forced by a heap snapshot). */
  heapAfterGc(): Promise<number>;
  /** Used V8 heap now, no GC forced (garbage included). */
  heapUsed(): Promise<number>;
  /**
   * Samples the isolate while `during` runs; returns inclusive milliseconds per function name, the
   * later names counted only inside the first.
   */
  profile(during: () => Promise<unknown>, names: readonly string[]): Promise<ProfileSummary>;
  close(): void;
}

export interface ProfileSummary {
  /** Sampled time that was not idle (program, GC and JavaScript). */
  busyMs: number;
  /**
   * Inclusive time under the outermost frame of each name (a recursive name counts once); names
   * after the first only within the first; "a/b" is the outermost b inside an a.
   */
  byName: Map<string, number>;
  /** Time in garbage collection. */
  gcMs: number;
  /** The functions with the most self time within the first name, most first. */
  hottest: { name: string; ms: number }[];
  /** Samples taken, and the time they span. */
  samples: number;
  spanMs: number;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export async function connectInspector(port: number): Promise<Inspector> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as {
    webSocketDebuggerUrl?: string;
  }[];
  const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector target on port ${port}`);
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  let next = 1;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on("message", (data) => {
    const text = String(data);
    if (text.includes("HeapProfiler.addHeapSnapshotChunk")) return;
    const msg = JSON.parse(text) as { id?: number; result?: unknown; error?: { message: string } };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.error ? new Error(msg.error.message) : msg.result);
  });
  const send = (method: string, params: Record<string, unknown> = {}) => {
    const id = next++;
    ws.send(JSON.stringify({ id, method, params }));
    return id;
  };
  const call = (method: string, params: Record<string, unknown> = {}, timeoutMs = 120_000) =>
    new Promise<unknown>((resolve, reject) => {
      const id = send(method, params);
      const timer = setTimeout(() => reject(new Error(`${method} did not answer`)), timeoutMs);
      pending.set(id, (r) => {
        clearTimeout(timer);
        if (r instanceof Error) reject(r);
        else resolve(r);
      });
    });

  return {
    async heapAfterGc() {
      // workerd does not answer HeapProfiler.collectGarbage here; a heap snapshot starts with a full
      // GC, and the inspector answers in order, so the heap usage asked for next comes after it.
      send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
      const usage = (await call("Runtime.getHeapUsage")) as { usedSize: number };
      return usage.usedSize;
    },
    async heapUsed() {
      const usage = (await call("Runtime.getHeapUsage", {}, 20_000)) as { usedSize: number };
      return usage.usedSize;
    },
    async profile(during, names) {
      await call("Profiler.enable", {}, 20_000);
      await call("Profiler.setSamplingInterval", { interval: 1000 }, 20_000);
      await call("Profiler.start", {}, 20_000);
      let failure: unknown = null;
      await during().catch((e: unknown) => {
        failure = e;
      });
      const { profile } = (await call("Profiler.stop")) as { profile: Profile };
      if (failure !== null) throw failure;
      return summarise(profile, names);
    },
    close() {
      ws.close();
    },
  };
}

function summarise(profile: Profile, names: readonly string[]): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const inclusive = new Map<number, number>();
  const total = (id: number): number => {
    const known = inclusive.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const sum = (self.get(id) ?? 0) + (node?.children ?? []).reduce((n, c) => n + total(c), 0);
    inclusive.set(id, sum);
    return sum;
  };
  const byName = new Map<string, number>(names.map((n) => [n, 0]));
  let busyMs = 0;
  let gcMs = 0;
  const selfByName = new Map<string, number>();
  // Walk from the root; count a wanted name at its outermost frame only.
  const scope = names[0] ?? "";
  // `stack`: names of the frames above; `counted`: keys already counted on this path. A key "b"
  // counts the outermost frame named b; "a/b" the outermost b strictly inside an a.
  const walk = (id: number, stack: readonly string[], counted: ReadonlySet<string>) => {
    const node = byId.get(id);
    if (!node) return;
    const name = node.callFrame.functionName;
    if (name === "(garbage collector)") gcMs += self.get(id) ?? 0;
    if (name !== "(idle)" && name !== "(root)") busyMs += self.get(id) ?? 0;
    const inScope = stack.includes(scope);
    if (inScope) {
      const key = name || "(anonymous)";
      selfByName.set(key, (selfByName.get(key) ?? 0) + (self.get(id) ?? 0));
    }
    let here = counted;
    for (const key of names) {
      if (here.has(key)) continue;
      const [outer, inner] = key.includes("/") ? key.split("/") : [undefined, key];
      if (inner !== name) continue;
      if (key !== scope && !inScope) continue;
      if (outer !== undefined && !stack.includes(outer)) continue;
      byName.set(key, (byName.get(key) ?? 0) + total(id));
      here = new Set(here).add(key);
    }
    for (const c of node.children ?? []) walk(c, [...stack, name], here);
  };
  const root = profile.nodes[0];
  if (root) walk(root.id, [], new Set());
  const spanMs = profile.timeDeltas.reduce((n, d) => n + d, 0) / 1000;
  const hottest = [...selfByName]
    .map(([name, ms]) => ({ name, ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 12);
  return { busyMs, byName, gcMs, hottest, samples: profile.samples.length, spanMs };
}
