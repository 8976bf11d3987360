// A sandbox of an HTTP mail service with Postmark's wire format (POST /postmark/email, server
// token in X-Postmark-Server-Token), for the sign-up codes the edge sends. There is no Postmark
// specification in ../shared/specs; the request and answer shapes follow Postmark's public API
// documentation: 200 {To, SubmittedAt, MessageID, ErrorCode: 0, Message: "OK"}; a missing or wrong
// token 401 {ErrorCode: 10}; an invalid request 422 {ErrorCode: 300}. Not part of any real API:
// GET /_sandbox/mail lists what was sent (HTML for a person, JSON with ?to= or Accept: json), and
// PUT /_sandbox/mail/fail {times} makes the next sends answer 500.
import { Hono } from "hono";
import type { SandboxEnv } from "./env.ts";

export const SANDBOX_MAIL_TOKEN = "sandbox-postmark-server-token";

interface SentMail {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  tag: string | null;
  at: string;
}

const sent: SentMail[] = [];
let failNext = 0;

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
/** "Name <addr>" or "addr": the address part. */
const addressOf = (v: string) => /<([^>]+)>\s*$/.exec(v)?.[1] ?? v.trim();

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch]!);

export const mail = new Hono<{ Bindings: SandboxEnv }>()
  .post("/postmark/email", async (c) => {
    if (c.req.header("X-Postmark-Server-Token") !== SANDBOX_MAIL_TOKEN)
      return c.json({ ErrorCode: 10, Message: "Bad or missing Server API token." }, 401);
    if (failNext > 0) {
      failNext--;
      return c.json({ ErrorCode: 500, Message: "Sandbox told to fail." }, 500);
    }
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    const str = (k: string) => (typeof body?.[k] === "string" ? (body[k] as string) : "");
    const problems: string[] = [];
    if (!EMAIL.test(addressOf(str("From")))) problems.push("'From' is not a valid sender");
    if (!EMAIL.test(addressOf(str("To")))) problems.push("'To' is not a valid address");
    if (!str("Subject")) problems.push("'Subject' is required");
    if (!str("TextBody") && !str("HtmlBody")) problems.push("provide either 'TextBody' or 'HtmlBody'");
    if (problems.length)
      return c.json({ ErrorCode: 300, Message: `Invalid email request: ${problems.join("; ")}.` }, 422);
    const messageId = crypto.randomUUID();
    const at = new Date().toISOString();
    sent.push({
      messageId,
      from: str("From"),
      to: addressOf(str("To")).toLowerCase(),
      subject: str("Subject"),
      text: str("TextBody"),
      tag: str("Tag") || null,
      at,
    });
    if (sent.length > 1_000) sent.splice(0, sent.length - 1_000);
    return c.json({ To: str("To"), SubmittedAt: at, MessageID: messageId, ErrorCode: 0, Message: "OK" });
  })
  .get("/_sandbox/mail", (c) => {
    const to = c.req.query("to")?.toLowerCase();
    const list = to ? sent.filter((m) => m.to === to) : sent;
    if (to || (c.req.header("Accept") ?? "").includes("application/json")) return c.json(list);
    const rows = list
      .slice()
      .reverse()
      .map(
        (m) =>
          `<article><h2>${escapeHtml(m.subject)}</h2><p>To ${escapeHtml(m.to)} · ${escapeHtml(m.at)}</p><pre>${escapeHtml(m.text)}</pre></article>`,
      )
      .join("\n");
    return c.html(
      `<!doctype html><meta charset="utf-8"><title>Sandbox mailbox</title><style>body{font:16px system-ui;max-width:48rem;margin:2rem auto}pre{white-space:pre-wrap;background:#f4f4f4;padding:1rem}</style><h1>Sandbox mailbox</h1><p>Every email the local Consign sent (newest first). Not a real mail service.</p>${rows || "<p>No email yet.</p>"}`,
    );
  })
  .put("/_sandbox/mail/fail", async (c) => {
    const { times } = (await c.req.json()) as { times: number };
    failNext = Math.max(0, Number(times) || 0);
    return c.json({ failNext });
  });
