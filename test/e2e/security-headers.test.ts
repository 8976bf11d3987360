// The PWA's own files come from Cloudflare's static assets, not the Worker: their security headers
// come from apps/web/public/_headers. Checked against the running stack (wrangler, workerd).
import { describe, expect, inject, it } from "vitest";

const edgeUrl = inject("edgeUrl");

describe("security headers on the PWA", () => {
  it("sends CSP with frame-ancestors, nosniff and a referrer policy on the page, its scripts and the docs", async () => {
    const page = await fetch(`${edgeUrl}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    for (const path of ["/", "/orders", script!, "/manifest.webmanifest", "/api/v1/docs"]) {
      const res = await fetch(`${edgeUrl}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
    }
  });
});
