// Every call the PWA makes to the edge Worker lives here (same origin: relative URLs).
// Errors arrive as {error:{code,message,fields}}; they become ApiError whose message is shown to the person.

import type { ErrorCode, FieldError, Order } from "@consign/domain";
import { retryAfterMs } from "./retry-after.ts";
import { array, bool, num, object, oneOf, optional, type Parser, str, unknownValue } from "./schema.ts";

export type Role = "owner" | "packer" | "viewer";
const ROLES = ["owner", "packer", "viewer"] as const;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | "network" | "shape",
    message: string,
    readonly status: number,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
  /** The message for one field, e.g. "rules[2].conditions[0].value". */
  field(path: string): string | undefined {
    return this.fields.find((f) => f.path === path)?.message;
  }
}

/** True when the request never reached the edge (offline, flaky Wi-Fi): worth retrying later. */
export function isNetworkError(err: unknown): boolean {
  return err instanceof ApiError && err.code === "network";
}

export interface AuthSource {
  sessionToken(): string | null;
  /** A valid access token for the current seller (refreshing it when close to expiry). */
  accessToken(force?: boolean): Promise<string>;
}
let auth: AuthSource = {
  sessionToken: () => null,
  accessToken: () => Promise.reject(new ApiError("unauthenticated", "Sign in first.", 401)),
};
export function setAuthSource(source: AuthSource): void {
  auth = source;
}

type AuthKind = "none" | "session" | "access";
interface RequestOptions {
  body?: unknown;
  auth?: AuthKind;
  idempotencyKey?: string;
}

/**
 * "Too many requests from this device" on a command is waited out, not shown as a failure: the edge
 * refuses before doing anything (a command keeps its idempotency key), so the same request goes again
 * once the time the edge gave has passed, for up to a minute in all. A tablet just reloaded spends its burst on its
 * own reads, and a Buy pressed then must wait its turn, not fail hundreds of orders.
 */
export const THROTTLED_BUDGET_MS = 60_000;
let sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Tests replace the wait. */
export function setThrottleSleep(fn: (ms: number) => Promise<void>): void {
  sleep = fn;
}

async function send(
  method: string,
  path: string,
  opts: RequestOptions,
  retried = false,
  waited = 0,
): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  if (opts.idempotencyKey) headers["idempotency-key"] = opts.idempotencyKey;
  const kind = opts.auth ?? "access";
  if (kind === "session") {
    const token = auth.sessionToken();
    if (!token) throw new ApiError("unauthenticated", "Sign in first.", 401);
    headers.authorization = `Bearer ${token}`;
  } else if (kind === "access") {
    headers.authorization = `Bearer ${await auth.accessToken(retried)}`;
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError("network", "Can't reach Consign: check the connection. It will be retried.", 0);
  }
  if (res.status === 401 && kind === "access" && !retried) return send(method, path, opts, true, waited);
  // Only commands (an access token and an idempotency key: a run, a dispatch, a void), whose
  // refusal would fail every order they carry. A sign-in refused for too many wrong guesses is shown
  // at once (asking again would be another guess), and so is any other refused request.
  if (res.status === 429 && kind === "access" && opts.idempotencyKey) {
    const wait = Math.max(250, retryAfterMs(res.headers.get("retry-after"), Date.now()) ?? 1000);
    if (waited + wait <= THROTTLED_BUDGET_MS) {
      await sleep(wait);
      return send(method, path, opts, retried, waited + wait);
    }
  }
  if (!res.ok) throw await errorFrom(res);
  return res;
}

async function errorFrom(res: Response): Promise<ApiError> {
  const fallback = `The request failed (HTTP ${res.status}).`;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; fields?: FieldError[] } };
    const e = body.error;
    if (e && typeof e.message === "string") {
      const fields = Array.isArray(e.fields) ? e.fields.filter((f) => typeof f?.path === "string") : [];
      return new ApiError((e.code ?? "internal") as ErrorCode, e.message, res.status, fields);
    }
  } catch {
    // not JSON: use the fallback message
  }
  return new ApiError("internal", fallback, res.status);
}

async function json<T>(
  method: string,
  path: string,
  parse: Parser<T>,
  opts: RequestOptions = {},
): Promise<T> {
  const res = await send(method, path, opts);
  const body = res.status === 204 ? {} : await res.json().catch(() => ({}));
  try {
    return parse(body);
  } catch (err) {
    throw new ApiError("shape", (err as Error).message, res.status);
  }
}
const ignore: Parser<void> = () => undefined;

/** A read whose shape the caller owns (small views such as stock and official health). */
export const getJson = <T>(path: string) => json("GET", path, (v) => v as T);
export const postJson = <T>(path: string, body: unknown) => json("POST", path, (v) => v as T, { body });
export const putJson = <T>(path: string, body: unknown) => json("PUT", path, (v) => v as T, { body });
/** A write whose answer shape the caller owns, with an Idempotency-Key so a retried tap is done once. */
export const writeJson = <T>(
  method: "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  opts: { body?: unknown; idempotencyKey?: string } = {},
) => json(method, path, (v) => v as T, opts);

// ---- auth ----
const membership = object({ sellerId: str, sellerName: str, role: oneOf(ROLES) });
const signedIn = object({
  sessionToken: str,
  user: object({ id: str, email: str, name: str }),
  memberships: array(membership),
  /** This device's key for the account (see device-keys.ts). */
  deviceKey: optional(str),
});
export type SignedIn = ReturnType<typeof signedIn>;
export type Membership = ReturnType<typeof membership>;

export const signUp = (b: {
  sellerName: string;
  name: string;
  email: string;
  password: string;
  deviceName: string;
}) => json("POST", "/auth/signup", signUpStarted, { body: b, auth: "none" });
/** Sign-up's answer, the same for every email: a code went to it (or, if it has an account, a note). */
const signUpStarted = object({
  email: str,
  message: str,
  /** The local stack only: the sandbox's mailbox, where the email is. */
  sandboxMailbox: optional(str),
});
export type SignUpStarted = ReturnType<typeof signUpStarted>;
export const verifySignUp = (b: { email: string; code: string; deviceName: string }) =>
  json("POST", "/auth/signup/verify", signedIn, { body: b, auth: "none" });
export const signIn = (b: { email: string; password: string; deviceName: string; deviceKey?: string }) =>
  json("POST", "/auth/signin", signedIn, { body: b, auth: "none" });
export const join = (b: {
  code: string;
  name: string;
  email: string;
  password: string;
  deviceName: string;
}) => json("POST", "/auth/join", signedIn, { body: b, auth: "none" });

const accessGrant = object({
  accessToken: str,
  expiresAt: num,
  sellerId: str,
  role: oneOf(ROLES),
  user: object({ id: str, name: str }),
});
export type AccessGrant = ReturnType<typeof accessGrant>;
export const accessToken = (sellerId: string) =>
  json("POST", "/auth/token", accessGrant, { body: { sellerId }, auth: "session" });
export const signOut = () => json("POST", "/auth/signout", ignore, { auth: "session" });
export const signOutAll = () => json("POST", "/auth/signout-all", ignore, { auth: "session" });

// ---- team ----
const team = object({
  members: array(object({ userId: str, name: str, email: str, role: oneOf(ROLES) })),
  devices: array(
    object({
      sessionId: str,
      userId: str,
      deviceName: str,
      lastSeenAt: optional(num),
      current: optional(bool),
    }),
  ),
});
export type Team = ReturnType<typeof team>;
export const getTeam = () => json("GET", "/api/v1/team", team);
export const invite = (role: Role) =>
  json("POST", "/api/v1/team/invites", object({ code: str, expiresAt: num }), { body: { role } });
export const removeMember = (userId: string) =>
  json("DELETE", `/api/v1/team/members/${encodeURIComponent(userId)}`, ignore);
export const changeRole = (userId: string, role: Role) =>
  json("PATCH", `/api/v1/team/members/${encodeURIComponent(userId)}`, ignore, { body: { role } });
export const removeDevice = (sessionId: string) =>
  json("DELETE", `/api/v1/team/devices/${encodeURIComponent(sessionId)}`, ignore);

// ---- commands (sent through the outbox with an idempotency key) ----
export interface Command {
  method: "POST" | "PUT" | "DELETE";
  path: string;
  body?: unknown;
}
export const buyLabelsCommand = (orderIds: string[]): Command => ({
  method: "POST",
  path: "/api/v1/labels/runs",
  body: { orderIds },
});
export const dispatchCommand = (orderIds: string[]): Command => ({
  method: "POST",
  path: "/api/v1/dispatch",
  body: { orderIds },
});
export const voidLabelCommand = (orderId: string): Command => ({
  method: "POST",
  path: `/api/v1/orders/${encodeURIComponent(orderId)}/void-label`,
});
/** Cancels the order on Amazon as the buyer asked (Amazon's order acknowledgement feed, BuyerCanceled). */
export const acceptCancellationCommand = (orderId: string): Command => ({
  method: "POST",
  path: `/api/v1/orders/${encodeURIComponent(orderId)}/accept-cancellation`,
});
/** Sends one command once: the key makes a retry after a lost answer harmless. */
export async function sendCommand(cmd: Command, idempotencyKey: string): Promise<unknown> {
  return json(cmd.method, cmd.path, unknownValue, { body: cmd.body, idempotencyKey });
}

// ---- labels, archive ----
/** The label PDF of one order (bytes), for printing. */
export async function labelPdf(orderId: string): Promise<ArrayBuffer> {
  const res = await send("GET", `/api/v1/orders/${encodeURIComponent(orderId)}/label`, {});
  return res.arrayBuffer();
}
/** The printable end-of-day manifest (bytes). */
export async function manifestPdf(manifestId: string): Promise<ArrayBuffer> {
  const res = await send("GET", `/api/v1/manifests/${encodeURIComponent(manifestId)}/document`, {});
  return res.arrayBuffer();
}
/** A POST that carries an Idempotency-Key (a retried tap never closes the day twice). */
export const postOnce = <T>(path: string, idempotencyKey: string) =>
  json("POST", path, (v) => v as T, { idempotencyKey });
export const patchJson = <T>(path: string, body: unknown) => json("PATCH", path, (v) => v as T, { body });
/** Which archive months exist and when each last changed (orders closed late land in past months). */
export const archiveMonths = () =>
  json(
    "GET",
    "/api/v1/archive",
    object({ months: array(object({ month: str, orders: num, updatedAt: num })) }),
  ).then((r) => r.months);
export const archiveMonth = (yyyyMm: string) =>
  json("GET", `/api/v1/archive/${yyyyMm}/documents`, object({ orders: array(unknownValue) })).then(
    (r) => r.orders as Order[],
  );

// ---- connections ----
const amazonStatus = object({
  connected: bool,
  sellingPartnerId: optional(str),
  lastSyncAt: optional(num),
  error: optional(str),
});
export type AmazonStatus = ReturnType<typeof amazonStatus>;
export const getAmazonStatus = () => json("GET", "/api/v1/amazon/status", amazonStatus);
export const connectAmazon = () => json("POST", "/api/v1/amazon/connect", object({ url: str }));
/** Orders stop arriving and Amazon is told to stop sending the seller's order notifications. */
export const disconnectAmazon = () =>
  json(
    "DELETE",
    "/api/v1/amazon",
    object({
      connected: bool,
      liveUpdates: object({ subscription: str, message: optional(str) }),
    }),
  );

const courierConnection = object({
  courier: str,
  connected: bool,
  /** Royal Mail: connected through Click & Drop or Pro Shipping. */
  via: optional(oneOf(["click-and-drop", "pro-shipping"] as const)),
});
export const getCouriers = () => json("GET", "/api/v1/couriers", array(courierConnection));
/** Write-only: the credentials are sent once and never read back. */
export const putCourier = (courier: string, credentials: Record<string, string>) =>
  json("PUT", `/api/v1/couriers/${encodeURIComponent(courier)}`, object({ connected: bool }), {
    body: credentials,
  });

// ---- settings, rules ----
export const getSettings = () => json("GET", "/api/v1/settings", unknownValue);
/** The seller's time now (the room's clock), epoch ms. */
/** The room's first screen for a device with no copy yet (./first-screen.ts reads it as outside input). */
export const teamFirstScreen = (sellerId: string) =>
  json("GET", `/sync/${encodeURIComponent(sellerId)}/first-screen`, (v): unknown => v);
export const roomNow = () => json("GET", "/api/v1/clock", object({ nowMs: num })).then((c) => c.nowMs);
export const putSettings = (settings: unknown) =>
  json("PUT", "/api/v1/settings", unknownValue, { body: settings });
/** Changes some of the team's settings (owners only): the room writes them into the live document. */
export const patchSettings = (patch: Record<string, unknown>) =>
  json("PATCH", "/api/v1/settings", unknownValue, { body: patch });
export const getRules = () => json("GET", "/api/v1/rules", unknownValue);
export const putRules = (rules: unknown) => json("PUT", "/api/v1/rules", unknownValue, { body: rules });

export const health = () =>
  json("GET", "/health", object({ ok: bool, service: optional(str) }), { auth: "none" });
