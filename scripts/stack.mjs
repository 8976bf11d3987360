// Starts the whole local system in workerd through wrangler: the sandbox Worker (Amazon and the
// couriers) and the edge Worker (with its Durable Objects, serving the built PWA).
// Used by `npm start` (fixed ports) and by the browser tests (their own ports and state).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root, spawnLogged } from "./lib.mjs";

const wrangler = join(root, "node_modules", ".bin", "wrangler");

function sandboxVars(sandboxPort) {
  const base = `http://127.0.0.1:${sandboxPort}`;
  return {
    LWA_TOKEN_URL: `${base}/auth/o2/token`,
    SELLER_CENTRAL_URL: `${base}/apps/authorize/consent`,
    SPAPI_BASE_URL: base,
    ROYAL_MAIL_BASE_URL: `${base}/royalmail/api/v1`,
    ROYAL_MAIL_PRO_BASE_URL: `${base}/royalmail-pro/shipping/v3`,
    AMAZON_SHIPPING_BASE_URL: base,
    DPD_BASE_URL: `${base}/dpd`,
    EVRI_BASE_URL: `${base}/evri`,
    // Sign-up codes: the sandbox's Postmark, which keeps each email for GET /_sandbox/mail.
    MAIL_API_URL: `${base}/postmark`,
    MAIL_API_TOKEN: "sandbox-postmark-server-token",
    MAIL_SANDBOX_INBOX_URL: `${base}/_sandbox/mail`,
    // ORDER_CHANGE through the sandbox's SQS queue, signed with the sandbox's AWS credentials
    // (in production: Amazon's queue, and AWS_* as Worker secrets).
    SQS_QUEUE_URL: `${base}/sqs/123456789012/consign-order-change`,
    SQS_QUEUE_ARN: "arn:aws:sqs:eu-west-1:123456789012:consign-order-change",
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "AKIACONSIGNSANDBOX01",
    AWS_SECRET_ACCESS_KEY: "consign-sandbox-aws-secret-access-key",
  };
}

/** Local secrets for the edge, made once per state folder (never committed). */
function devSecrets(stateDir) {
  const file = join(stateDir, "dev-secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  const secrets = {
    TOKEN_SECRET: randomBytes(32).toString("base64url"),
    CREDENTIALS_KEY: randomBytes(32).toString("base64"),
    // The sandbox's LWA client (see workers/sandbox/wrangler.jsonc); real ones come from Seller Central.
    SPAPI_CLIENT_ID: "amzn1.application-oa2-client.consignsandbox",
    SPAPI_CLIENT_SECRET: "sandbox-client-secret",
  };
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2));
  return secrets;
}

function startWrangler({ name, dir, port, inspectorPort, stateDir, vars, log }) {
  const args = [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    stateDir,
    "--show-interactive-dev-session=false",
    "--log-level",
    "warn",
  ];
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const child = spawnLogged(wrangler, args, { cwd: join(root, dir), env: { BROWSER: "none" } });
  const prefix = (line) => log(`[${name}] ${line}`);
  for (const stream of [child.stdout, child.stderr]) {
    let buf = "";
    stream.on("data", (chunk) => {
      buf += chunk.toString();
      const lines = buf.split("\n");
      buf = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) prefix(line);
    });
  }
  return child;
}

async function waitFor(url, timeoutMs, children) {
  const started = Date.now();
  let lastError = "";
  while (Date.now() - started < timeoutMs) {
    for (const c of children) {
      if (c.exitCode !== null)
        throw new Error(`a wrangler process exited with ${c.exitCode} before ${url} answered`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
      lastError = `HTTP ${res.status}`;
    } catch (e) {
      lastError = e.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${lastError})`);
}

/**
 * @param {{edgePort:number, sandboxPort:number, stateDir:string, log?:(l:string)=>void, seedDemo?:boolean, demoSeed?:object, demoFaults?:object, edgeVars?:Record<string,string>}} opts
 */
/** The host name a local stack delivers webhooks for to the sandbox's receiver (see startStack). */
export const LOCAL_RECEIVER_HOST = "receiver.consign.example";

export async function startStack(opts) {
  const { edgePort, sandboxPort, stateDir } = opts;
  const log = opts.log ?? (() => {});
  mkdirSync(stateDir, { recursive: true });
  const secrets = devSecrets(stateDir);
  const children = [];
  children.push(
    startWrangler({
      name: "sandbox",
      dir: "workers/sandbox",
      port: sandboxPort,
      inspectorPort: sandboxPort + 1000,
      stateDir: join(stateDir, "sandbox"),
      vars: { SANDBOX_PUBLIC_URL: `http://127.0.0.1:${sandboxPort}` },
      log,
    }),
  );
  const startEdge = () =>
    startWrangler({
      name: "edge",
      dir: "workers/edge",
      port: edgePort,
      inspectorPort: edgePort + 1000,
      stateDir: join(stateDir, "edge"),
      vars: {
        ...sandboxVars(sandboxPort),
        ...secrets,
        PUBLIC_URL: `http://127.0.0.1:${edgePort}`,
        SEED_DEMO: opts.seedDemo === false ? "false" : "true",
        // The local stack never asks the internet's DNS for a webhook's host. One name stands for an
        // integrator's public endpoint: a webhook registered as
        // https://receiver.consign.example/_sandbox/receiver/<inbox> passes the public-address check
        // and is delivered to the sandbox's stand-in receiver, where GET /_sandbox/receiver/<inbox>
        // shows what arrived (and PUT …/fail {times} makes it answer 500). Any other name resolves
        // to nothing here, so it is refused with a reason, not sent.
        WEBHOOK_DNS_STATIC: JSON.stringify({ [LOCAL_RECEIVER_HOST]: ["93.184.215.14"] }),
        WEBHOOK_DELIVER_VIA: JSON.stringify({ [LOCAL_RECEIVER_HOST]: `http://127.0.0.1:${sandboxPort}` }),
        ...(opts.edgeVars ?? {}),
      },
      log,
    });
  children.push(startEdge());
  const stop = () => {
    for (const c of children) {
      if (c.exitCode === null) {
        try {
          process.kill(-c.pid, "SIGTERM");
        } catch {}
      }
    }
  };
  try {
    await waitFor(`http://127.0.0.1:${sandboxPort}/health`, 60_000, children);
    // The queue Amazon sends ORDER_CHANGE to (in production it is made once in AWS).
    await fetch(`http://127.0.0.1:${sandboxPort}/_sandbox/sqs/queues/consign-order-change`, {
      method: "PUT",
    });
    await waitFor(`http://127.0.0.1:${edgePort}/health`, 60_000, children);
  } catch (e) {
    stop();
    throw e;
  }
  let demo = null;
  if (opts.seedDemo !== false && opts.demoSeed) {
    // A larger demo account than the embedded default (the browser journeys share one seller and
    // each takes ready orders): seeded in the sandbox before the demo seller connects to it.
    const res = await fetch(`http://127.0.0.1:${sandboxPort}/_sandbox/amazon/sellers/A1DEMOSELLERUK/seed`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(opts.demoSeed),
    });
    if (!res.ok) {
      stop();
      throw new Error(`seeding the demo Amazon account failed: HTTP ${res.status} ${await res.text()}`);
    }
  }
  if (opts.seedDemo !== false && opts.demoFaults) {
    // The sandbox's fault switches for the demo Amazon account before the demo seller connects
    // (e.g. `rateScale`, so a bench's import of thousands of orders takes seconds, not hours).
    // A PUT, so safe to send again: after seeding tens of thousands of orders workerd may restart the
    // sandbox's account mid-request (503, "Your worker restarted mid-request").
    let res;
    for (let attempt = 0; ; attempt++) {
      res = await fetch(`http://127.0.0.1:${sandboxPort}/_sandbox/amazon/sellers/A1DEMOSELLERUK/faults`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(opts.demoFaults),
      });
      if (res.status !== 503 || attempt === 4) break;
      await res.text();
      await new Promise((r) => setTimeout(r, 2000));
    }
    if (!res.ok) {
      stop();
      throw new Error(
        `setting the demo Amazon account's faults failed: HTTP ${res.status} ${await res.text()}`,
      );
    }
  }
  if (opts.seedDemo !== false) {
    const res = await fetch(`http://127.0.0.1:${edgePort}/_dev/seed-demo`, { method: "POST" });
    if (!res.ok) {
      stop();
      throw new Error(`seeding the demo seller failed: HTTP ${res.status} ${await res.text()}`);
    }
    demo = await res.json();
  }
  /**
   * Stops the edge Worker (every Durable Object with it, state kept on disk) and starts it again,
   * as a restart of the rooms: resolves once the new edge answers /health. The sandbox keeps running.
   * Returns when it was stopped and when it answered again (performance.now()).
   */
  const restartEdge = async () => {
    const old = children[1];
    const stoppedAt = performance.now();
    if (old.exitCode === null && old.signalCode === null) {
      const exited = new Promise((r) => old.once("exit", r));
      try {
        process.kill(-old.pid, "SIGTERM");
      } catch {}
      const kill = setTimeout(() => {
        try {
          process.kill(-old.pid, "SIGKILL");
        } catch {}
      }, 15_000);
      await exited;
      clearTimeout(kill);
    }
    // workerd may outlive wrangler for a moment: wait until the port is free.
    for (let i = 0; i < 60; i++) {
      const up = await fetch(`http://127.0.0.1:${edgePort}/health`).then(
        () => true,
        () => false,
      );
      if (!up) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const exitedAt = performance.now();
    children[1] = startEdge();
    await waitFor(`http://127.0.0.1:${edgePort}/health`, 60_000, children);
    return { stoppedAt, exitedAt, upAt: performance.now() };
  };
  return { children, stop, restartEdge, demo, url: `http://127.0.0.1:${edgePort}` };
}

/**
 * Signs a new seller up on a local stack, both steps, as a person would: POST /auth/signup, the
 * code from the sandbox's mailbox (the answer names it on a local stack), POST /auth/signup/verify.
 * Returns the session grant (sessionToken, memberships, deviceKey…). For tests, benches and the
 * simulation; throws with the edge's answer when a step fails.
 * @param {string} edgeUrl
 * @param {{sellerName:string, name:string, email:string, password:string, deviceName?:string}} body
 * @param {Record<string,string>} [headers]
 */
export async function signUpOnLocalStack(edgeUrl, body, headers = {}) {
  const json = { "Content-Type": "application/json", ...headers };
  const started = await fetch(`${edgeUrl}/auth/signup`, {
    method: "POST",
    headers: json,
    body: JSON.stringify(body),
  });
  const answer = await started.json().catch(() => null);
  if (started.status !== 202 || !answer?.sandboxMailbox)
    throw new Error(`sign-up: HTTP ${started.status} ${JSON.stringify(answer)}`);
  const mails = await (
    await fetch(`${answer.sandboxMailbox}?to=${encodeURIComponent(body.email.toLowerCase())}`)
  ).json();
  const code = mails
    .filter((m) => m.tag === "signup-code")
    .map((m) => /\b(\d{6})\b/.exec(m.subject)?.[1])
    .at(-1);
  if (!code) throw new Error(`sign-up: no code was emailed to ${body.email}`);
  const verified = await fetch(`${edgeUrl}/auth/signup/verify`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ email: body.email, code, deviceName: body.deviceName ?? "Browser" }),
  });
  const grant = await verified.json().catch(() => null);
  if (verified.status !== 201)
    throw new Error(`sign-up code: HTTP ${verified.status} ${JSON.stringify(grant)}`);
  return grant;
}
