// Seller Central's consent step, reduced to one page: "Authorise Consign?" with a confirm link that
// redirects to the app's redirect_uri with spapi_oauth_code, state and selling_partner_id.

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

export function consentPage(opts: {
  applicationId: string;
  sellerId: string;
  confirmUrl: string;
  cancelUrl: string;
}) {
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Authorise Consign? – Seller Central (sandbox)</title>
<style>
body{font-family:system-ui,sans-serif;background:#f3f3f3;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border:1px solid #ddd;border-radius:8px;padding:2rem;max-width:28rem}
h1{font-size:1.4rem;margin-top:0}.muted{color:#555;font-size:.9rem}
a.button{display:inline-block;background:#ffd814;color:#0f1111;border-radius:20px;padding:.6rem 1.4rem;text-decoration:none;font-weight:600}
a.cancel{margin-left:1rem;color:#0066c0}
</style></head>
<body><main>
<h1>Authorise Consign?</h1>
<p>Consign (<code>${escapeHtml(opts.applicationId)}</code>) asks to read your orders, including buyers' names and
delivery addresses, and to confirm dispatches on your behalf.</p>
<p class="muted">Selling partner: <strong>${escapeHtml(opts.sellerId)}</strong> · amazon.co.uk · This is the Consign sandbox, not Amazon.</p>
<p><a class="button" id="confirm" href="${escapeHtml(opts.confirmUrl)}">Confirm</a>
<a class="cancel" href="${escapeHtml(opts.cancelUrl)}">Cancel</a></p>
</main></body></html>`;
}
