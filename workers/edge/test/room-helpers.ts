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
