import { exports } from "cloudflare:workers";

export const BASE = "http://edge.test";
/** The sandbox Worker (Amazon, couriers, mail) beside the edge in the same workerd. */
export const SANDBOX = "http://127.0.0.1:8788";

export async function call(
  path: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  return exports.default.fetch(`${BASE}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === "string"
          ? init.body
          : JSON.stringify(init.body),
  });
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

let counter = 0;
export function uniqueEmail(tag: string): string {
  counter++;
  return `${tag}-${Date.now()}-${counter}@example.co.uk`;
}

export interface Grant {
  sessionToken: string;
  sessionId: string;
  user: { id: string; email: string; name: string };
  memberships: { sellerId: string; sellerName: string; role: string }[];
  deviceKey: string;
}

export async function signUp(tag: string): Promise<Grant & { sellerId: string; accessToken: string }> {
  const email = uniqueEmail(tag);
  const res = await call("/auth/signup", {
    body: {
      sellerName: `${tag} Ltd`,
      name: `${tag} Owner`,
      email,
      password: "correct horse battery",
      deviceName: "Office laptop",
    },
  });
  if (res.status !== 202) throw new Error(`signup failed ${res.status} ${await res.text()}`);
  const verified = await call("/auth/signup/verify", {
    body: { email, code: await signUpCodeFor(email), deviceName: "Office laptop" },
  });
  if (verified.status !== 201)
    throw new Error(`signup code refused ${verified.status} ${await verified.text()}`);
  const grant = await json<Grant>(verified);
  const sellerId = grant.memberships[0]!.sellerId;
  return { ...grant, sellerId, accessToken: await accessFor(grant.sessionToken, sellerId) };
}

/** The emails the sandbox's mail service was given for `email`, oldest first. */
export async function mailTo(
  email: string,
): Promise<{ subject: string; text: string; tag: string | null }[]> {
  const res = await fetch(`${SANDBOX}/_sandbox/mail?to=${encodeURIComponent(email.toLowerCase())}`);
  return (await res.json()) as { subject: string; text: string; tag: string | null }[];
}

/** The newest sign-up code emailed to `email`. */
export async function signUpCodeFor(email: string): Promise<string> {
  const code = (await mailTo(email))
    .filter((m) => m.tag === "signup-code")
    .map((m) => /\b(\d{6})\b/.exec(m.subject)?.[1])
    .at(-1);
  if (!code) throw new Error(`no sign-up code was emailed to ${email}`);
  return code;
}

export async function accessFor(sessionToken: string, sellerId: string): Promise<string> {
  const res = await call("/auth/token", { body: { sellerId }, token: sessionToken });
  if (res.status !== 200) throw new Error(`token failed ${res.status} ${await res.text()}`);
  return (await json<{ accessToken: string }>(res)).accessToken;
}

/** Invites a new person with `role` and has them join; returns their session and access token. */
export async function addMember(owner: { sellerId: string; accessToken: string }, role: string, tag: string) {
  const invite = await json<{ code: string }>(
    await call("/api/v1/team/invites", { body: { role }, token: owner.accessToken }),
  );
  const email = uniqueEmail(tag);
  const res = await call("/auth/join", {
    body: {
      code: invite.code,
      name: `${tag} Person`,
      email,
      password: "another good password",
      deviceName: "Tablet 1",
    },
  });
  if (res.status !== 200) throw new Error(`join failed ${res.status} ${await res.text()}`);
  const grant = await json<Grant>(res);
  return { ...grant, email, accessToken: await accessFor(grant.sessionToken, owner.sellerId) };
}
