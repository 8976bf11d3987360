// Issue 17's figure: the API's p90 with 20 failing sign-ins a second ≤ 1.5× its quiet p90, in one
// run, against the whole stack (wrangler dev, workerd). A seller with a read API key asks
// GET /api/v1/metrics over and over in three conditions: quiet; while 20 GET /health a second
// arrive (light requests that ping one Durable Object: what any 20 requests a second cost this
// machine, whose load this same process makes through wrangler dev's proxy); and while 20 sign-ins
// a second with wrong passwords arrive, each from a new address at a new email, so no per-account or
// per-address wait catches them (each one hashed costs the Directory a PBKDF2 hash of 100,000
// rounds; past the Directory's budget for wrong guesses, src/directory/hash-budget.ts, they are
// answered 429 without hashing; the line printed counts both). The conditions take turns in
// windows of 20 pairs of requests, so the other load on a shared machine falls on all three alike.
// API keys are verified by the edge itself (signed). The baseline in the same run is the old path:
// a call that must go through the Directory (GET /auth/me with a device's session), as every
// API-key check did before. Requests are paced at 4 a second (an API key may make 5 a second).
// Run: node_modules/.bin/tsx workers/edge/bench/signin-load.bench.ts [requests of each kind=300]
import { rmSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
// @ts-expect-error plain ESM script shared with `npm start`
import { signUpOnLocalStack, startStack } from "../../../scripts/stack.mjs";

const REQUESTS = Number(process.argv[2] ?? 300);
const EDGE = 23040;
const stateDir = join(import.meta.dirname, "..", "..", "..", "test-output", "bench-signin-load-state");
rmSync(stateDir, { recursive: true, force: true });

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)]!;

const stack = await startStack({ edgePort: EDGE, sandboxPort: EDGE + 1, stateDir, seedDemo: false });
try {
  const base = stack.url as string;
  const post = async <T>(path: string, body: unknown, token?: string): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`POST ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const grant: { sessionToken: string; memberships: { sellerId: string }[] } = await signUpOnLocalStack(
    stack.url,
    {
      sellerName: "Bench Ltd",
      name: "Bench",
      email: `bench-${Date.now()}@example.co.uk`,
      password: "benchmark password",
      deviceName: "bench",
    },
  );
  const sellerId = grant.memberships[0]!.sellerId;
  const { accessToken } = await post<{ accessToken: string }>(
    "/auth/token",
    { sellerId },
    grant.sessionToken,
  );
  const { key } = await post<{ key: string }>(
    "/api/v1/team/api-keys",
    { name: "bench", scope: "read" },
    accessToken,
  );

  const timed = async (path: string, token: string) => {
    const t = performance.now();
    const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
    return performance.now() - t;
  };
  /** Alternates the API call and the Directory call, `count` of each, into `into`. */
  const measure = async (count: number, into: { api: number[]; directory: number[] }) => {
    for (let i = 0; i < count; i++) {
      const next = performance.now() + 220; // under the key's 5 a second
      into.api.push(await timed("/api/v1/metrics", key));
      into.directory.push(await timed("/auth/me", grant.sessionToken));
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
  };
  for (let i = 0; i < 5; i++) await timed("/api/v1/metrics", key); // warm-up
  await new Promise((r) => setTimeout(r, 12_000)); // the key's bucket refills

  let dropped = 0;
  let sentWhileMeasuring = { light: 0, signIns: 0 };
  let measuringMs = { light: 0, signIns: 0 };
  /** Runs `send` 20 times a second (two every 100 ms), 1 s to settle in, then measures `count`. */
  const under = async (
    kind: "light" | "signIns",
    send: (n: number) => Promise<Response>,
    count: number,
    into: { api: number[]; directory: number[] },
  ) => {
    let inFlight = 0;
    let sent = 0;
    const flood = setInterval(() => {
      for (let i = 0; i < 2; i++) {
        sent++;
        inFlight++;
        void send(sent)
          .then((r) => r.arrayBuffer())
          .catch(() => {
            dropped++;
          })
          .finally(() => inFlight--);
      }
    }, 100);
    await new Promise((r) => setTimeout(r, 1_000));
    const startedAt = Date.now();
    const sentBefore = sent;
    await measure(count, into);
    sentWhileMeasuring = { ...sentWhileMeasuring, [kind]: sentWhileMeasuring[kind] + sent - sentBefore };
    measuringMs = { ...measuringMs, [kind]: measuringMs[kind] + Date.now() - startedAt };
    clearInterval(flood);
    while (inFlight > 0) await new Promise((r) => setTimeout(r, 100));
  };

  // The three conditions take turns in short windows (WINDOW pairs of requests each), so the other
  // load on a shared machine falls on all three alike rather than on whichever ran in a busy minute.
  const WINDOW = 20;
  const quiet = { api: [] as number[], directory: [] as number[] };
  const light = { api: [] as number[], directory: [] as number[] };
  const loaded = { api: [] as number[], directory: [] as number[] };
  let refused = 0;
  let hashed = 0;
  let signIn = 0;
  for (let done = 0; done < REQUESTS; done += WINDOW) {
    const count = Math.min(WINDOW, REQUESTS - done);
    await measure(count, quiet);
    // For comparison: 20 light requests a second (GET /health pings one Durable Object), to tell
    // what any 20 requests a second cost this machine from what the sign-ins add.
    await under("light", () => fetch(`${base}/health`), count, light);
    // 20 failing sign-ins a second, each from another address and email (no per-account or
    // per-address wait short-cuts them).
    await under(
      "signIns",
      () => {
        signIn++;
        const n = signIn;
        return fetch(`${base}/auth/signin`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "CF-Connecting-IP": `198.18.${(n >> 8) & 255}.${n & 255}`,
          },
          body: JSON.stringify({
            email: `nobody-${n}@example.co.uk`,
            password: "wrong password",
            deviceName: "x",
          }),
        }).then((r) => {
          if (r.status === 401 || r.status === 429) refused++;
          if (r.status === 401) hashed++;
          return r;
        });
      },
      count,
      loaded,
    );
  }
  const rate = sentWhileMeasuring.signIns / (measuringMs.signIns / 1000);
  const lightRate = sentWhileMeasuring.light / (measuringMs.light / 1000);

  console.log(
    `machine: ${cpus().length} x ${cpus()[0]?.model}, node ${process.version}, load average ${loadavg()[0]?.toFixed(2)}; wrangler dev`,
  );
  const line = (what: string, q: number[], f: number[], l: number[]) =>
    console.log(
      `  ${what}: quiet p50 ${pct(q, 0.5).toFixed(1)} ms, p90 ${pct(q, 0.9).toFixed(1)} ms; with 20 GET /health a second p50 ${pct(f, 0.5).toFixed(1)} ms, p90 ${pct(f, 0.9).toFixed(1)} ms (${(pct(f, 0.9) / pct(q, 0.9)).toFixed(2)}x); with failing sign-ins p50 ${pct(l, 0.5).toFixed(1)} ms, p90 ${pct(l, 0.9).toFixed(1)} ms (${(pct(l, 0.9) / pct(q, 0.9)).toFixed(2)}x)`,
    );
  console.log(
    `  failing sign-ins sent while measuring: ${rate.toFixed(1)} a second (${refused} answered 401/429 in all, ${hashed} of them 401 after a hash, ${dropped} connections dropped by wrangler dev), ${REQUESTS} requests of each kind`,
  );
  console.log(`  GET /health sent while measuring the comparison: ${lightRate.toFixed(1)} a second`);
  line("GET /api/v1/metrics with a signed API key (ours)", quiet.api, light.api, loaded.api);
  line(
    "GET /auth/me through the Directory (the old API-key path)",
    quiet.directory,
    light.directory,
    loaded.directory,
  );
} finally {
  stack.stop();
}
