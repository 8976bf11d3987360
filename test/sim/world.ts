// The simulated world around a running local stack (started with SIMULATED_CLOCK=true): one clock
// for the edge room and the sandbox's Amazon, the seller's account set up as a seller would (sign-up,
// Amazon connected through Seller Central consent, three couriers, shipping rules, SKU weights), and
// the sandbox's switches the fault schedule flips. Everything here goes through HTTP, as a person or
// Amazon would: the driver never reads or writes the product's storage.

// @ts-expect-error plain ESM script shared with `npm start`
import { signUpOnLocalStack } from "../../scripts/stack.mjs";

const json = { "Content-Type": "application/json" };

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  // No call waits forever: a request the local Worker dropped while reloading fails after a minute.
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000), ...init });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${url}: HTTP ${res.status} ${text.slice(0, 400)}`);
  return (text ? JSON.parse(text) : null) as T;
}

/**
 * The one simulated clock: real time plus an offset, the same offset in the seller's room
 * (POST /_dev/clock), at the sandbox's Amazon (POST /_sandbox/amazon/sellers/{id}/clock) and at the
 * seller's courier accounts (POST /_sandbox/couriers/{courier}/accounts/{account}/clock), so that
 * parcels are collected and delivered on the simulated days their orders are dispatched.
 */
export interface RoomWaits {
  sleepingUntil: number | null;
  nextJobAt: number | null;
  running: string[];
}

export class WorldClock {
  private offset = 0;

  constructor(
    private readonly edgeUrl: string,
    private readonly sandboxUrl: string,
    private readonly sellerId: string,
    private readonly partnerId: string,
  ) {}

  now(): number {
    return Date.now() + this.offset;
  }

  /** Moves both worlds forward to `at` (no-op when time has already passed it). */
  async advanceTo(at: number): Promise<void> {
    const ms = Math.floor(at - this.now());
    if (ms <= 0) return;
    this.offset += ms;
    // Amazon and the couriers first, then the room: the room's clock is never ahead of Amazon's, so
    // a token LWA issues during the move is never older at Amazon than the room counts it (moved
    // side by side, a room that moved first took a token issued on Amazon's old time for a fresh
    // one, and Amazon refused it as expired: one confirmation in session 8's month).
    await Promise.all([this.sandboxTo(), ...this.couriers.map((c) => this.courierTo(c))]);
    await this.edgeTo();
  }

  private readonly couriers: { url: string; offset: number }[] = [];

  /** The seller's courier accounts follow this clock from now on (moved at once to its time). */
  async followCouriers(accounts: { courier: string; account: string }[]): Promise<void> {
    for (const a of accounts) {
      const c = {
        url: `${this.sandboxUrl}/_sandbox/couriers/${a.courier}/accounts/${encodeURIComponent(a.account)}/clock`,
        offset: 0,
      };
      this.couriers.push(c);
      await this.courierTo(c);
    }
  }

  private async courierTo(c: { url: string; offset: number }): Promise<void> {
    await this.retrying(async (first) => {
      const at = first
        ? c.offset
        : (
            await call<{ offsetMs: number }>(c.url, {
              method: "POST",
              headers: json,
              body: '{"advanceMs":0}',
            })
          ).offsetMs;
      const ms = this.offset - at;
      c.offset = this.offset;
      if (ms > 0)
        await call(c.url, {
          method: "POST",
          headers: json,
          body: JSON.stringify({ advanceMs: Math.round(ms) }),
        });
    });
  }

  // Each side is moved by the offset's change since its last move. After a failed call (a Worker
  // that restarted mid-request: wrangler reloads when a source file changes) the side's offset is
  // read back first, since it may or may not have moved, and a clock moved twice would leave the
  // two worlds apart.
  private edgeOffset = 0;
  private sandboxOffset = 0;

  private async edgeTo(): Promise<void> {
    await this.retrying(async (first) => {
      const ms = first ? this.offset - this.edgeOffset : this.offset - (await this.edgeOffsetNow());
      this.edgeOffset = this.offset;
      if (ms > 0 || first)
        await call(`${this.edgeUrl}/_dev/clock`, {
          method: "POST",
          headers: json,
          body: JSON.stringify({ sellerId: this.sellerId, advanceMs: Math.max(0, Math.round(ms)) }),
        });
    });
  }

  /**
   * Orders the world planned that no buyer could place: the listing's quantity the seller pushed
   * (through Consign) offered too few units when their time came. Amazon says so at each move.
   */
  readonly withdrawn = new Set<string>();

  private async sandboxTo(): Promise<void> {
    await this.retrying(async (first) => {
      const ms = first ? this.offset - this.sandboxOffset : this.offset - (await this.sandboxOffsetNow());
      this.sandboxOffset = this.offset;
      if (ms > 0 || first) {
        const r = await call<{ withdrawn?: { orderId: string }[] }>(
          `${this.sandboxUrl}/_sandbox/amazon/sellers/${this.partnerId}/clock`,
          {
            method: "POST",
            headers: json,
            body: JSON.stringify({ advanceMs: Math.max(0, Math.round(ms)) }),
          },
        );
        for (const w of r?.withdrawn ?? []) this.withdrawn.add(w.orderId);
      }
    });
  }

  /**
   * What the seller's room waits for on its clock now (`SellerRoom.advanceClock` with 0): the end of its
   * earliest pending sleep (a courier's or Amazon's rate limit, a retry's backoff), its earliest due job,
   * and the jobs running (real work: the room is not waiting).
   */
  async roomWaits(): Promise<RoomWaits> {
    return call<RoomWaits>(`${this.edgeUrl}/_dev/clock`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ sellerId: this.sellerId, advanceMs: 0 }),
    });
  }

  private async edgeOffsetNow(): Promise<number> {
    const r = await call<{ offsetMs: number }>(`${this.edgeUrl}/_dev/clock`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ sellerId: this.sellerId, advanceMs: 0 }),
    });
    return r.offsetMs;
  }

  /** The sandbox tells its time, not its offset: this is that time less ours (a few ms off at most). */
  private async sandboxOffsetNow(): Promise<number> {
    const r = await call<{ now: string }>(`${this.sandboxUrl}/_sandbox/amazon/sellers/${this.partnerId}`);
    return Date.parse(r.now) - Date.now();
  }

  private async retrying(fn: (first: boolean) => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await fn(attempt === 0);
        return;
      } catch (e) {
        if (attempt >= 10) throw e;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
}

export interface Session {
  email: string;
  password: string;
  sellerId: string;
}

/** One signed-in device: a session token and fresh access tokens (10 minutes) when needed. */
export class Device {
  private session: string | null = null;
  private token: { value: string; until: number } | null = null;

  constructor(
    readonly edgeUrl: string,
    readonly who: Session,
    readonly name: string,
  ) {}

  async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.until) return this.token.value;
    if (!this.session) {
      const r = await call<{ sessionToken: string }>(`${this.edgeUrl}/auth/signin`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ email: this.who.email, password: this.who.password, deviceName: this.name }),
      });
      this.session = r.sessionToken;
    }
    const { accessToken } = await call<{ accessToken: string }>(`${this.edgeUrl}/auth/token`, {
      method: "POST",
      headers: { ...json, Authorization: `Bearer ${this.session}` },
      body: JSON.stringify({ sellerId: this.who.sellerId }),
    });
    this.token = { value: accessToken, until: Date.now() + 8 * 60_000 };
    return accessToken;
  }

  /** /api/v1 as the PWA calls it; answers with status and body (the caller decides what is an error). */
  async api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(`${this.edgeUrl}/api/v1${path}`, {
          signal: AbortSignal.timeout(60_000),
          ...init,
          headers: { ...json, ...(init.headers ?? {}), Authorization: `Bearer ${await this.accessToken()}` },
        });
      } catch (e) {
        // The local Worker reloading (a source file changed): try again, as a tablet would.
        if (attempt < 20) {
          await new Promise((r) => setTimeout(r, 1000));
          continue;
        }
        throw e;
      }
      const text = await res.text();
      if (res.status === 503 && /restarted mid-request/.test(text) && attempt < 20) {
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      // The device's own rate limit: wait as told, as the PWA does.
      if (res.status === 429 && attempt < 20) {
        await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get("retry-after") ?? 1)));
        continue;
      }
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
    }
  }

  async write<T>(path: string, body: unknown, method = "POST"): Promise<{ status: number; body: T }> {
    return this.api<T>(path, {
      method,
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify(body),
    });
  }
}

export interface SimSeller {
  sellerId: string;
  partnerId: string;
  owner: Session;
  setup: Device;
}

/**
 * A new seller on the stack with its own sandbox Amazon account (no orders yet: the simulation plans
 * them day by day), connected through the consent flow, with the import's first pass done.
 */
export async function newSeller(edgeUrl: string, sandboxUrl: string, label: string): Promise<SimSeller> {
  const email = `sim-${label}-${Date.now()}@example.co.uk`;
  const password = "simulated month password";
  const signup: { memberships: { sellerId: string }[] } = await signUpOnLocalStack(edgeUrl, {
    sellerName: `Sim ${label} Ltd`,
    name: "Owner",
    email,
    password,
    deviceName: "setup",
  });
  const sellerId = signup.memberships[0]?.sellerId;
  if (!sellerId) throw new Error("sign-up gave no seller");
  const owner = { email, password, sellerId };
  const setup = new Device(edgeUrl, owner, "setup");
  const partnerId = `A1SIM${label.toUpperCase().replace(/[^A-Z0-9]/g, "")}${Date.now().toString(36).toUpperCase()}`;
  await call(`${sandboxUrl}/_sandbox/amazon/sellers/${partnerId}/seed`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ orders: 0, unshipped: 0, historyDays: 1, arrivalsPerHour: 0, seed: label }),
  });
  const connect = await setup.write<{ url: string }>("/amazon/connect", {});
  if (connect.status !== 200)
    throw new Error(`connect: HTTP ${connect.status} ${JSON.stringify(connect.body)}`);
  const consent = new URL(connect.body.url);
  consent.searchParams.set("auto", "1");
  consent.searchParams.set("sandbox_seller", partnerId);
  const toCallback = await fetch(consent, { redirect: "manual" });
  const back = await fetch(toCallback.headers.get("location") ?? "", { redirect: "manual" });
  if (back.headers.get("location") !== "/settings?amazon=connected")
    throw new Error(`the Amazon callback sent the browser to ${back.headers.get("location")}`);
  for (const started = Date.now(); ; await new Promise((r) => setTimeout(r, 500))) {
    const status = await setup.api<{ import: { unshippedComplete: boolean } | null }>("/amazon/status");
    if (status.body.import?.unshippedComplete) break;
    if (Date.now() - started > 120_000)
      throw new Error(`the first import did not finish: ${JSON.stringify(status.body)}`);
  }
  return { sellerId, partnerId, owner, setup };
}

/** The courier accounts' names at the sandbox (the keys the seller entered). */
export interface CourierAccounts {
  royalMail: string;
  dpd: string;
  evri: string;
}

/**
 * Royal Mail (Tracked 24 for Prime, Tracked 48 otherwise, up to 750 g), Evri (to 2 kg) and DPD
 * (heavier); failover on, the sender, and the SKU weights the seller knows.
 */
export async function setUpShipping(
  s: SimSeller,
  skuWeights: Record<string, number>,
): Promise<CourierAccounts> {
  // Each seller its own courier accounts (the two runs of a month never share a fault switch).
  const tag = s.sellerId.replace(/[^A-Za-z0-9]/g, "").slice(0, 12);
  const accounts = { royalMail: `simrm${tag}`, dpd: `simdpd${tag}`, evri: `simevri${tag}` };
  const must = async (path: string, body: unknown, method = "PUT") => {
    const res = await s.setup.write(path, body, method);
    if (res.status !== 200)
      throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  };
  await must("/couriers/royal-mail", { apiKey: accounts.royalMail });
  await must("/couriers/dpd", { username: accounts.dpd, password: "pw", accountNumber: "1234567" });
  await must("/couriers/evri", {
    username: accounts.evri,
    password: "pw",
    clientId: "1001",
    clientName: "Sim",
  });
  await must("/rules", {
    rules: [
      {
        id: "prime-light",
        when: { prime: true, weightGrams: { max: 750 } },
        use: { courier: "royal-mail", serviceCode: "TPN24", format: "small-parcel" },
      },
      {
        id: "light",
        when: { weightGrams: { max: 750 } },
        use: { courier: "royal-mail", serviceCode: "TPS48", format: "small-parcel" },
      },
      { id: "mid", when: { weightGrams: { max: 2000 } }, use: { courier: "evri", serviceCode: "EVRI24" } },
      { id: "heavy", when: {}, use: { courier: "dpd", serviceCode: "1^12" } },
    ],
  });
  await must(
    "/settings",
    {
      sender: {
        name: "Despatch",
        companyName: "Sim Ltd",
        line1: "1 Mill Lane",
        city: "Leeds",
        postcode: "LS1 1AA",
      },
      skuWeights,
    },
    "PATCH",
  );
  return accounts;
}

/** The sandbox's switches the fault schedule flips (all through its control API). */
export class Switches {
  constructor(
    private readonly sandboxUrl: string,
    private readonly partnerId: string,
    private readonly accounts: CourierAccounts,
  ) {}

  private courierAccount(courier: "royalmail" | "dpd" | "evri"): string {
    return courier === "royalmail"
      ? this.accounts.royalMail
      : courier === "dpd"
        ? this.accounts.dpd
        : this.accounts.evri;
  }

  async courierFaults(courier: "royalmail" | "dpd" | "evri", faults: Record<string, unknown>): Promise<void> {
    await call(
      `${this.sandboxUrl}/_sandbox/couriers/${courier}/accounts/${encodeURIComponent(this.courierAccount(courier))}/faults`,
      { method: "PUT", headers: json, body: JSON.stringify(faults) },
    );
  }

  async amazonFaults(faults: Record<string, unknown> | null): Promise<void> {
    await call(`${this.sandboxUrl}/_sandbox/amazon/sellers/${this.partnerId}/faults`, {
      method: faults ? "POST" : "DELETE",
      headers: json,
      ...(faults ? { body: JSON.stringify(faults) } : {}),
    });
  }

  async planDay(body: Record<string, unknown>): Promise<DayPlan> {
    return call(`${this.sandboxUrl}/_sandbox/sim/sellers/${this.partnerId}/days`, {
      method: "POST",
      headers: json,
      body: JSON.stringify(body),
    });
  }

  /** The average number of orders a day over `days` days from `startMs` (the world's own volumes). */
  async averageVolume(
    startMs: number,
    days: number,
    averagePerDay: number,
    peakDay: number | null,
  ): Promise<number> {
    const q = new URLSearchParams({
      from: new Date(startMs).toISOString().slice(0, 10),
      days: String(days),
      averagePerDay: String(averagePerDay),
      ...(peakDay !== null ? { peakDay: String(peakDay) } : {}),
    });
    const r = await call<{ average: number }>(`${this.sandboxUrl}/_sandbox/sim/volumes?${q}`);
    return r.average;
  }

  health(): Promise<AmazonHealth> {
    return call(`${this.sandboxUrl}/_sandbox/sim/sellers/${this.partnerId}/health`);
  }

  outcomes(): Promise<{
    now: string;
    outcomes: AmazonOutcome[];
    withdrawn: { orderId: string; createdMs: number; sku: string }[];
  }> {
    return call(`${this.sandboxUrl}/_sandbox/sim/sellers/${this.partnerId}/outcomes`);
  }

  confirmations(): Promise<{ accepted: number; refused: number; acceptedTwice: string[] }> {
    return call(`${this.sandboxUrl}/_sandbox/amazon/sellers/${this.partnerId}/confirmations`);
  }

  purchases(courier: "royalmail" | "dpd" | "evri"): Promise<{ purchases: number; purchaseRequests: number }> {
    return call(
      `${this.sandboxUrl}/_sandbox/couriers/${courier}/accounts/${encodeURIComponent(this.courierAccount(courier))}/purchases`,
    );
  }
}

export interface DayPlan {
  day: string;
  orders: number;
  prime: number;
  multiItem: number;
  cancelRequests: number;
  addressProblems: number;
  skus: string[];
  traits: Record<
    string,
    {
      createdMs: number;
      cancelRequestMs?: number;
      prime: boolean;
      items: number;
      cancelRequest: boolean;
      addressProblem: boolean;
      /** The full postcode of an address problem: what the owner finds when she looks it up. */
      fullPostcode?: string;
    }
  >;
}

export interface RateFigure {
  numerator: number;
  denominator: number;
  rate: number | null;
}

export interface AmazonHealth {
  at: string;
  lateDispatch10: RateFigure;
  lateDispatch30: RateFigure;
  preFulfilmentCancellation7: RateFigure;
  validTracking30: RateFigure;
  onTimeDelivery14: RateFigure;
  orderDefect60: RateFigure;
  negativeFeedback: number;
  claims: number;
  refunds: number;
}

export interface AmazonOutcome {
  orderId: string;
  createdMs: number;
  latestShipMs: number;
  confirmedMs: number | null;
  confirmationsAccepted: number;
  confirmationsRefused: number;
  lateDispatch: boolean;
  validTracking: boolean;
  deliveredMs: number | null;
  onTimeDelivery: boolean | null;
  lost: boolean;
  negativeFeedbackMs: number | null;
  claimMs: number | null;
  refundMs: number | null;
  cancelled: "buyer" | "seller" | null;
  cancelRequested: boolean;
  prime: boolean;
}
