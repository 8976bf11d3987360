// Amazon-shaped answers: `{errors:[{code,message,details}]}` bodies and the headers every SP-API
// response carries (x-amzn-RequestId, x-amzn-RateLimit-Limit).

export function requestId(): string {
  return crypto.randomUUID();
}

export function spHeaders(rateLimit?: string, extra: Record<string, string> = {}): Headers {
  const h = new Headers({ "content-type": "application/json", "x-amzn-RequestId": requestId(), ...extra });
  if (rateLimit !== undefined) h.set("x-amzn-RateLimit-Limit", rateLimit);
  return h;
}

export function amazonErrors(
  status: number,
  code: string,
  message: string,
  details = "",
  rateLimit?: string,
  extra: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ errors: [{ code, message, details }] }), {
    status,
    headers: spHeaders(rateLimit, extra),
  });
}

export function amazonJson(body: unknown, rateLimit: string, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: spHeaders(rateLimit) });
}

export function noContent(rateLimit: string): Response {
  const h = spHeaders(rateLimit);
  h.delete("content-type");
  return new Response(null, { status: 204, headers: h });
}

export const invalidInput = (message: string, rateLimit: string, details = "") =>
  amazonErrors(400, "InvalidInput", message, details, rateLimit);

export const unauthorized = (details: string, rateLimit?: string) =>
  amazonErrors(403, "Unauthorized", "Access to requested resource is denied.", details, rateLimit);

/** Login with Amazon's error shape. */
export function lwaError(status: number, error: string, description: string): Response {
  return new Response(JSON.stringify({ error, error_description: description }), {
    status,
    headers: { "content-type": "application/json;charset=UTF-8", "x-amzn-RequestId": requestId() },
  });
}

export const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Amazon's 429 when a usage plan's bucket is empty (or a throttle fault is switched on). */
export function quotaExceeded(rateLimit: string): Response {
  return amazonErrors(
    429,
    "QuotaExceeded",
    "You exceeded your quota for the requested resource.",
    "",
    rateLimit,
  );
}

/** Set by a Durable Object on an answer the front Worker must turn into a dropped connection. */
export const DROP_HEADER = "x-sandbox-drop-connection";

/**
 * Asks the front Worker to drop the connection. A Durable Object cannot drop it itself: a stream that
 * fails inside it is an uncaught exception there, which undoes the writes of the very call whose
 * answer is meant to be lost.
 */
export function dropMarker(): Response {
  return new Response(null, { status: 599, headers: { [DROP_HEADER]: "1" } });
}

/**
 * A connection that drops mid-answer: the first bytes of a body promised longer go out, then the
 * stream fails. A caller inside workerd (a service binding, the tests' SELF) sees its read of the
 * body fail. Miniflare's own entry Worker, in front of every local HTTP port, turns such a failure
 * into a clean end, so the answer also carries DROP_HEADER: the local stack's socket front
 * (scripts/, test/sandbox.ts) destroys the TCP connection when it sees it, as a real network does.
 * Only the front Worker sends it (see dropMarker).
 */
export function droppedConnection(): Response {
  const { readable, writable } = new FixedLengthStream(4096);
  const writer = writable.getWriter();
  void (async () => {
    await writer.write(new TextEncoder().encode('{"payload": {"'));
    await scheduler.wait(20);
    await writer.abort(new Error("connection reset by the sandbox (lost-connection fault switch)"));
  })().catch(() => {});
  return new Response(readable, {
    status: 200,
    headers: { "content-type": "application/json", "x-amzn-RequestId": requestId(), [DROP_HEADER]: "1" },
  });
}
