// Login with Amazon: exchanges the seller's refresh token (or a fresh authorization code) for a
// short-lived access token. Access tokens are cached and refreshed a minute before they expire.
// Every exchange has the SP-API calls' timeout, and a timeout, a dropped connection, a 429 or a 5xx
// is retried with exponential backoff and jitter (the grant can be sent again safely).

import { credentialsRefused, malformed, SpApiError } from "./errors.ts";
import { LwaErrorSchema, LwaTokenResponseSchema } from "./schemas.ts";

export type FetchFn = (input: string | Request, init?: RequestInit) => Promise<Response>;

export interface LwaOptions {
  fetch: FetchFn;
  lwaTokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Abandon an exchange that takes longer than this. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  retry?: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
}

const LWA_RETRY = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 10_000 };

/** One exchange, retried while Login with Amazon is unreachable, slow, busy or failing. */
async function requestToken(opts: LwaOptions, form: Record<string, string>): Promise<LwaTokens> {
  const retry = opts.retry ?? LWA_RETRY;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = opts.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await requestTokenOnce(opts, form);
    } catch (err) {
      const again =
        err instanceof SpApiError &&
        (err.code === "upstream_unavailable" || err.code === "rate_limited") &&
        attempt < retry.maxAttempts;
      if (!again) throw err;
      const exp = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
      const retryAfter = (err.retryAfterSeconds ?? 0) * 1000;
      await sleep(Math.max(retryAfter, Math.round(exp / 2 + random() * (exp / 2))));
    }
  }
}

export interface LwaTokens {
  accessToken: string;
  expiresIn: number;
  refreshToken?: string;
}

/** Refresh a minute early, so a token never expires on its way to Amazon. */
const EARLY_REFRESH_MS = 60_000;

async function requestTokenOnce(opts: LwaOptions, form: Record<string, string>): Promise<LwaTokens> {
  const body = new URLSearchParams({ ...form, client_id: opts.clientId, client_secret: opts.clientSecret });
  let res: Response;
  let text: string;
  let requestId: string | undefined;
  try {
    res = await opts.fetch(opts.lwaTokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
      body: body.toString(),
      ...(opts.timeoutMs ? { signal: AbortSignal.timeout(opts.timeoutMs) } : {}),
    });
    requestId = res.headers.get("x-amzn-RequestId") ?? undefined;
    text = await res.text();
  } catch (err) {
    const e = err as Error;
    const why =
      e.name === "TimeoutError" || e.name === "AbortError"
        ? `no answer within ${Math.round((opts.timeoutMs ?? 0) / 100) / 10} s`
        : e.message;
    throw new SpApiError(
      "upstream_unavailable",
      `Could not reach Login with Amazon (${why}); we will try again.${requestId ? ` [request id ${requestId}]` : ""}`,
      undefined,
      [],
      [],
      undefined,
      requestId,
    );
  }
  const rid = requestId ? ` [request id ${requestId}]` : "";
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.ok) {
    const parsed = LwaTokenResponseSchema.safeParse(json);
    if (!parsed.success) throw malformed("Login with Amazon", parsed.error.issues, requestId);
    return {
      accessToken: parsed.data.access_token,
      expiresIn: parsed.data.expires_in,
      ...(parsed.data.refresh_token ? { refreshToken: parsed.data.refresh_token } : {}),
    };
  }
  const err = LwaErrorSchema.safeParse(json);
  if (res.status >= 500 || res.status === 429) {
    const after = Number(res.headers.get("retry-after"));
    throw new SpApiError(
      res.status === 429 ? "rate_limited" : "upstream_unavailable",
      `Login with Amazon is not answering (HTTP ${res.status}); we will try again.${rid}`,
      res.status,
      [],
      [],
      Number.isFinite(after) && after > 0 ? after : undefined,
      requestId,
    );
  }
  if (err.success) {
    const reason = err.data.error_description
      ? `${err.data.error}: ${err.data.error_description}`
      : err.data.error;
    if (
      ["invalid_grant", "invalid_client", "unauthorized_client", "access_denied"].includes(err.data.error)
    ) {
      throw credentialsRefused(`${reason}${rid}`, res.status, requestId);
    }
    throw new SpApiError(
      "upstream_rejected",
      `Login with Amazon refused the request (${reason}).${rid}`,
      res.status,
      [],
      [],
      undefined,
      requestId,
    );
  }
  throw malformed(
    "Login with Amazon error",
    `HTTP ${res.status} without LWA's {error, error_description}`,
    requestId,
  );
}

/** The `authorization_code` grant that ends the Seller Central consent step. */
export function exchangeAuthorizationCode(
  opts: LwaOptions & { code: string; redirectUri?: string },
): Promise<LwaTokens & { refreshToken: string }> {
  const form: Record<string, string> = { grant_type: "authorization_code", code: opts.code };
  if (opts.redirectUri) form.redirect_uri = opts.redirectUri;
  // A code works once: sent again after a lost answer it would be refused, so one attempt unless told.
  const once = { ...LWA_RETRY, maxAttempts: 1 };
  return requestToken({ retry: once, ...opts }, form).then((t) => {
    if (!t.refreshToken) throw malformed("Login with Amazon", "the answer had no refresh_token");
    return t as LwaTokens & { refreshToken: string };
  });
}

/** Keeps one access token for one refresh token, refreshing before expiry or on request. */
export class AccessTokenCache {
  private token: { value: string; expiresAt: number } | undefined;
  private inflight: Promise<string> | undefined;

  constructor(
    private readonly opts: LwaOptions & { refreshToken: string },
    private readonly clock: () => number,
  ) {}

  async get(): Promise<string> {
    if (this.token && this.clock() < this.token.expiresAt - EARLY_REFRESH_MS) return this.token.value;
    if (!this.inflight) {
      // The token's life is counted from when it was asked for, not from when the answer came: LWA
      // started its hour somewhere in between, so the answer's travel (or a clock that moved while
      // it travelled, as the simulated one does) never makes us believe a token lives longer than it does.
      const askedAt = this.clock();
      this.inflight = requestToken(this.opts, {
        grant_type: "refresh_token",
        refresh_token: this.opts.refreshToken,
      })
        .then((t) => {
          this.token = { value: t.accessToken, expiresAt: askedAt + t.expiresIn * 1000 };
          return t.accessToken;
        })
        .finally(() => {
          this.inflight = undefined;
        });
    }
    return this.inflight;
  }

  /** Amazon said the token is expired or unknown: forget it so the next call refreshes. */
  invalidate(value?: string): void {
    if (!value || this.token?.value === value) this.token = undefined;
  }
}

/**
 * A grantless access token for the application itself (client_credentials, e.g. scope
 * `sellingpartnerapi::notifications` for Notifications API destinations). Safe to retry.
 */
export async function requestGrantlessToken(opts: LwaOptions & { scope: string }): Promise<LwaTokens> {
  return requestToken(opts, { grant_type: "client_credentials", scope: opts.scope });
}
