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
