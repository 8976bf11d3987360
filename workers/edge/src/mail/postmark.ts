// Outgoing email (sign-up codes, and the note to an existing account that someone tried to sign up
// with its address) through an HTTP mail service with Postmark's wire format: POST {base}/email
// with the server token in X-Postmark-Server-Token, JSON {From, To, Subject, TextBody,
// MessageStream}; 200 {To, SubmittedAt, MessageID, ErrorCode: 0, Message: "OK"}, and on refusal a
// 4xx with {ErrorCode, Message}. There is no Postmark specification in ../shared/specs: the shape
// follows Postmark's public API documentation. The local stack points MAIL_API_URL at the
// sandbox's Postmark (workers/sandbox/src/mail.ts); production at https://api.postmarkapp.com.
import { ConsignError, ErrorCode } from "@consign/domain";

export interface MailEnv {
  /** Base URL of the mail service (Postmark's API or the sandbox's); unset: no email can be sent. */
  MAIL_API_URL?: string;
  /** The service's server token (a secret in production). */
  MAIL_API_TOKEN?: string;
  /** The sender, e.g. "Consign <no-reply@your-domain>" (a sender signature the service accepts). */
  MAIL_FROM?: string;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** The service's tag, to find a kind of mail in its logs. */
  tag: string;
}

/** Sends one email; throws a ConsignError a person can act on when it cannot. Returns the service's message id. */
export async function sendMail(env: MailEnv, mail: Mail, fetchFn: typeof fetch = fetch): Promise<string> {
  if (!env.MAIL_API_URL || !env.MAIL_API_TOKEN || !env.MAIL_FROM)
    throw new ConsignError(
      ErrorCode.UpstreamUnavailable,
      "This Consign cannot send email yet, so it cannot send sign-up codes: its operator sets MAIL_API_URL, MAIL_API_TOKEN and MAIL_FROM (see the README).",
    );
  let res: Response;
  try {
    res = await fetchFn(`${env.MAIL_API_URL.replace(/\/$/, "")}/email`, {
      method: "POST",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        "X-Postmark-Server-Token": env.MAIL_API_TOKEN,
      },
      body: JSON.stringify({
        From: env.MAIL_FROM,
        To: mail.to,
        Subject: mail.subject,
        TextBody: mail.text,
        Tag: mail.tag,
        MessageStream: "outbound",
      }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw mailDown();
  }
  const body = (await res.json().catch(() => null)) as {
    ErrorCode?: number;
    Message?: string;
    MessageID?: string;
  } | null;
  if (res.ok && body?.ErrorCode === 0 && body.MessageID) return body.MessageID;
  if (res.status >= 500 || res.status === 429) throw mailDown();
  // A refusal of our request (bad token, sender not confirmed, an address the service will not send to).
  console.error(
    `[mail] the mail service refused a ${mail.tag} email: HTTP ${res.status} ${body?.ErrorCode} ${body?.Message}`,
  );
  throw new ConsignError(
    ErrorCode.UpstreamUnavailable,
    "We could not send the email: the mail service refused it. Check the address, or try again later.",
  );
}

const mailDown = () =>
  new ConsignError(
    ErrorCode.UpstreamUnavailable,
    "We could not send the email just now (the mail service did not answer): try again in a minute.",
    [],
    60,
  );
