// The sandbox's mail service (Postmark's POST /email wire format, as the edge sends sign-up codes
// with it): its answers and refusals, and the mailbox the local stack reads.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const send = (body: unknown, token = "sandbox-postmark-server-token") =>
  exports.default.fetch("http://sandbox/postmark/email", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      "X-Postmark-Server-Token": token,
    },
    body: JSON.stringify(body),
  });

describe("sandbox mail (Postmark's wire format)", { timeout: 30_000 }, () => {
  const mail = {
    From: "Consign <no-reply@consign.example>",
    To: "Kit@Kiln.example.co.uk",
    Subject: "Your Consign code: 123456",
    TextBody: "Your code is 123456",
    Tag: "signup-code",
    MessageStream: "outbound",
  };

  it("accepts a message, answers as Postmark does, and keeps it in the mailbox by recipient", async () => {
    const res = await send(mail);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ To: mail.To, ErrorCode: 0, Message: "OK" });
    expect(answer.MessageID).toMatch(/^[0-9a-f-]{36}$/);
    const box = (await (
      await exports.default.fetch("http://sandbox/_sandbox/mail?to=kit@kiln.example.co.uk")
    ).json()) as { subject: string; tag: string; from: string }[];
    expect(box.at(-1)).toMatchObject({ subject: mail.Subject, tag: "signup-code", from: mail.From });
  });

  it("refuses a wrong token (401, ErrorCode 10) and an invalid message (422, ErrorCode 300) naming the field", async () => {
    const wrong = await send(mail, "nope");
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ ErrorCode: 10 });
    const invalid = await send({ ...mail, To: "not an address", TextBody: "" });
    expect(invalid.status).toBe(422);
    const why = (await invalid.json()) as { ErrorCode: number; Message: string };
    expect(why.ErrorCode).toBe(300);
    expect(why.Message).toContain("'To' is not a valid address");
    expect(why.Message).toContain("'TextBody' or 'HtmlBody'");
  });

  it("answers 500 when told to fail, then sends again", async () => {
    await exports.default.fetch("http://sandbox/_sandbox/mail/fail", {
      method: "PUT",
      body: JSON.stringify({ times: 1 }),
    });
    expect((await send(mail)).status).toBe(500);
    expect((await send(mail)).status).toBe(200);
  });
});
