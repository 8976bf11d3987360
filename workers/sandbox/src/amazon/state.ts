import { DurableObject } from "cloudflare:workers";
import { accessVerdict, type ExtraAccess } from "../amazon-extra/access.ts";
import type { SeededInfo } from "../amazon-extra/world.ts";
import {
  type AckOutcome,
  applyAcknowledgements,
  CANCELLATIONS_SETTING,
  type FeedCancellation,
} from "../amazon-feeds/acknowledge.ts";
import type { AckMessage } from "../amazon-feeds/xml.ts";
import type { SandboxEnv } from "../env.ts";
import { newCredential, type RdtScope, rdtCovers } from "./credentials.ts";
import { generateOrders, type SeedOptions } from "./demo-data.ts";
import { type FaultSwitches, rollFault, type SandboxOperation } from "./faults.ts";
import { getOrder, searchOrders } from "./orders-api.ts";
import {
  amazonErrors,
  amazonJson,
  dropMarker,
  invalidInput,
  quotaExceeded,
  unauthorized,
} from "./responses.ts";
import { type AppRole, DEFAULT_ROLES, isRestrictedPath, refusedDataElements } from "./roles.ts";
import { confirmShipment, updateShipmentStatus } from "./shipments-api.ts";
import { type ReceivedConfirmation, SellerStore } from "./store.ts";

/** Usage plans from the models (rate per second, burst). */
export const PLANS: Record<SandboxOperation, { rate: number; burst: number }> = {
  searchOrders: { rate: 0.0056, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  confirmShipment: { rate: 2, burst: 10 },
  updateShipmentStatus: { rate: 5, burst: 15 },
  createRestrictedDataToken: { rate: 1, burst: 10 },
};

const ACCESS_TOKEN_SECONDS = 3600;
const CODE_SECONDS = 300;

interface Route {
  op: SandboxOperation;
  orderId?: string;
}

const ROUTES: { method: string; pattern: RegExp; op: SandboxOperation }[] = [
  { method: "GET", pattern: /^\/orders\/2026-01-01\/orders$/, op: "searchOrders" },
  { method: "GET", pattern: /^\/orders\/2026-01-01\/orders\/([^/]+)$/, op: "getOrder" },
  { method: "POST", pattern: /^\/orders\/v0\/orders\/([^/]+)\/shipmentConfirmation$/, op: "confirmShipment" },
  { method: "POST", pattern: /^\/orders\/v0\/orders\/([^/]+)\/shipment$/, op: "updateShipmentStatus" },
  { method: "POST", pattern: /^\/tokens\/2021-03-01\/restrictedDataToken$/, op: "createRestrictedDataToken" },
];

export function routeOf(method: string, path: string): Route | undefined {
  for (const r of ROUTES) {
    if (r.method !== method) continue;
    const m = path.match(r.pattern);
    if (m) return m[1] ? { op: r.op, orderId: decodeURIComponent(m[1]) } : { op: r.op };
  }
  return undefined;
}

/** One sandbox selling partner: its orders, tokens and rate-limit buckets. */
export class AmazonSellerState extends DurableObject<SandboxEnv> {
  private readonly store: SellerStore;

  constructor(ctx: DurableObjectState, env: SandboxEnv) {
    super(ctx, env);
    this.store = new SellerStore(ctx.storage.sql);
  }

  private sellerId(): string {
    return this.store.getSetting<string>("sellerId") ?? "unknown";
  }

  /** Real time plus the offset a test or the demo may have added with the clock switch. */
  private now(): number {
    return Date.now() + (this.store.getSetting<number>("clockOffsetMs") ?? 0);
  }

  // control (not part of Amazon) ----------------------------------------------------------------
  seed(sellerId: string, opts: Omit<SeedOptions, "sellingPartnerId" | "now">) {
    this.store.setSetting("sellerId", sellerId);
    const now = this.now();
    const orders = generateOrders({ ...opts, sellingPartnerId: sellerId, now });
    this.store.replaceOrders(orders);
    this.store.resetBuckets();
    this.store.setSetting("seeded", { at: now, ...opts });
    return {
      sellingPartnerId: sellerId,
      seededAt: new Date(now).toISOString(),
      ...this.store.orderCounts(now),
    };
  }

  isSeeded(): boolean {
    return this.store.getSetting("seeded") !== undefined;
  }

  summary() {
    const now = this.now();
    this.store.advance(now);
    return {
      sellingPartnerId: this.sellerId(),
      now: new Date(now).toISOString(),
      seeded: this.store.getSetting("seeded") ?? null,
      faults: this.faults(),
      orders: this.store.orderCounts(now),
    };
  }

  /** Checks an access token for an extra operation (Reports, Finances…) and returns the seller's clock and seed. */
  extraAccess(token: string, method: string, path: string): ExtraAccess {
    const summary = this.summary();
    return {
      verdict: accessVerdict(this.store.credential(token), Date.parse(summary.now), method, path),
      now: summary.now,
      seeded: (summary.seeded as SeededInfo | null) ?? null,
      faults: summary.faults,
    };
  }

  faults(): FaultSwitches {
    return this.store.getSetting<FaultSwitches>("faults") ?? {};
  }

  setFaults(sellerId: string, switches: FaultSwitches, merge: boolean): FaultSwitches {
    this.store.setSetting("sellerId", this.store.getSetting("sellerId") ?? sellerId);
    const next = merge ? { ...this.faults(), ...switches } : switches;
    this.store.setSetting("faults", next);
    if (switches.rateScale !== undefined) this.store.resetBuckets();
    return next;
  }

  expireAccessTokens(): { expired: number } {
    return { expired: this.store.expireAccessTokens(this.now()) };
  }

  revoke(): { revoked: number } {
    return { revoked: this.store.revokeAll() };
  }

  advanceClock(ms: number): { now: string } {
    this.store.setSetting("clockOffsetMs", (this.store.getSetting<number>("clockOffsetMs") ?? 0) + ms);
    this.store.resetBuckets();
    return { now: new Date(this.now()).toISOString() };
  }

  confirmations(): ReceivedConfirmation[] {
    return this.store.confirmations();
  }

  // Feeds API: an order acknowledgement feed's messages acted on (see ../amazon-feeds) ----------
  acknowledgeOrders(feedId: string, messages: AckMessage[]): AckOutcome[] {
    const now = this.now();
    this.store.advance(now);
    return applyAcknowledgements(this.store, feedId, messages, now);
  }

  feedCancellations(): FeedCancellation[] {
    return this.store.getSetting<FeedCancellation[]>(CANCELLATIONS_SETTING) ?? [];
  }

  // an app's approved roles (kept in the Durable Object named `app:<client_id>`) -------------------
  appRoles(): AppRole[] {
    return this.store.getSetting<AppRole[]>("appRoles") ?? DEFAULT_ROLES;
  }

  setAppRoles(roles: AppRole[]): AppRole[] {
    this.store.setSetting("appRoles", roles);
    return roles;
  }

  /** The roles of the app a credential was issued to (its client_id is kept with the token). */
  private async rolesOf(scope: string | null): Promise<AppRole[]> {
    let clientId = this.env.SANDBOX_CLIENT_ID;
    try {
      const parsed = JSON.parse(scope ?? "{}") as { clientId?: unknown };
      if (typeof parsed.clientId === "string") clientId = parsed.clientId;
    } catch {
      // an older token without its app: the sandbox's own app
    }
    return appState(this.env, clientId).appRoles();
  }

  // Seller Central consent and Login with Amazon ---------------------------------------------------
  issueAuthorizationCode(sellerId: string): string {
    this.store.setSetting("sellerId", sellerId);
    const code = newCredential("code", sellerId);
    this.store.issue(code, "code", this.now(), CODE_SECONDS);
    return code;
  }

  /** The LWA grant for this seller, after the front Worker has checked client_id/secret. */
  lwaGrant(
    grantType: "refresh_token" | "authorization_code",
    credential: string,
    clientId?: string,
  ): { status: number; body: string } {
    const now = this.now();
    const c = this.store.credential(credential);
    const field = grantType === "refresh_token" ? "refresh_token" : "code";
    const invalid = {
      status: 400,
      body: JSON.stringify({
        error: "invalid_grant",
        error_description: `The request has an invalid grant parameter : ${field}`,
      }),
    };
    if (!c || c.revoked || c.kind !== (grantType === "refresh_token" ? "refresh" : "code")) return invalid;
    if (c.expiresMs !== null && c.expiresMs < now) return invalid;
    let refreshToken = credential;
    if (grantType === "authorization_code") {
      if (c.used) return invalid;
      this.store.markUsed(credential);
      refreshToken = newCredential("refresh", this.sellerId());
      this.store.issue(refreshToken, "refresh", now, null);
    }
    const accessToken = newCredential("access", this.sellerId());
    this.store.issue(
      accessToken,
      "access",
      now,
      ACCESS_TOKEN_SECONDS,
      clientId !== undefined ? { clientId } : undefined,
    );
    return {
      status: 200,
      body: JSON.stringify({
        access_token: accessToken,
        refresh_token: refreshToken,
        token_type: "bearer",
        expires_in: ACCESS_TOKEN_SECONDS,
      }),
    };
  }

  // the SP-API -----------------------------------------------------------------------------------
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const route = routeOf(request.method, url.pathname);
    if (!route) return amazonErrors(404, "NotFound", "The requested resource does not exist.");
    // Read the body before any early answer (workerd refuses to read it after a response).
    const body = request.method === "POST" ? await jsonBody(request) : undefined;
    const faults = this.faults();
    const scale = faults.rateScale ?? 1;
    const plan = PLANS[route.op];
    const rateLimit = String(plan.rate * scale);
    if (faults.delayMs) await scheduler.wait(faults.delayMs);
    const now = this.now();

    // Who is calling: an access token, or a Restricted Data Token for this very path.
    const token = request.headers.get("x-amz-access-token");
    const cred = token ? this.store.credential(token) : undefined;
    if (!cred || cred.revoked || (cred.kind !== "access" && cred.kind !== "rdt")) {
      return unauthorized("The access token you provided is revoked, malformed or invalid.", rateLimit);
    }
    if (cred.expiresMs !== null && cred.expiresMs < now) {
      return unauthorized("The access token you provided has expired.", rateLimit);
    }
    if (cred.kind === "rdt") {
      const covered = rdtCovers(
        JSON.parse(cred.scope ?? '{"resources":[]}') as RdtScope,
        request.method,
        url.pathname,
      );
      if (!covered) {
        return unauthorized("The Restricted Data Token does not cover this resource.", rateLimit);
      }
    }
    const roles = await this.rolesOf(cred.scope);

    if (!this.store.takeToken(route.op, plan.rate * scale, plan.burst, now)) {
      return quotaExceeded(rateLimit);
    }
    const rolled = rollFault(faults, route.op, this.store.getSetting<number>("die") ?? 0);
    this.store.setSetting("die", rolled.dieState);
    if (rolled.fault) this.store.setSetting("faults", faults);
    if (rolled.fault === "throttle") {
      return quotaExceeded(rateLimit);
    }
    if (rolled.fault === "serverError") {
      const status = faults.serverErrors?.status ?? 503;
      return status === 500
        ? amazonErrors(
            500,
            "InternalFailure",
            "We encountered an internal error. Please try again.",
            "",
            rateLimit,
          )
        : amazonErrors(
            503,
            "ServiceUnavailable",
            "Service temporarily unavailable. Please try again.",
            "",
            rateLimit,
          );
    }
    if (
      rolled.fault === "malformed" &&
      route.op !== "confirmShipment" &&
      route.op !== "updateShipmentStatus"
    ) {
      return malformedAnswer(route.op, rateLimit);
    }

    if (rolled.fault === "lostRequest") return dropMarker();

    this.store.advance(now);
    const answer = this.answer(route, url, body, roles, cred.scope, now, rateLimit);
    if (rolled.fault === "lostAnswer") {
      await answer.body?.cancel();
      return dropMarker();
    }
    return answer;
  }

  private answer(
    route: Route,
    url: URL,
    body: unknown,
    roles: readonly AppRole[],
    scope: string | null,
    now: number,
    rateLimit: string,
  ): Response {
    switch (route.op) {
      case "searchOrders":
        return searchOrders(this.store, url, roles, now, rateLimit);
      case "getOrder":
        return getOrder(this.store, route.orderId as string, url, roles, now, rateLimit);
      case "confirmShipment":
        return confirmShipment(this.store, route.orderId as string, body, now, rateLimit);
      case "updateShipmentStatus":
        return updateShipmentStatus(this.store, route.orderId as string, body, now, rateLimit);
      case "createRestrictedDataToken":
        return this.createRdt(body, now, rateLimit, roles, scope);
    }
  }

  private createRdt(
    raw: unknown,
    now: number,
    rateLimit: string,
    roles: readonly AppRole[],
    appScope: string | null,
  ): Response {
    const body = (typeof raw === "object" && raw !== null ? raw : {}) as { restrictedResources?: unknown };
    const list = body.restrictedResources;
    if (!Array.isArray(list) || list.length === 0 || list.length > 50) {
      return amazonErrors(
        400,
        "InvalidRequest",
        "Request is missing or has invalid parameters",
        "Resource not provided.",
        rateLimit,
      );
    }
    const resources: RdtScope["resources"] = [];
    for (const r of list as { method?: unknown; path?: unknown; dataElements?: unknown }[]) {
      if (
        typeof r.method !== "string" ||
        !["GET", "PUT", "POST", "DELETE"].includes(r.method) ||
        typeof r.path !== "string" ||
        !r.path.startsWith("/")
      ) {
        return amazonErrors(
          400,
          "InvalidRequest",
          "Request is missing or has invalid parameters",
          "Resource not provided.",
          rateLimit,
        );
      }
      if (r.dataElements !== undefined && !Array.isArray(r.dataElements)) {
        return invalidInput("dataElements must be a list.", rateLimit);
      }
      resources.push({
        method: r.method,
        path: r.path,
        ...(Array.isArray(r.dataElements) ? { dataElements: r.dataElements.map(String) } : {}),
      });
    }
    // Amazon refuses an RDT for a path that needs none (Orders API 2026-01-01 among them).
    if (resources.some((r) => !isRestrictedPath(r.method, r.path.split("?")[0] as string))) {
      return invalidInput("Application do not have access to some or all requested resource", rateLimit);
    }
    const refused = refusedDataElements(
      resources.flatMap((r) => r.dataElements ?? []),
      roles,
    );
    if (refused.length > 0) {
      return invalidInput(
        `Application does not have access to one or more requested data elements: [${[...new Set(refused)].join(", ")}]`,
        rateLimit,
      );
    }
    const rdt = newCredential("rdt", this.sellerId());
    let clientId: unknown;
    try {
      clientId = (JSON.parse(appScope ?? "{}") as { clientId?: unknown }).clientId;
    } catch {
      clientId = undefined;
    }
    this.store.issue(rdt, "rdt", now, ACCESS_TOKEN_SECONDS, {
      resources,
      ...(typeof clientId === "string" ? { clientId } : {}),
    });
    return amazonJson({ restrictedDataToken: rdt, expiresIn: ACCESS_TOKEN_SECONDS }, rateLimit);
  }
}

/** The Durable Object that keeps one app's approved roles (not a seller). */
export function appState(env: SandboxEnv, clientId: string) {
  return env.AMAZON_SELLER.get(env.AMAZON_SELLER.idFromName(`app:${clientId}`));
}

async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return null;
  }
}

/** A 200 whose body breaks the model: the client must refuse it as a whole. */
function malformedAnswer(op: SandboxOperation, rateLimit: string): Response {
  const body =
    op === "createRestrictedDataToken"
      ? '{"restrictedDataToken": 42}'
      : op === "getOrder"
        ? '{"order": {"orderId": "202-0000000-0000000", "createdTime": "yesterday"}}'
        : '{"orders": [{"orderId": 12345, "createdTime": "not a date", "salesChannel": {}}], "pagination": {"nextToken": ';
  return new Response(body, {
    status: 200,
    headers: { "content-type": "application/json", "x-amzn-RateLimit-Limit": rateLimit },
  });
}
