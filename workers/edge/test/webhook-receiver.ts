// A webhook receiver for tests: verifies Standard Webhooks signatures without our signing code,
// answers 500 a given number of times, and records what it got.
import { staticResolver } from "../src/api/webhooks/target.ts";

/** Checks a Standard Webhooks signature without our signing code. */
export async function verify(secret: string, headers: Headers, body: string): Promise<boolean> {
  const raw = Uint8Array.from(atob(secret.slice("whsec_".length)), (ch) => ch.charCodeAt(0));
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const content = `${headers.get("webhook-id")}.${headers.get("webhook-timestamp")}.${body}`;
  for (const sig of (headers.get("webhook-signature") ?? "").split(" ")) {
    const [version, b64] = sig.split(",");
    if (version !== "v1" || !b64) continue;
    const mac = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    if (await crypto.subtle.verify("HMAC", key, mac, new TextEncoder().encode(content))) return true;
  }
  return false;
}

export interface Received {
  url: string;
  headers: Headers;
  body: string;
  verified: boolean;
}

/** A receiver that answers 500 the first `failures` times, then 200, recording what it got. */
export function receiver(secret: () => string, failures: number) {
  const got: Received[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    const headers = new Headers(init.headers);
    const body = String(init.body);
    got.push({ url, headers, body, verified: await verify(secret(), headers, body) });
    return new Response(got.length <= failures ? "boom" : "ok", {
      status: got.length <= failures ? 500 : 200,
    });
  };
  return { got, fetch };
}

/** The tests' DNS: each receiver's name resolves to a public address. */
export const resolve = staticResolver(
  Object.fromEntries(
    ["receiver.example", "r.example", "down.example", "x.example"].map((h) => [h, ["93.184.215.14"]]),
  ),
);

/** A test CREDENTIALS_KEY: 32 bytes in base64. */
export const KEY = btoa(String.fromCharCode(...new Uint8Array(32).map((_, i) => i * 7 + 1)));
