// Headers that keep browsers safe with what we serve, and the stated CORS policy of /api/v1.
//
// The PWA's own files are served by Cloudflare's static assets before the Worker runs, so they
// carry the same headers from apps/web/public/_headers (PWA_SECURITY_HEADERS below is the source:
// a test checks both agree). Responses the Worker makes (API, docs, auth, health) get them here.
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";

/** The PWA's Content-Security-Policy: everything from our origin; the sync socket; blob: for label PDFs and workers. */
export const PWA_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "worker-src 'self' blob:",
  "frame-src 'self' blob:",
  "media-src 'self' blob: mediastream:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Every PWA response (see apps/web/public/_headers). */
export const PWA_SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy": PWA_CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
};

/** What the Worker's own answers (JSON, CSV, PDF, the docs page) carry. */
const WORKER_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
};
/** Data answers run nothing and may be framed by no one. */
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    // A WebSocket upgrade's 101 carries no page.
    if (c.res.status === 101) return;
    try {
      c.res.headers.set("X-Content-Type-Options", "nosniff");
    } catch {
      // Headers of a response passed through from elsewhere are immutable: copy it once.
      c.res = new Response(c.res.body, c.res);
    }
    for (const [name, value] of Object.entries(WORKER_HEADERS)) {
      if (!c.res.headers.has(name)) c.res.headers.set(name, value);
    }
    const csp = c.res.headers.get("Content-Security-Policy");
    if (!csp) c.res.headers.set("Content-Security-Policy", DATA_CSP);
    else if (!csp.includes("frame-ancestors"))
      c.res.headers.set("Content-Security-Policy", `${csp}; frame-ancestors 'none'`);
  };
}

/**
 * CORS for /api/v1: any origin may call it, because it authenticates with an `Authorization:
 * Bearer` header only (an API key or access token), never with cookies, so a page cannot borrow a
 * visitor's credentials. Preflights are answered (204) for these methods and headers; the
 * rate-limit and idempotency headers are exposed to scripts. /auth and /sync answer no other origin.
 */
export const API_CORS = {
  origin: "*",
  allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
  allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key"],
  exposeHeaders: [
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "Retry-After",
    "Idempotent-Replayed",
    "Content-Disposition",
  ],
  maxAge: 600,
  credentials: false,
};

export function apiCors(): MiddlewareHandler {
  return cors(API_CORS);
}
