// Shared steps for tests that drive the real SellerRoom: connect Amazon by the consent flow and
// run the room's alarms until some condition holds.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { control, uniqueSeller } from "./amazon-helpers.ts";
import { call, json, signUp } from "./helpers.ts";

/** Fires the room's alarm whenever one is due (work in flight keeps running between polls). */
export async function drainAlarms(sellerId: string, until: () => Promise<boolean>, timeoutMs = 30_000) {
  const stub = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(sellerId));
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await until()) return;
    await runDurableObjectAlarm(stub);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the room's alarms did not finish the work in time");
}

/**
 * The owner's consent journey against the sandbox: sent to Seller Central, consents for `partner`,
 * comes back to our callback. Returns where the callback sends the browser next.
 */
export async function connectAmazon(token: string, partner: string): Promise<string | null> {
  const { url } = await json<{ url: string }>(
    await call("/api/v1/amazon/connect", { token, method: "POST" }),
  );
  const consent = new URL(url);
  consent.searchParams.set("auto", "1");
  consent.searchParams.set("sandbox_seller", partner);
  const toCallback = await fetch(consent, { redirect: "manual" });
  const callback = new URL(toCallback.headers.get("location")!);
  const back = await exports.default.fetch(`http://edge.test${callback.pathname}${callback.search}`, {
    redirect: "manual",
  });
  return back.headers.get("location");
}

/** A new seller whose owner has connected a freshly seeded sandbox Amazon account and imported. */
export async function connectedSeller(
  tag: string,
  seed: { orders: number; unshipped: number; historyDays: number },
) {
  const owner = await signUp(tag);
  const token = owner.accessToken;
  const partner = uniqueSeller("A1ROOM");
  await control(`${partner}/seed`, { ...seed, seed: tag });
  if ((await connectAmazon(token, partner)) !== "/settings?amazon=connected")
    throw new Error("connecting Amazon failed");
  await drainAlarms(owner.sellerId, async () => {
    const status = await json<{ import: { historyComplete: boolean } | null }>(
      await call("/api/v1/amazon/status", { token }),
    );
    return status.import?.historyComplete === true;
  });
  return { owner, token, partner };
}

/** A mutating /api/v1 call as an integrator makes it: a fresh Idempotency-Key each time. */
export const writeApi = (token: string, path: string, body?: unknown, method = "POST") =>
  call(path, {
    token,
    method,
    ...(body !== undefined ? { body } : {}),
    headers: { "Idempotency-Key": crypto.randomUUID() },
  });

/** The dispatch address the label tests use (a Leeds unit, valid for every courier). */
export const TEST_SENDER = {
  name: "Despatch",
  companyName: "Acme Ltd",
  line1: "1 Mill Lane",
  city: "Leeds",
  postcode: "LS1 1AA",
};

/**
 * Makes a seller's orders ready to buy through the API, as an owner would: the dispatch address,
 * 300 g for each of `skus`, one rule sending everything by Royal Mail (Tracked 24 unless
 * `serviceCode` says otherwise), and a Royal Mail account under `royalMailKey`. Each step must be
 * accepted: a refused one fails the test here, with the edge's answer, not later as "no labels".
 */
export async function makeLabelReady(
  token: string,
  skus: readonly string[],
  royalMailKey: string,
  { serviceCode = "TPN24", sender = TEST_SENDER }: { serviceCode?: string; sender?: typeof TEST_SENDER } = {},
) {
  const steps: [string, unknown, string][] = [
    ["/api/v1/settings", { sender, skuWeights: Object.fromEntries(skus.map((s) => [s, 300])) }, "PATCH"],
    [
      "/api/v1/rules",
      { rules: [{ id: "all", when: {}, use: { courier: "royal-mail", serviceCode } }] },
      "PUT",
    ],
    ["/api/v1/couriers/royal-mail", { apiKey: royalMailKey }, "PUT"],
  ];
  for (const [path, body, method] of steps) {
    const res = await writeApi(token, path, body, method);
    if (res.status !== 200) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  }
}

/** The SKUs of a seller's new orders (the first `limit`), each once. */
export async function skusOfNewOrders(token: string, limit = 100): Promise<string[]> {
  const page = await json<{ orders: { items: { sku: string }[] }[] }>(
    await call(`/api/v1/orders?state=new&limit=${limit}`, { token }),
  );
  return [...new Set(page.orders.flatMap((o) => o.items.map((i) => i.sku)))];
}

/**
 * Buys the order's label through a label run (the room's alarms pumped until it has finished) and
 * dispatches it, as a packer's day would: the order is then sent, its label its original parcel.
 * Fails the test with the edge's answer when a step is refused or the run does not buy the label.
 */
export async function buyAndDispatch(token: string, sellerId: string, orderId: string): Promise<void> {
  const started = await writeApi(token, "/api/v1/labels/runs", { orderIds: [orderId] });
  if (started.status !== 202)
    throw new Error(`the label run was refused: ${started.status} ${await started.text()}`);
  const { runId } = await json<{ runId: string }>(started);
  let run: { state?: string } = {};
  await drainAlarms(sellerId, async () => {
    run = await json<{ state?: string }>(await call(`/api/v1/labels/runs/${runId}`, { token }));
    return run.state === "finished";
  });
  const dispatched = await writeApi(token, "/api/v1/dispatch", { orderIds: [orderId] });
  const answer = await dispatched.text();
  if (dispatched.status >= 300 || !(JSON.parse(answer) as { queued?: string[] }).queued?.includes(orderId))
    throw new Error(
      `${orderId} was not dispatched (${dispatched.status} ${answer}); the run said ${JSON.stringify(run)}`,
    );
}

/**
 * Starts a label run; orders whose buyer asked to cancel meanwhile (the sandbox's requests arrive
 * as the day goes on) are left out and the run started again with the rest.
 */
export async function startRun(
  token: string,
  orderIds: string[],
): Promise<{ runId: string; orderIds: string[] }> {
  let ids = orderIds;
  for (let attempt = 0; attempt < 5; attempt++) {
    const started = await call("/api/v1/labels/runs", {
      token,
      body: { orderIds: ids },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    if (started.status === 202)
      return { runId: (await json<{ runId: string }>(started)).runId, orderIds: ids };
    const body = await json<{ error: { fields: { path: string; message: string }[] } }>(started);
    const refused = new Set(
      body.error.fields
        .filter((f) => /asked to cancel/.test(f.message))
        .map((f) => Number(f.path.split(".")[1])),
    );
    if (refused.size === 0) throw new Error(`the label run did not start: ${JSON.stringify(body)}`);
    ids = ids.filter((_, i) => !refused.has(i));
  }
  throw new Error("buyers kept asking to cancel: no label run started");
}
