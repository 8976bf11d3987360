// Sign-up, sign-in, invites, device sessions and access tokens.
import { ConsignError, ErrorCode } from "@consign/domain";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app.ts";
import { bearer } from "../auth/middleware.ts";
import { issueAccessToken } from "../auth/tokens.ts";
import { FloodMemo, isFloodRefusal } from "../directory/hash-budget.ts";
import { unwrap } from "../http/result.ts";
import { valid } from "../http/validate.ts";
import { directoryOf, roomOf } from "../stubs.ts";

/** This isolate's memory of the Directory's last "too many wrong sign-ins" answer. */
const flood = new FloodMemo();

const email = z.string().trim().email("enter an email address like name@example.co.uk").max(200);
const password = z.string().min(10, "use at least 10 characters").max(200);
const deviceName = z.string().trim().max(80).default("Browser");
const name = z.string().trim().min(1, "enter a name").max(100);

export const signUpBody = z.object({ sellerName: name, name, email, password, deviceName });
export const verifySignUpBody = z.object({
  email,
  code: z
    .string()
    .trim()
    .regex(/^\d{3}\s?\d{3}$/, "enter the six digits from the email"),
  deviceName,
});
export const signInBody = z.object({
  email,
  password: z.string().min(1).max(200),
  deviceName,
  /** The deviceKey this device got when it last signed in: others' failed guesses do not hold it up. */
  deviceKey: z.string().max(200).optional(),
});
export const joinBody = z.object({
  code: z.string().trim().min(6).max(40),
  name,
  email,
  password,
  deviceName,
});
export const tokenBody = z.object({ sellerId: z.string().min(1).max(64) });

function clientAddress(headers: Headers): string {
  return (
    headers.get("CF-Connecting-IP") ?? headers.get("X-Forwarded-For")?.split(",")[0]?.trim() ?? "unknown"
  );
}

function sessionToken(header: string | undefined): string {
  const token = bearer(header);
  if (!token?.startsWith("cs_sess_")) {
    throw new ConsignError(
      ErrorCode.Unauthenticated,
      "Send this device's session token as 'Authorization: Bearer …'.",
    );
  }
  return token;
}

export const authRoutes = new Hono<AppEnv>()
  // Two steps, so that sign-up never says which emails have an account: the same 202 for every
  // email (a code goes to a new one, a "you already have an account" note to a registered one),
  // then the code from the email opens the account and this device's session.
  .post("/signup", valid("json", signUpBody), async (c) => {
    const started = unwrap(
      await directoryOf(c.env).signUp(c.req.valid("json"), clientAddress(c.req.raw.headers)),
    );
    return c.json(
      {
        status: started.status,
        email: started.email,
        expiresAt: new Date(started.expiresAt).toISOString(),
        message: `We have emailed ${started.email}: enter the six-digit code from that email to open your account.`,
        // The local stack only: where the sandbox keeps the email.
        ...(c.env.MAIL_SANDBOX_INBOX_URL && { sandboxMailbox: c.env.MAIL_SANDBOX_INBOX_URL }),
      },
      202,
    );
  })
  .post("/signup/verify", valid("json", verifySignUpBody), async (c) => {
    const grant = unwrap(
      await directoryOf(c.env).verifySignUp(c.req.valid("json"), clientAddress(c.req.raw.headers)),
    );
    return c.json(grant, 201);
  })
  .post("/signin", valid("json", signInBody), async (c) => {
    const body = c.req.valid("json");
    // While the Directory's budget for wrong guesses is spent, a device with no device key is told
    // so here; one with a key always reaches the Directory (it may be the owner's tablet).
    const held = body.deviceKey === undefined ? flood.refusal(Date.now()) : null;
    if (held) throw held;
    const result = await directoryOf(c.env).signIn(body, clientAddress(c.req.raw.headers));
    if (!result.ok && isFloodRefusal(result.error) && result.error.retryAfterSeconds !== undefined)
      flood.remember(Date.now(), result.error.retryAfterSeconds);
    return c.json(unwrap(result));
  })
  .post("/join", valid("json", joinBody), async (c) => {
    const grant = unwrap(await directoryOf(c.env).join(c.req.valid("json")));
    return c.json(grant);
  })
  .get("/me", async (c) => {
    return c.json(unwrap(await directoryOf(c.env).whoAmI(sessionToken(c.req.header("Authorization")))));
  })
  .post("/token", valid("json", tokenBody), async (c) => {
    const session = sessionToken(c.req.header("Authorization"));
    const identity = unwrap(await directoryOf(c.env).sessionIdentity(session, c.req.valid("json").sellerId));
    const { accessToken, expiresAt } = await issueAccessToken(c.env.TOKEN_SECRET, identity, Date.now());
    return c.json({
      accessToken,
      expiresAt,
      sellerId: identity.sellerId,
      role: identity.role,
      user: { id: identity.userId, name: identity.name },
    });
  })
  .post("/signout", async (c) => signOut(c.env, c.req.header("Authorization"), false))
  .post("/signout-all", async (c) => signOut(c.env, c.req.header("Authorization"), true));

async function signOut(env: AppEnv["Bindings"], authorization: string | undefined, everywhere: boolean) {
  const { revoked, sellers } = unwrap(
    await directoryOf(env).signOut(sessionToken(authorization), everywhere),
  );
  await Promise.all(sellers.map((sellerId) => roomOf(env, sellerId).revokeSessions(revoked)));
  return Response.json({ signedOut: revoked.length });
}
