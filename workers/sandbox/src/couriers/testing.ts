// Helpers for the courier sandbox tests (not mounted by the Worker).
import { exports } from "cloudflare:workers";

/** One call to the sandbox Worker, answered as it comes (a 429 included). */
export const callOnce = (path: string, init?: RequestInit) =>
  (
    exports as unknown as { default: { fetch: (u: string, i?: RequestInit) => Promise<Response> } }
  ).default.fetch(`http://127.0.0.1:8788${path}`, init);

/**
 * A call as a well-behaved client makes it: a 429 (Click & Drop allows 5 calls a second per key) is
 * waited out for its Retry-After and sent again, so tests of other behaviour run at the real limit.
 */
export async function call(path: string, init?: RequestInit): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await callOnce(path, init);
    if (res.status !== 429 || attempt >= 10) return res;
    await res.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, Number(res.headers.get("Retry-After") ?? "1") * 1000));
  }
}

export const jsonInit = (
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json", ...headers },
  body: JSON.stringify(body),
});

export async function purchases(courier: string, account: string): Promise<number> {
  const res = await call(`/_sandbox/couriers/${courier}/accounts/${encodeURIComponent(account)}/purchases`);
  return ((await res.json()) as { purchases: number }).purchases;
}

export async function setFaults(courier: string, account: string, faults: Record<string, unknown>) {
  const res = await call(
    `/_sandbox/couriers/${courier}/accounts/${encodeURIComponent(account)}/faults`,
    jsonInit("PUT", faults),
  );
  if (!res.ok) throw new Error(`faults refused: ${res.status}`);
}

/** Independent S10 check: weights 8,6,4,2,3,5,9,7; 11 − (sum mod 11); 10 → 0, 11 → 5. */
export function validS10(n: string): boolean {
  const m = /^[A-Z]{2}(\d{8})(\d)GB$/.exec(n);
  if (!m?.[1]) return false;
  const w = [8, 6, 4, 2, 3, 5, 9, 7];
  const sum = [...m[1]].reduce((s, d, i) => s + Number(d) * (w[i] ?? 0), 0);
  const c = 11 - (sum % 11);
  return (c === 10 ? 0 : c === 11 ? 5 : c) === Number(m[2]);
}

export const isPdf = (b: Uint8Array) => new TextDecoder().decode(b.subarray(0, 5)) === "%PDF-";
export const pdfText = (b: Uint8Array) => new TextDecoder().decode(b);
export const fromBase64 = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));
