// Who is signed in on this device, which seller they work for, and a fresh access token for that seller.
// The session survives reloads (localStorage); access tokens (~10 min) are refreshed a minute before expiry.

import { createSignal } from "solid-js";
import * as api from "./api.ts";

export interface Session {
  sessionToken: string;
  user: { id: string; email: string; name: string };
  memberships: api.Membership[];
  sellerId: string | null;
  deviceName: string;
}
export interface Access {
  token: string;
  expiresAt: number;
  sellerId: string;
  role: api.Role;
}

const SESSION_KEY = "consign.session.v1";
const ROLE_KEY = "consign.role.v1";
const REFRESH_EARLY_MS = 60_000;

function load(): Session | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

const [session, setSessionSignal] = createSignal<Session | null>(load());
const [access, setAccess] = createSignal<Access | null>(null);
/** The role last granted on this device: kept so the app works offline with the right controls. */
const [lastRole, setLastRole] = createSignal<api.Role | null>(
  (localStorage.getItem(ROLE_KEY) as api.Role | null) ?? null,
);

export { access, session };

export function role(): api.Role | null {
  return access()?.role ?? lastRole();
}
export function currentSeller(): api.Membership | undefined {
  const s = session();
  return s?.memberships.find((m) => m.sellerId === s.sellerId);
}

function store(next: Session | null): void {
  if (next) localStorage.setItem(SESSION_KEY, JSON.stringify(next));
  else localStorage.removeItem(SESSION_KEY);
  setSessionSignal(next);
}

export function defaultDeviceName(): string {
  const saved = localStorage.getItem("consign.device.v1");
  if (saved) return saved;
  const ua = navigator.userAgent;
  const kind = /iPad|Tablet|Android/.test(ua)
    ? "Tablet"
    : /Mac/.test(ua)
      ? "Mac"
      : /Windows/.test(ua)
        ? "PC"
        : "Device";
  return `${kind} ${new Date().toLocaleDateString("en-GB")}`;
}

/** Starts a session from a sign-in/sign-up/join answer and picks the first seller. */
export function begin(signedIn: api.SignedIn, deviceName: string): void {
  localStorage.setItem("consign.device.v1", deviceName);
  setAccess(null);
  store({ ...signedIn, sellerId: signedIn.memberships[0]?.sellerId ?? null, deviceName });
}

export function switchSeller(sellerId: string): void {
  const s = session();
  if (!s?.memberships.some((m) => m.sellerId === sellerId)) return;
  setAccess(null);
  store({ ...s, sellerId });
}

/** Forgets the session on this device (the caller tells the edge first when online). */
export function end(): void {
  clearTimeout(refreshTimer);
  setAccess(null);
  localStorage.removeItem(ROLE_KEY);
  setLastRole(null);
  store(null);
}

let inflight: Promise<Access> | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/** A valid access token for the current seller; `force` asks for a new one (after a 401 or a 4401 close). */
export async function accessToken(force = false): Promise<string> {
  const s = session();
  if (!s?.sellerId) throw new api.ApiError("unauthenticated", "Sign in first.", 401);
  const a = access();
  if (!force && a && a.sellerId === s.sellerId && a.expiresAt - REFRESH_EARLY_MS > Date.now()) return a.token;
  inflight ??= fetchAccess(s.sellerId).finally(() => {
    inflight = null;
  });
  return (await inflight).token;
}

async function fetchAccess(sellerId: string): Promise<Access> {
  try {
    const grant = await api.accessToken(sellerId);
    // Accept seconds or milliseconds since the epoch.
    const expiresAt = grant.expiresAt < 1e12 ? grant.expiresAt * 1000 : grant.expiresAt;
    const next: Access = { token: grant.accessToken, expiresAt, sellerId, role: grant.role };
    setAccess(next);
    setLastRole(grant.role);
    localStorage.setItem(ROLE_KEY, grant.role);
    clearTimeout(refreshTimer);
    const wait = Math.max(5_000, expiresAt - Date.now() - REFRESH_EARLY_MS);
    refreshTimer = setTimeout(() => void accessToken(true).catch(() => undefined), wait);
    return next;
  } catch (err) {
    // The session was revoked (signed out elsewhere, device removed): back to sign-in.
    if (err instanceof api.ApiError && (err.code === "unauthenticated" || err.code === "token_expired"))
      end();
    throw err;
  }
}

api.setAuthSource({ sessionToken: () => session()?.sessionToken ?? null, accessToken });
