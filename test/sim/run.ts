// One simulated run: a seller's days on a running local stack (SIMULATED_CLOCK=true), the team
// taking orders by one policy, the faults on their schedule, and at the end of each day the
// metrics as Consign computes them beside the sandbox Amazon's own account-health figures.

import type { Order } from "@consign/domain";
import { countLedger, type Ledger, roomOrders } from "./ledger.ts";
import {
  type BatchLog,
  basePace,
  openRequests,
  Packer,
  type Policy,
  type PrintEdit,
  packMinutes,
  queue,
  SHIFTS,
} from "./team.ts";
import {
  type AmazonHealth,
  type AmazonOutcome,
  Device,
  newSeller,
  type RateFigure,
  Switches,
  setUpShipping,
  WorldClock,
} from "./world.ts";

const MIN = 60_000;
/**
 * Fast-forward: after this long (real) without progress the driver asks the room what it waits for on its
 * clock, and moves time on to the end of that wait (a sleep on a rate limit or backoff; the earliest due
 * job when no job is running). While the room is working (a job running, nothing asleep), nothing moves.
 */
const NUDGE_AFTER_MS = 150;
/**
 * After this long (real) without progress with nothing to wait for in the room (a wait elsewhere: the
 * sandbox's own limits), simulated time moves on blindly…
 */
const BLIND_NUDGE_AFTER_MS = 1_500;
/** …by this much, doubling while nothing moves, up to NUDGE_MAX_MS. */
const NUDGE_MS = 1_000;
const NUDGE_MAX_MS = 4_000;
/** …and while a label run waits (the couriers' limits and retries), up to this much at once. */
const LABEL_NUDGE_MAX_MS = 16_000;
/** The longest jump while a confirmation waits out a retry (its due time is the room's to know). */
const BACKOFF_STEP_MS = 30_000;
/** The least step to a confirmation's retry time (the room's alarm at that time has yet to run). */
const RETRY_FLOOR_MS = 5_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export type FaultKind = "royal-mail-down" | "amazon-429" | "slow-courier" | "room-evicted" | "tablet-offline";

export interface Fault {
  kind: FaultKind;
  /** Day index (0 = the first simulated day) and UTC time it starts. */
  day: number;
  at: string;
  minutes: number;
}

export interface RunOptions {
  edgeUrl: string;
  sandboxUrl: string;
  policy: Policy;
  days: number;
  averagePerDay: number;
  seed: string;
  /** 00:00 UTC of the first day (a Monday, in the future). */
  startMs: number;
  /** Day index of the Black-Friday-like day (three times normal), or null. */
  peakDay: number | null;
  faults: Fault[];
  stepMinutes?: number;
  /**
   * Move simulated time on while the product waits on its own clock during a label run or a
   * confirmation drain (default true). Off: those waits take their full time in real time.
   */
  fastForward?: boolean;
  batchMax?: number;
  /**
   * When the owner goes through the orders the product flagged for their address (UTC, "HH:MM"):
   * default twice a day, late morning and late afternoon.
   */
  ownerAddressLooks?: string[];
  /** Share of orders whose postcode no courier takes (the world's default: 0.4%). */
  addressProblemShare?: number;
  /** The stock shortfall the world brings (./schedule.ts stockShortfall), or none. */
  stockShortfall?: StockShortfall | null;
  log?: (line: string) => void;
}

/**
 * A SKU runs short: at `countAt` on `day` the owner's count of the day's best seller finds only
 * half the units its open orders need on the shelf (damaged in the store room), and records the
 * count in the app (POST /stock/adjustments); orders for it wait; the supplier's restock arrives
 * at `restockAt` and she records it.
 */
export interface StockShortfall {
  day: number;
  countAt: string;
  /** Days after `day` the restock arrives (0: the same day), and at what time. */
  restockAfterDays?: number;
  restockAt: string;
}

/** What the shortfall did: which SKU, the orders the app flagged "no stock", and what became of them. */
export interface StockFigures {
  sku: string;
  countedAt: string;
  /** Units the count found (the level recorded), and units the open orders needed then. */
  counted: number;
  neededAtCount: number;
  restockedAt: string | null;
  restocked: number;
  /** Each order the app flagged "no stock", when first seen flagged, and when its label was bought. */
  flagged: { orderId: string; flaggedAt: number; unflaggedAt: number | null; labelAt: number | null }[];
  /** Label runs asked for an order the app flagged at that moment (the team never should). */
  boughtWhileShort: string[];
}

export interface DayFigures {
  day: string;
  orders: number;
  prime: number;
  multiItem: number;
  cancelRequests: number;
  addressProblems: number;
  printed: number;
  backlogAtEnd: number;
  consign: Record<string, RateFigure & { status?: string }>;
  amazon: AmazonHealth;
}

/**
 * The driver's own account of itself: where its real time went, what it waited on, and how far
 * simulated time ran on while it worked (real time that leaked into the simulation).
 */
export interface DriverFigures {
  steps: number;
  /** Real milliseconds spent moving the clock and waiting on the product, by what it waited for. */
  realMs: {
    clock: number;
    arrivals: number;
    labelRuns: number;
    labelsOnTablet: number;
    confirmations: number;
    owner: number;
    total: number;
  };
  /** Waits given up on because the product made no progress (time moved on with the work outstanding). */
  gaveUp: { at: string; waitingFor: string; what: string }[];
  /** Label runs that finished without buying or failing some of their orders (status still "queued"). */
  runsLeftOrders: { runId: string; orderIds: string[] }[];
  /** Simulated time moved on while the product waited on its own clock (rate limits, retries). */
  nudgedMs: number;
  /** Moves of the clock to the end of what the room said it waited for (a sleep, a due job). */
  nudgesToWake: number;
  /** Moves made without the room naming a wait (after BLIND_NUDGE_AFTER_MS of nothing moving). */
  blindNudges: number;
  /** Steps that moved on while Amazon throttled the import (its backoff is simulated time). */
  movedOnDuringFaults: number;
  /** Steps whose work ran past the next step's simulated time, by how much in total and at most. */
  overrun: { steps: number; totalMs: number; maxMs: number };
}

export interface RunResult {
  driver: DriverFigures;
  /** Per tablet, each time the room renewed the document and what the tablet carried across. */
  renewals: { carried: number; skipped?: string }[][];
  policy: Policy;
  sellerId: string;
  partnerId: string;
  startMs: number;
  days: DayFigures[];
  wallMs: number;
  pace: { baseMinutes: number; capacityPerDay: number; averageDemand: number };
  faultsApplied: { kind: FaultKind; from: string; to: string; note: string }[];
  batches: BatchLog[];
  printEdits: PrintEdit[];
  /** At the end: what the room holds, what Amazon and the couriers received. */
  ledger: Ledger;
  outcomes: AmazonOutcome[];
  /** Addresses the owner corrected (PUT /orders/{id}/address-correction), when flagged and when fixed. */
  corrections: AddressCorrectionLog[];
  /** Why each late order was late (the report lists them). */
  lateOrders: { orderId: string; latestShip: string; confirmed: string | null; why: string }[];
  /** The stock shortfall's effect, when the world brought one. */
  stock: StockFigures | null;
  /** Orders the world planned that buyers could not place: the listing's quantity (as Consign pushed it) offered too few. */
  withdrawn: { orderId: string; createdMs: number; sku: string }[];
}

export interface AddressCorrectionLog {
  orderId: string;
  /** When a label run first refused it for its address (simulated time), and what it said. */
  flaggedAt: number;
  error: string;
  /** When the owner corrected it, or null with why she could not. */
  correctedAt: number | null;
  postcode: { from: string; to: string } | null;
  outcome: string;
}

/** The owner's looks at the orders flagged for their address: late morning and late afternoon. */
export const OWNER_ADDRESS_LOOKS = ["11:00", "16:00"];

/** A label run's refusal that only a corrected address can mend (not a courier down or slow). */
export function isAddressRefusal(error: string): boolean {
  return /delivery address|postcode/i.test(error) && !/\b(503|unavailable|timed out|timeout)\b/i.test(error);
}

const hhmm = (s: string) => {
  const [h, m] = s.split(":").map(Number);
  return ((h ?? 0) * 60 + (m ?? 0)) * MIN;
};

/** The weight a seller enters for a SKU: the same each run (light, mid, heavy parcels). */
function weightOf(sku: string): number {
  let h = 0;
  for (const c of sku) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return [250, 400, 600, 900, 1500, 2600][h % 6] ?? 400;
}

export async function runSimulation(opts: RunOptions): Promise<RunResult> {
  const stepMs = (opts.stepMinutes ?? 5) * MIN;
  const batchMax = opts.batchMax ?? 25;
  const fastForward = opts.fastForward ?? true;
  const started = Date.now();
  const seller = await newSeller(opts.edgeUrl, opts.sandboxUrl, opts.policy);
  const clock = new WorldClock(opts.edgeUrl, opts.sandboxUrl, seller.sellerId, seller.partnerId);
  const rawLog = opts.log ?? (() => {});
  // SIM_TRACE=1: each line with the real seconds since the start and the simulated time, and each
  // label run's real cost (where the driver's time goes, step by step).
  const trace = !!process.env.SIM_TRACE;
  const log = trace
    ? (line: string) =>
        rawLog(
          `${((Date.now() - started) / 1000).toFixed(1).padStart(7)} ${new Date(clock.now()).toISOString().slice(11, 19)} ${line}`,
        )
    : rawLog;
  const skuWeights: Record<string, number> = {};
  const accounts = await setUpShipping(seller, skuWeights);
  const switches = new Switches(opts.sandboxUrl, seller.partnerId, accounts);
  await clock.followCouriers([
    { courier: "royalmail", account: accounts.royalMail },
    { courier: "dpd", account: accounts.dpd },
    { courier: "evri", account: accounts.evri },
  ]);
  const wsUrl = `${opts.edgeUrl.replace(/^http/, "ws")}/sync`;
  const packers = SHIFTS.map(
    (shift, i) =>
      new Packer(
        `Packer ${i + 1}`,
        shift,
        new Device(opts.edgeUrl, seller.owner, `tablet ${i + 1}`),
        wsUrl,
        seller.sellerId,
      ),
  );
  await Promise.all(packers.map((p) => p.connect()));
  log(
    `[${opts.policy}] seller ${seller.sellerId} on sandbox Amazon ${seller.partnerId}; clock to ${new Date(opts.startMs).toISOString()}`,
  );
  await clock.advanceTo(opts.startMs);

  const printEdits: PrintEdit[] = [];
  const batches: BatchLog[] = [];
  const faultsApplied: RunResult["faultsApplied"] = [];
  const days: DayFigures[] = [];
  const itemsOf = new Map<string, number>();
  const failures = new Map<string, string>();
  let pace = 0;
  let demandAverage = opts.averagePerDay;
  let totalPlanned = 0;
  const claimed = new Set<string>();
  /**
   * Orders a label run refused for their address: the packer leaves them for the owner (kept in
   * `claimed`), who corrects them at her next look; then they go back into the queue.
   */
  const forOwner = new Map<string, AddressCorrectionLog>();
  const corrections: AddressCorrectionLog[] = [];
  /** The full postcode of each address problem the world made (what the owner finds when she looks). */
  const fullPostcodes = new Map<string, string>();
  const addressLooks = (opts.ownerAddressLooks ?? OWNER_ADDRESS_LOOKS).map(hhmm).sort((a, b) => a - b);
  /** The owner's next look at flagged addresses after `t` (ms). */
  const nextAddressLookAfter = (t: number): number => {
    const day = t - ((t - opts.startMs) % DAY);
    for (const d of [0, 1]) for (const m of addressLooks) if (day + d * DAY + m > t) return day + d * DAY + m;
    return t + DAY;
  };
  // The stock shortfall: the owner's count, the restock, and every order the app flagged meanwhile.
  const shortfall = opts.stockShortfall ?? null;
  const countAt = shortfall ? opts.startMs + shortfall.day * DAY + hhmm(shortfall.countAt) : Number.NaN;
  const restockAt = shortfall
    ? opts.startMs + (shortfall.day + (shortfall.restockAfterDays ?? 0)) * DAY + hhmm(shortfall.restockAt)
    : Number.NaN;
  let stock: StockFigures | null = null;
  const flaggedShort = new Map<string, StockFigures["flagged"][number]>();
  /** The orders the app flags "no stock" now (on a tablet online), noted with when first seen. */
  const noteShortfalls = (t: number): ReadonlySet<string> => {
    const viewer = online()[0];
    if (!stock || !viewer) return new Set();
    const short = viewer.shortOrders();
    for (const id of short) {
      const f = flaggedShort.get(id);
      if (!f) flaggedShort.set(id, { orderId: id, flaggedAt: t, unflaggedAt: null, labelAt: null });
      else f.unflaggedAt = null;
    }
    for (const f of flaggedShort.values())
      if (!short.has(f.orderId) && f.unflaggedAt === null) f.unflaggedAt = t;
    return short;
  };
  const stockEvent = async (t: number): Promise<boolean> => {
    if (!shortfall) return false;
    if (stock === null && t >= countAt) {
      // The owner counts the SKU the open orders need most: half the units they need are on the
      // shelf (none, when they need one), the rest damaged in the store room.
      const viewer = online()[0] ?? packers[0];
      const dayStart = t - ((t - opts.startMs) % DAY);
      const sold = new Map<string, number>();
      const need = new Map<string, number>();
      for (const o of viewer?.orders() ?? []) {
        const open = o.state === "new" || o.state === "ready";
        for (const i of o.items) {
          if (o.purchaseDate >= dayStart) sold.set(i.sku, (sold.get(i.sku) ?? 0) + i.quantityOrdered);
          if (open) need.set(i.sku, (need.get(i.sku) ?? 0) + i.quantityOrdered);
        }
      }
      // The SKU the open orders need most (ties: the day's best seller): once Amazon's listing
      // follows the count, only orders already placed can be stranded, so a count of a SKU no open
      // order needs would show nothing. No open order at all: the day's best seller.
      const skus = new Set([...sold.keys(), ...need.keys()]);
      const sku = [...skus].sort(
        (a, b) =>
          (need.get(b) ?? 0) - (need.get(a) ?? 0) ||
          (sold.get(b) ?? 0) - (sold.get(a) ?? 0) ||
          (a < b ? -1 : 1),
      )[0];
      const units = sku ? (need.get(sku) ?? 0) : 0;
      // Nothing open to pick yet: the shortfall is found at the first step after midday that an
      // open order needs the SKU (a packer reaching for it), not at a count that would strand none.
      if (!sku || units === 0) return false;
      const counted = Math.floor(units / 2);
      // A count of none is recorded as one in and one out: the SKU is tracked at 0.
      const changes =
        counted > 0
          ? [{ sku, delta: counted }]
          : [
              { sku, delta: 1 },
              { sku, delta: -1 },
            ];
      const r = await seller.setup.write("/stock/adjustments", { changes });
      if (r.status !== 200) throw new Error(`stock count: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      stock = {
        sku,
        countedAt: new Date(t).toISOString(),
        counted,
        neededAtCount: units,
        restockedAt: null,
        restocked: 0,
        flagged: [],
        boughtWhileShort: [],
      };
      log(`  stock: the count finds ${counted} of ${sku} on the shelf; open orders need ${units}`);
      return true;
    }
    if (stock !== null && stock.restockedAt === null && t >= restockAt) {
      // The supplier's delivery, and the seller's regular restocks from then on: enough for every
      // order of the rest of the run (one delivery of 50 ran out again six days later in the month
      // and starved 57 orders, a world that never restocks, not the product).
      const units = Math.min(100_000, 3 * opts.averagePerDay * opts.days + 50);
      const r = await seller.setup.write("/stock/adjustments", {
        changes: [{ sku: stock.sku, delta: units }],
      });
      if (r.status !== 200) throw new Error(`restock: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      stock.restockedAt = new Date(t).toISOString();
      stock.restocked = units;
      log(`  stock: ${units} of ${stock.sku} restocked`);
      return true;
    }
    return false;
  };
  const active = new Map<FaultKind, number>();
  let evictNextBatch = false;
  /** Labels bought whose tablet had not seen them yet when it printed its batch. */
  const leftovers = new Map<string, Packer>();
  let offlinePacker = null as { packer: Packer; until: number } | null;
  let pendingOffline = null as number | null;

  const startFault = async (f: Fault, at: number) => {
    const until = at + f.minutes * MIN;
    active.set(f.kind, until);
    const note = {
      "royal-mail-down": "Royal Mail's API answers nothing (503) for every call",
      "amazon-429": "Amazon answers 429 to 90% of SP-API calls",
      "slow-courier": "Evri holds each label answer 4 s (real time)",
      "room-evicted": "the seller's room is evicted while a label run is in flight",
      "tablet-offline": "a packer's tablet loses its connection after buying a batch",
    }[f.kind];
    faultsApplied.push({
      kind: f.kind,
      from: new Date(at).toISOString(),
      to: new Date(until).toISOString(),
      note,
    });
    log(`  fault on: ${f.kind} at ${new Date(at).toISOString().slice(0, 16)}`);
    if (f.kind === "royal-mail-down") await switches.courierFaults("royalmail", { down: true });
    if (f.kind === "amazon-429") await switches.amazonFaults({ throttle: { rate: 0.9 } });
    if (f.kind === "slow-courier")
      await switches.courierFaults("evri", { timeoutMs: 4_000, timeouts: 10_000 });
    if (f.kind === "room-evicted") evictNextBatch = true;
    if (f.kind === "tablet-offline") pendingOffline = until;
  };
  /** Amazon is throttling the import at `at`, or its backoff from a storm that ended under 15 minutes ago still runs. */
  const throttled = (at: number) =>
    active.has("amazon-429") || (stormEndedAt !== null && at - stormEndedAt < 15 * MIN);
  /** When Amazon's 429 storm last ended (simulated time): the import's backoff outlives it a while. */
  let stormEndedAt: number | null = null;
  const endFault = async (kind: FaultKind) => {
    active.delete(kind);
    if (kind === "amazon-429") stormEndedAt = clock.now();
    log(`  fault off: ${kind}`);
    if (kind === "royal-mail-down") await switches.courierFaults("royalmail", {});
    if (kind === "amazon-429") await switches.amazonFaults(null);
    if (kind === "slow-courier") await switches.courierFaults("evri", {});
  };

  /** One batch: labels bought through /api/v1, printed on the tablet, then packed. */
  const runBatch = async (p: Packer, orders: Order[], startAt: number): Promise<number> => {
    const ids = orders.map((o) => o.orderId);
    for (const id of ids) claimed.add(id);
    const logEntry: BatchLog = { packer: p.name, at: startAt, orders: ids.length, bought: 0, failed: [] };
    batches.push(logEntry);
    const r0 = Date.now();
    const n0 = driver.nudgedMs;
    const s0 = clock.now();
    const started = await p.device.write<{ runId: string }>("/labels/runs", { orderIds: ids });
    if (started.status !== 202) {
      logEntry.failed = ids.map((orderId) => ({
        orderId,
        error: `HTTP ${started.status}: ${JSON.stringify(started.body).slice(0, 200)}`,
      }));
      for (const id of ids) claimed.delete(id);
      released = true;
      return 2;
    }
    if (evictNextBatch) {
      evictNextBatch = false;
      const r = await fetch(`${opts.edgeUrl}/_dev/evict`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sellerId: seller.sellerId }),
      });
      log(`  room evicted mid-run: HTTP ${r.status}`);
      await new Promise((r) => setTimeout(r, 500));
      await Promise.all(packers.filter((x) => !x.offline).map((x) => x.connect()));
    }
    type Run = { state: string; orders: { orderId: string; status: string; error: string | null }[] };
    let run: Run | null = null;
    const left = await settle(
      "labelRuns",
      async () => {
        const r = await p.device.api<Run>(`/labels/runs/${started.body.runId}`);
        if (r.status !== 200) return [`HTTP ${r.status}`];
        if (r.body.state === "finished") {
          run = r.body;
          return [];
        }
        const open = r.body.orders.filter((o) => !["bought", "already_bought", "failed"].includes(o.status));
        return open.length ? open.map((o) => o.orderId) : ["(the run's print file)"];
      },
      // A label run's waits are the couriers' rate limits and retries on the room's clock: moved
      // on by up to LABEL_NUDGE_MAX_MS at a time (a label bought a few seconds later in simulated
      // time changes nothing the report counts; a confirmation's 60-s measure keeps 4 s).
      { idleMs: 60_000, nudge: true, toWake: true, nudgeMaxMs: LABEL_NUDGE_MAX_MS, pollMs: 60 },
    );
    if (trace)
      log(
        `  label run ${ids.length} for ${p.name}: ${Date.now() - r0} ms real, ${((clock.now() - s0) / 1000).toFixed(1)} s simulated (${(driver.nudgedMs - n0) / 1000} s fast-forwarded)${active.has("slow-courier") ? " (Evri slow)" : ""}`,
      );
    if (!run)
      throw new Error(`label run ${started.body.runId} did not finish: ${left.slice(0, 5).join(", ")}`);
    run = run as Run;
    const bought = run.orders
      .filter((o) => o.status === "bought" || o.status === "already_bought")
      .map((o) => o.orderId);
    for (const f of run.orders.filter((o) => o.status === "failed")) {
      const error = f.error ?? "failed";
      logEntry.failed.push({ orderId: f.orderId, error });
      // Refused for its address (Consign names the postcode): the packer leaves it for the owner,
      // who corrects addresses at her looks; anything else (a courier down) is tried again later.
      if (isAddressRefusal(error)) {
        if (!forOwner.has(f.orderId)) {
          const entry: AddressCorrectionLog = {
            orderId: f.orderId,
            flaggedAt: clock.now(),
            error,
            correctedAt: null,
            postcode: null,
            outcome: "waiting for the owner",
          };
          forOwner.set(f.orderId, entry);
          corrections.push(entry);
        }
        log(`  ${f.orderId} left for the owner: ${error.slice(0, 160)}`);
      } else {
        claimed.delete(f.orderId);
        released = true;
      }
      failures.set(f.orderId, error);
    }
    // A finished run that neither bought nor failed an order (its status still "queued"): the order
    // is still in the list, so a packer takes it again later. Logged: an integrator reading the run
    // would not know what became of it.
    const untouched = run.orders.filter((o) => !["bought", "already_bought", "failed"].includes(o.status));
    if (untouched.length > 0) {
      driver.runsLeftOrders.push({ runId: started.body.runId, orderIds: untouched.map((o) => o.orderId) });
      log(
        `  label run ${started.body.runId} finished without buying or failing ${untouched.length}: ${untouched.map((o) => `${o.orderId} (${o.status})`).join(", ")}`,
      );
      for (const o of untouched) claimed.delete(o.orderId);
      released = true;
    }
    logEntry.bought = bought.length;
    // The tablet sees its labels arrive in the live document, then prints them.
    await settle(
      "labelsOnTablet",
      () => bought.filter((id) => p.order(id)?.state === "new" || p.order(id)?.state === "ready"),
      { idleMs: 10_000 },
    );
    if (pendingOffline !== null && !offlinePacker) {
      offlinePacker = { packer: p, until: pendingOffline };
      pendingOffline = null;
      p.goOffline();
      log(`  ${p.name}'s tablet offline until ${new Date(offlinePacker.until).toISOString().slice(11, 16)}`);
    }
    const at = clock.now();
    let minutes = 1;
    for (const id of bought) {
      if (p.print(id, at)) {
        const e = { orderId: id, packer: p.name, at, offline: p.offline };
        printEdits.push(e);
        if (!p.offline) awaiting.add(e);
      }
      // Its label has not reached this tablet yet: printed as soon as it shows (each step looks).
      else leftovers.set(id, p);
      minutes += packMinutes(itemsOf.get(id) ?? 1, pace);
    }
    return minutes;
  };

  const faultsStarted = new Set<Fault>();
  const driver: DriverFigures = {
    steps: 0,
    realMs: { clock: 0, arrivals: 0, labelRuns: 0, labelsOnTablet: 0, confirmations: 0, owner: 0, total: 0 },
    gaveUp: [],
    movedOnDuringFaults: 0,
    runsLeftOrders: [],
    nudgedMs: 0,
    nudgesToWake: 0,
    blindNudges: 0,
    overrun: { steps: 0, totalMs: 0, maxMs: 0 },
  };
  /** Orders Amazon creates, with when (sandbox time), until every tablet online holds them. */
  const arrivals = new Map<string, number>();
  /** Printed parcels whose confirmation the room has not settled yet (confirmed, refused or waiting out a retry). */
  const awaiting = new Set<PrintEdit>();
  const online = () => packers.filter((p) => !p.offline);
  /** Printed orders whose confirmation waits out a retry's backoff (the room's clock decides when). */
  const inBackoff = new Set<string>();
  /** When buyers ask to cancel (sorted), and when the owner last looked at the requests. */
  const requestTimes: number[] = [];
  let lastOwnerLook = Number.NEGATIVE_INFINITY;
  /** Packers who found nothing to take at their last look, and whether a label run gave orders back since. */
  const idle = new Set<Packer>();
  let released = false;
  const nextArrivalAfter = (t: number): number => {
    let next = Number.POSITIVE_INFINITY;
    for (const at of arrivals.values()) if (at > t && at < next) next = at;
    return next;
  };
  /** Fast-forwarding never passes the next moment something is due (a packer free, a fault). */
  let nudgeLimit = Number.POSITIVE_INFINITY;

  /**
   * Waits (real time) until the product has finished what it started: `pending` lists what is still
   * outstanding. The wait lasts as long as the product makes progress (the list shrinks at least once
   * every `idleMs`), so a slow machine only slows the run, never changes what it shows. A wait that
   * sees no progress for `idleMs` is given up on and reported (time then moves on with the work still
   * outstanding: a finding about the product, or a driver bug), as is any wait beyond `maxMs`.
   */
  const settle = async (
    kind: Exclude<keyof DriverFigures["realMs"], "total">,
    pending: () => string[] | Promise<string[]>,
    opts: {
      idleMs: number;
      explain?: (left: string[]) => Promise<string>;
      /** The product is known to be waiting on simulated time (a fault): moving on is expected, not reported. */
      expected?: boolean;
      /**
       * The product's waits here are on its clock (rate limits, retries): while nothing moves for
       * NUDGE_AFTER_MS of real time, simulated time is moved on by NUDGE_MS, as it would have passed.
       */
      nudge?: boolean;
      /**
       * Move on only to where the room says it waits (`WorldClock.roomWaits`), not blindly after
       * NUDGE_AFTER_MS: a label run, whose real work would otherwise be counted as simulated waits.
       */
      toWake?: boolean;
      /** The largest single move while nothing moves (default NUDGE_MAX_MS). */
      nudgeMaxMs?: number;
      pollMs?: number;
    },
  ): Promise<string[]> => {
    const t0 = Date.now();
    let fewest = Number.POSITIVE_INFINITY;
    let progressAt = t0;
    let nudgedAt = t0;
    let askedAt = t0;
    let step = NUDGE_MS;
    // Evri's slow answers are real time (the fault is about them): no nudging while they last.
    const nudge = opts.nudge === true && fastForward && !active.has("slow-courier");
    let left: string[] = [];
    for (;;) {
      left = await pending();
      if (left.length === 0) break;
      const now = Date.now();
      if (left.length < fewest) {
        fewest = left.length;
        progressAt = now;
      }
      if (now - progressAt > opts.idleMs || now - t0 > 10 * opts.idleMs) {
        if (opts.expected) {
          driver.movedOnDuringFaults++;
          break;
        }
        const why = opts.explain ? await opts.explain(left) : "";
        const at = new Date(clock.now()).toISOString().slice(0, 16);
        driver.gaveUp.push({
          at,
          waitingFor: kind,
          what: `${left.length} after ${((now - t0) / 1000).toFixed(1)} s: ${left.slice(0, 5).join(", ")}${why ? `; ${why}` : ""}`,
        });
        log(
          `  driver gave up waiting (${kind}) at ${at}: ${left.length} outstanding (${left.slice(0, 5).join(", ")}) ${why}`,
        );
        break;
      }
      if (progressAt > nudgedAt) step = NUDGE_MS;
      const still = now - Math.max(progressAt, nudgedAt);
      if (nudge && opts.toWake && still >= NUDGE_AFTER_MS && now - askedAt >= NUDGE_AFTER_MS) {
        // A label run: time moves on only to where the room itself waits on its clock (a courier's
        // rate limit, a retry's backoff); its real work (the courier's answer, the label's file) takes
        // no simulated time beyond its real time. With nothing asleep and nothing running (a job
        // due), blindly after BLIND_NUDGE_AFTER_MS, never past the next due job.
        askedAt = now;
        const waits = await clock.roomWaits();
        let to: number | null = null;
        if (waits.sleepingUntil !== null) to = waits.sleepingUntil + 1;
        else if (waits.running.length === 0 && still >= BLIND_NUDGE_AFTER_MS) {
          to = clock.now() + step;
          if (waits.nextJobAt !== null && waits.nextJobAt > clock.now())
            to = Math.min(to, waits.nextJobAt + 1);
          step = Math.min(2 * step, opts.nudgeMaxMs ?? NUDGE_MAX_MS);
          driver.blindNudges++;
        }
        if (to !== null) to = Math.min(to, nudgeLimit);
        if (to !== null && to > clock.now()) {
          driver.nudgedMs += to - clock.now();
          if (waits.sleepingUntil !== null) driver.nudgesToWake++;
          await clock.advanceTo(to);
          nudgedAt = Date.now();
        }
      } else if (nudge && !opts.toWake && still >= NUDGE_AFTER_MS) {
        const by = Math.min(step, nudgeLimit - clock.now());
        if (by >= NUDGE_MS) {
          await clock.advanceTo(clock.now() + by);
          driver.nudgedMs += by;
          step = Math.min(2 * step, opts.nudgeMaxMs ?? NUDGE_MAX_MS);
        }
        nudgedAt = Date.now();
      }
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 40));
    }
    driver.realMs[kind] += Date.now() - t0;
    return left;
  };
  const confirmationSettled = (e: PrintEdit): boolean => {
    const viewer = online()[0];
    const c = viewer?.order(e.orderId)?.confirmation;
    const state = viewer?.order(e.orderId)?.state;
    if (state === "cancelled" || c?.state === "confirmed" || c?.state === "failed") {
      awaiting.delete(e);
      inBackoff.delete(e.orderId);
      return true;
    }
    // Waiting out a retry's backoff (Amazon refused it for now): its wait is simulated time.
    if (c?.state === "pending" && c.error) {
      if (!inBackoff.has(e.orderId)) log(`  ${e.orderId}: confirmation to be retried (${c.error})`);
      inBackoff.add(e.orderId);
      return true;
    }
    return false;
  };
  const explainConfirmations = async (ids: string[]): Promise<string> => {
    const viewer = online()[0];
    const st = await seller.setup.api<{ confirmations?: unknown; error?: string }>("/amazon/status");
    const printers = new Map([...awaiting].map((e) => [e.orderId, e.packer]));
    const detail = ids.slice(0, 3).map((id) => {
      const printer = packers.find((p) => p.name === printers.get(id));
      return `${id}: on ${viewer?.name} ${viewer?.order(id)?.state}/${JSON.stringify(viewer?.order(id)?.confirmation ?? null)}, on the printing ${printer?.name} ${printer?.order(id)?.state}`;
    });
    return `room: confirmations ${JSON.stringify(st.body.confirmations)}${st.body.error ? `, "${st.body.error}"` : ""}; ${detail.join("; ")}; sockets ${packers.map((p) => `${p.name} ${p.offline ? "offline" : p.connected() ? "up" : "down"}`).join(", ")}`;
  };

  /** The first moment after `t` something is due: a packer free, a fault on or off, a tablet back, the owner's look. */
  const nextEventAfter = (t: number, dayEnd: number, nextOwnerLook: number): number => {
    let next = dayEnd;
    for (const p of packers) if (!p.offline && p.busyUntil > t) next = Math.min(next, p.busyUntil);
    for (const f of opts.faults) {
      const fStart = opts.startMs + f.day * DAY + hhmm(f.at);
      if (!faultsStarted.has(f) && fStart > t) next = Math.min(next, fStart);
    }
    for (const until of active.values()) next = Math.min(next, Math.max(until, t + 1));
    if (offlinePacker) next = Math.min(next, Math.max(offlinePacker.until, t + 1));
    // The owner's half-hourly look is a step of its own only when there is something to see: a
    // request open now, or one a buyer makes (Amazon's world says when) before that look.
    const viewer = online()[0];
    let look = viewer && openRequests(viewer.orders()).length > 0 ? nextOwnerLook : Number.POSITIVE_INFINITY;
    for (const r of requestTimes)
      if (r > lastOwnerLook) {
        look = Math.min(look, Math.max(nextOwnerLook, Math.ceil(r / (30 * MIN)) * 30 * MIN));
        break;
      }
    if (look > t && packers.some((p) => p.workingAt(look))) next = Math.min(next, look);
    // The owner's look at flagged addresses is a step when something waits for her.
    if (forOwner.size > 0) next = Math.min(next, nextAddressLookAfter(t));
    // The stock count and the restock are steps.
    for (const at of [countAt, restockAt]) if (at > t) next = Math.min(next, at);
    return next;
  };

  /**
   * The owner's look at the orders the product flagged for their address, as she would in the app:
   * she opens each order (GET /orders/{id}), sees the postcode the courier refused, finds the full
   * one (from the buyer, or a postcode finder on the address lines: here the world's own postcode)
   * and saves the correction (PUT /orders/{id}/address-correction, with who and why in its own
   * field beside Amazon's address). The order then goes back into the packers' queue.
   */
  const correctAddresses = async (t: number): Promise<boolean> => {
    let back = false;
    type ApiAddress = Record<string, string | null>;
    for (const [id, entry] of [...forOwner]) {
      const r = await seller.setup.api<{
        state: string;
        recipient: ApiAddress | null;
        addressCorrection: unknown;
      }>(`/orders/${encodeURIComponent(id)}`);
      const done = (outcome: string) => {
        entry.outcome = outcome;
        forOwner.delete(id);
        claimed.delete(id);
        released = true;
        log(`  owner: ${id} ${outcome}`);
      };
      if (r.status !== 200) {
        done(`could not be opened (HTTP ${r.status}); left in the queue`);
        continue;
      }
      if (r.body.state !== "new" && r.body.state !== "ready") {
        entry.outcome = `no correction needed any more (${r.body.state})`;
        forOwner.delete(id);
        continue;
      }
      const full = fullPostcodes.get(id);
      const recipient = r.body.recipient;
      if (!full || !recipient) {
        // Nothing she can find: the order stays with her, and the report says so.
        entry.outcome = "the owner could not find the full postcode";
        continue;
      }
      const address: Record<string, string> = {};
      for (const k of ["name", "line1", "line2", "line3", "city", "county", "countryCode", "phone"])
        if (typeof recipient[k] === "string" && recipient[k] !== "") address[k] = recipient[k] as string;
      address.postcode = full;
      const from = recipient.postcode ?? "";
      const put = await seller.setup.write(
        `/orders/${encodeURIComponent(id)}/address-correction`,
        { address, reason: `Postcode ${from} was incomplete; the buyer's full postcode is ${full}` },
        "PUT",
      );
      if (put.status !== 200) {
        done(
          `correction refused (HTTP ${put.status}: ${JSON.stringify(put.body).slice(0, 200)}); left in the queue`,
        );
        continue;
      }
      entry.correctedAt = t;
      entry.postcode = { from, to: full };
      done(`corrected at ${new Date(t).toISOString().slice(11, 16)}: postcode ${from} → ${full}`);
      back = true;
    }
    return back;
  };

  for (let d = 0; d < opts.days; d++) {
    const dayStart = opts.startMs + d * DAY;
    const dayEnd = dayStart + DAY;
    const dayName = new Date(dayStart).toISOString().slice(0, 10);
    const plan = await switches.planDay({
      day: dayName,
      seed: opts.seed,
      averagePerDay: opts.averagePerDay,
      peak: opts.peakDay === d,
      ...(opts.addressProblemShare !== undefined ? { addressProblemShare: opts.addressProblemShare } : {}),
    });
    totalPlanned += plan.orders;
    const newSkus = plan.skus.filter((s) => skuWeights[s] === undefined);
    for (const s of newSkus) skuWeights[s] = weightOf(s);
    if (newSkus.length > 0) {
      const r = await seller.setup.write("/settings", { skuWeights }, "PATCH");
      if (r.status !== 200) throw new Error(`SKU weights: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    }
    const traits = Object.entries(plan.traits);
    for (const [id, t] of traits) {
      itemsOf.set(id, t.items);
      arrivals.set(id, t.createdMs);
      if (t.fullPostcode) fullPostcodes.set(id, t.fullPostcode);
      if (t.cancelRequestMs !== undefined) requestTimes.push(t.cancelRequestMs);
    }
    requestTimes.sort((a, b) => a - b);
    if (pace === 0) {
      const meanFactor =
        traits.reduce((s, [, t]) => s + (1 + 0.4 * Math.max(0, t.items - 1)), 0) / Math.max(1, traits.length);
      // Capacity 10% above the average demand (the issue): the run's own average, Mondays and the
      // peak day included, over a whole week at least (a shorter run's days are not its average).
      demandAverage = await switches.averageVolume(
        opts.startMs,
        Math.max(7, opts.days),
        opts.averagePerDay,
        opts.peakDay,
      );
      pace = basePace(demandAverage, meanFactor);
      log(
        `  pace: ${pace.toFixed(2)} min for a one-item order; team capacity ${Math.round(demandAverage * 1.1)} orders a day against ${Math.round(demandAverage)} on average`,
      );
    }
    log(
      `[${opts.policy}] ${dayName}: ${plan.orders} orders planned (${plan.prime} Prime, ${plan.cancelRequests} cancellation requests, ${plan.addressProblems} address problems)`,
    );
    let printedToday = 0;
    let nextOwnerLook = dayStart;
    let nextAddressLook = nextAddressLookAfter(dayStart - 1);
    let nextHourLog = dayStart;
    // The driver's steps: every moment something happens (a packer free, a fault, the owner's
    // half-hourly look, a tablet back), and a look every `stepMs` while a packer waits for work.
    // Between steps the product runs on its own; simulated time jumps to the next step once the
    // product has finished what the last one started (see settle).
    for (let t = dayStart; t < dayEnd; ) {
      driver.steps++;
      const before = trace ? { ...driver.realMs, at: Date.now() } : null;
      // The clock first: what happens at this step happens at its time.
      const c0 = Date.now();
      await clock.advanceTo(t);
      driver.realMs.clock += Date.now() - c0;
      for (const f of opts.faults) {
        const fStart = opts.startMs + f.day * DAY + hhmm(f.at);
        if (fStart <= t && !faultsStarted.has(f)) {
          faultsStarted.add(f);
          await startFault(f, fStart);
        }
      }
      for (const [kind, until] of [...active]) if (until <= t) await endFault(kind);
      if (offlinePacker && offlinePacker.until <= t) {
        log(`  ${offlinePacker.packer.name}'s tablet back online`);
        const back = clock.now();
        await offlinePacker.packer.connect();
        for (const e of printEdits)
          if (e.offline && e.packer === offlinePacker.packer.name && e.backOnlineAt === undefined) {
            e.backOnlineAt = back;
            awaiting.add(e);
          }
        offlinePacker = null;
      }
      await Promise.all(packers.map((p) => p.ensureConnected()));
      // Amazon's new orders reach every tablet online (the room imports them on Amazon's
      // notification) before anyone looks for work; a step where no one looks does not wait.
      const looking =
        t >= nextOwnerLook || packers.some((p) => !p.offline && p.busyUntil <= t && p.workingAt(t));
      nudgeLimit = Math.min(t + MIN, nextEventAfter(t, dayEnd, nextOwnerLook));
      if (looking)
        await settle(
          "arrivals",
          () => {
            const left: string[] = [];
            const tablets = online();
            for (const [id, at] of arrivals) {
              if (at > t) continue;
              // Never placed: the listing's quantity Consign pushed offered too few units.
              if (clock.withdrawn.has(id)) {
                arrivals.delete(id);
                continue;
              }
              if (tablets.every((p) => p.order(id) !== undefined)) arrivals.delete(id);
              else left.push(id);
            }
            return left;
          },
          // Amazon throttling the import is the product waiting on simulated time: do not hold time.
          // The import's getOrder calls wait on Amazon's rate limit in simulated time: fast-forwarded.
          // So does the backoff the storm left behind, for a while after it ends (the import's
          // retries back off up to minutes of simulated time): a wait then is the product's, too.
          {
            idleMs: throttled(t) ? 1_000 : 10_000,
            expected: throttled(t),
            nudge: true,
          },
        );
      if (t >= nextHourLog && process.env.SIM_DEBUG) {
        nextHourLog = t - ((t - dayStart) % HOUR) + HOUR;
        const st = await seller.setup.api<unknown>("/amazon/status");
        log(
          `  ${new Date(t).toISOString().slice(11, 16)} doc ${packers[0]?.orders().length} orders; status ${JSON.stringify(st.body).slice(0, 600)}`,
        );
      }
      // The owner answers buyers' cancellation requests every half hour while someone is in.
      if (t >= nextOwnerLook) {
        nextOwnerLook = t - ((t - dayStart) % (30 * MIN)) + 30 * MIN;
        if (packers.some((p) => p.workingAt(t))) {
          lastOwnerLook = t;
          const o0 = Date.now();
          const doc = online()[0] ?? packers[0];
          for (const o of doc ? openRequests(doc.orders()) : []) {
            await seller.setup.write(`/orders/${encodeURIComponent(o.orderId)}/accept-cancellation`, {});
          }
          driver.realMs.owner += Date.now() - o0;
        }
      }
      // The owner goes through the orders flagged for their address at her looks (twice a day).
      if (forOwner.size > 0 && t >= nextAddressLook) {
        const o0 = Date.now();
        if (await correctAddresses(t)) for (const p of idle) p.busyUntil = Math.min(p.busyUntil, t);
        driver.realMs.owner += Date.now() - o0;
      }
      nextAddressLook = nextAddressLookAfter(t);
      for (const [id, p] of [...leftovers]) {
        if (p.offline) continue;
        const state = p.order(id)?.state;
        if (state === "label_bought" && p.print(id, clock.now())) {
          const e = { orderId: id, packer: p.name, at: clock.now(), offline: false };
          printEdits.push(e);
          awaiting.add(e);
        }
        if (state !== "new" && state !== "ready") leftovers.delete(id);
      }
      // The stock count or the restock, when due: after a restock everyone looks at the list again.
      if (await stockEvent(t)) for (const p of idle) p.busyUntil = Math.min(p.busyUntil, t);
      const short = noteShortfalls(t);
      // Each packer free now starts a batch: the orders the policy puts first, as many as fit before
      // their next break (at most one batch's worth), never one the app flags "no stock".
      const work: Promise<void>[] = [];
      for (const p of packers) {
        if (p.offline || p.busyUntil > t) continue;
        if (!p.workingAt(t)) {
          p.busyUntil = p.nextStartAfter(t);
          continue;
        }
        const left = p.minutesLeftAt(t);
        const candidates = queue(p.orders(), t, opts.policy, skuWeights, claimed, p.shortOrders());
        const batch: Order[] = [];
        let minutes = 1;
        for (const o of candidates) {
          if (batch.length >= batchMax) break;
          const m = packMinutes(itemsOf.get(o.orderId) ?? 1, pace);
          if (batch.length > 0 && minutes + m > Math.max(left, m + 1)) break;
          batch.push(o);
          minutes += m;
        }
        if (batch.length === 0) {
          // Nothing to take: a look at the list every `stepMs` until there is. Only a new order or
          // one a failed label run gave back can change what the look finds, so the looks that
          // could not are skipped: the next is the first after Amazon's next order (or after a
          // label run gives orders back, below).
          idle.add(p);
          p.busyUntil = Math.min(dayEnd, Math.ceil(Math.max(t + 1, nextArrivalAfter(t)) / stepMs) * stepMs);
          continue;
        }
        idle.delete(p);
        if (stock) for (const o of batch) if (short.has(o.orderId)) stock.boughtWhileShort.push(o.orderId);
        const startAt = t;
        work.push(
          runBatch(p, batch, startAt).then((m) => {
            p.busyUntil = startAt + m * MIN;
          }),
        );
      }
      nudgeLimit = Math.min(t + MIN, nextEventAfter(t, dayEnd, nextOwnerLook));
      released = false;
      await Promise.all(work);
      if (released)
        for (const p of idle) p.busyUntil = Math.min(p.busyUntil, Math.ceil((t + 1) / stepMs) * stepMs);
      // Amazon hears of every parcel printed on a tablet online before the clock jumps again.
      await settle(
        "confirmations",
        () =>
          [...awaiting]
            .filter((e) => {
              // Given up on once (reported): not held against every later step.
              if ((e.backOnlineAt ?? e.at) < t - 30 * MIN) {
                awaiting.delete(e);
                return false;
              }
              return !confirmationSettled(e);
            })
            .map((e) => e.orderId),
        { idleMs: 20_000, explain: explainConfirmations, nudge: true },
      );
      nudgeLimit = Number.POSITIVE_INFINITY;
      // The next step: the first moment something happens.
      let next = nextEventAfter(t, dayEnd, nextOwnerLook);
      if (leftovers.size > 0) next = Math.min(next, t - ((t - dayStart) % stepMs) + stepMs);
      // A confirmation waiting out a retry goes when the room's clock reaches the time the room
      // wrote on it (retryAt, as the app shows it); without one, time moves on in steps of at most
      // BACKOFF_STEP_MS until it has gone.
      const retries = [...awaiting]
        .filter((e) => inBackoff.has(e.orderId))
        .map((e) => online()[0]?.order(e.orderId)?.confirmation?.retryAt ?? Number.NaN);
      if (retries.length > 0) {
        // Parcels waiting behind a throttled one carry no time of their own: the queue's (the
        // head's) is when they go on.
        // Only times still ahead count: one already passed is a parcel's earlier pause, which the
        // room has since moved past (stepping to it meant a 5-s step at a time through the whole
        // 429 storm: ~300 steps of an hour in which nothing could happen).
        const known = retries.filter((r) => Number.isFinite(r) && r > t);
        const due = known.length > 0 ? Math.min(...known) + 1 : Math.max(clock.now(), t) + BACKOFF_STEP_MS;
        // A time already passed (the room has not written its next answer yet): a short step on.
        next = Math.min(next, Math.max(due, t + RETRY_FLOOR_MS));
      }
      // Real time the step took runs on in simulated time too: how far it ran past the next step.
      const over = clock.now() - next;
      if (over > 0) {
        driver.overrun.steps++;
        driver.overrun.totalMs += over;
        driver.overrun.maxMs = Math.max(driver.overrun.maxMs, over);
      }
      if (before && (process.env.SIM_TRACE === "all" || Date.now() - before.at > 250)) {
        const d = (k: keyof DriverFigures["realMs"]) => driver.realMs[k] - before[k];
        log(
          `  step ${Date.now() - before.at} ms: clock ${d("clock")}, arrivals ${d("arrivals")}, label runs ${d("labelRuns")}, on tablet ${d("labelsOnTablet")}, confirmations ${d("confirmations")}, owner ${d("owner")}; next ${new Date(next).toISOString().slice(11, 19)}`,
        );
      }
      t = Math.max(next, t + 1);
    }
    printedToday = printEdits.filter((e) => e.at >= dayStart && e.at < dayStart + DAY).length;
    // The day's figures at 23:59:59: Consign's metrics (the room's clock) and Amazon's own.
    await clock.advanceTo(dayStart + DAY - 1000);
    await new Promise((r) => setTimeout(r, 300));
    const metrics = await seller.setup.api<{
      metrics: {
        metric: string;
        channel: string;
        numerator: number;
        denominator: number;
        rate: number | null;
        status: string;
      }[];
    }>("/metrics");
    const consign: DayFigures["consign"] = {};
    for (const m of metrics.body.metrics ?? [])
      if (m.channel === "MFN")
        consign[m.metric] = {
          numerator: m.numerator,
          denominator: m.denominator,
          rate: m.rate,
          status: m.status,
        };
    const amazon = await switches.health();
    const openNow = packers[0]
      ? queue(packers[0].orders(), clock.now(), "fifo", skuWeights, new Set()).length
      : 0;
    days.push({
      day: dayName,
      orders: plan.orders,
      prime: plan.prime,
      multiItem: plan.multiItem,
      cancelRequests: plan.cancelRequests,
      addressProblems: plan.addressProblems,
      printed: printedToday,
      backlogAtEnd: openNow,
      consign,
      amazon,
    });
    if (trace) {
      // When Consign last asked Amazon for its reports (the feedback report brings negative feedback).
      const official = await seller.setup.api<{
        reports?: { kind: string; state: string; requestedAt: number; error?: string }[];
      }>("/health/official");
      log(
        `  Amazon's reports: ${(official.body.reports ?? [])
          .map(
            (r) =>
              `${r.kind} ${r.state} (asked ${new Date(r.requestedAt).toISOString().slice(5, 16)})${r.error ? `: ${r.error}` : ""}`,
          )
          .join("; ")}`,
      );
    }
    if (trace && stock) {
      // What Consign says it pushed to Amazon for the short SKU (GET /stock, as the app's stock screen).
      const st = await seller.setup.api<{
        pushedToAmazon?: { sku: string }[];
        available?: Record<string, number>;
      }>("/stock");
      const sku = (stock as StockFigures).sku;
      log(
        `  stock push for ${sku}: available ${st.body.available?.[sku]}, ${JSON.stringify(st.body.pushedToAmazon?.find((x) => x.sku === sku) ?? null)}`,
      );
    }
    const pct = (r: RateFigure | undefined) => (r?.rate == null ? "–" : `${(r.rate * 100).toFixed(2)}%`);
    log(
      `  end of ${dayName}: printed ${printedToday}, backlog ${openNow}; late dispatch 10d Consign ${pct(consign.lateDispatchRate10)} / Amazon ${pct(amazon.lateDispatch10)}; valid tracking Consign ${pct(consign.validTrackingRate)} / Amazon ${pct(amazon.validTracking30)} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
  }

  for (const [kind] of [...active]) await endFault(kind);
  if (offlinePacker) await offlinePacker.packer.connect();
  // Let the room drain its confirmation queue (simulated minutes pass, up to 90 s of real time while
  // anything is still pending), then read the ledger. Done as soon as the room has nothing pending
  // and every printed parcel a tablet still shows is settled (confirmed, refused or cancelled).
  const unsettled = () => {
    const viewer = online()[0];
    if (!viewer) return printEdits.length;
    let n = 0;
    for (const e of printEdits) {
      const o = viewer.order(e.orderId);
      if (
        o &&
        o.state !== "cancelled" &&
        o.confirmation.state !== "confirmed" &&
        o.confirmation.state !== "failed"
      )
        n++;
    }
    return n;
  };
  for (const t0 = Date.now(); Date.now() - t0 < 90_000; ) {
    await clock.advanceTo(clock.now() + 2 * MIN);
    await new Promise((r) => setTimeout(r, 250));
    const st = await seller.setup.api<{ confirmations?: { pending: number } }>("/amazon/status");
    if ((st.body.confirmations?.pending ?? 0) === 0 && unsettled() === 0) break;
  }
  const room = await readRoomOrders(packers, seller.setup);
  const ledger = await readLedger(room, switches, printEdits);
  const { outcomes, withdrawn } = await switches.outcomes();
  const lateOrders = explainLate(outcomes, [...room.orders.values()], failures, batches, corrections);
  if (stock) {
    const s = stock as StockFigures;
    for (const f of flaggedShort.values()) {
      const o = room.orders.get(f.orderId);
      const label = o?.shipments?.find((x) => x.voidedAt === undefined)?.boughtAt;
      s.flagged.push({ ...f, labelAt: label ?? null });
    }
    const byId = new Map(s.flagged.map((f) => [f.orderId, f]));
    for (const l of lateOrders) {
      const f = byId.get(l.orderId);
      if (f)
        l.why = `flagged "no stock" at ${new Date(f.flaggedAt).toISOString().slice(5, 16)} (restock ${s.restockedAt?.slice(5, 16) ?? "never"}); ${l.why}`;
    }
  }
  for (const p of packers) p.close();
  return {
    driver: { ...driver, realMs: { ...driver.realMs, total: Date.now() - started } },
    renewals: packers.map((p) => p.renewals),
    policy: opts.policy,
    sellerId: seller.sellerId,
    partnerId: seller.partnerId,
    startMs: opts.startMs,
    days,
    wallMs: Date.now() - started,
    pace: {
      baseMinutes: pace,
      capacityPerDay: Math.round(demandAverage * 1.1),
      averageDemand: Math.round(totalPlanned / opts.days),
    },
    faultsApplied,
    batches,
    printEdits,
    ledger,
    outcomes,
    corrections,
    lateOrders,
    stock,
    withdrawn: withdrawn ?? [],
  };
}

/**
 * The room's orders at the end, live and archived, as the PWA reads them: a tablet's copy of the
 * live document after everything synced, and each archived month as the app stores it
 * (GET /archive, GET /archive/{month}/documents).
 */
async function readRoomOrders(
  packers: Packer[],
  owner: Device,
): Promise<{ orders: Map<string, Order>; archivedIds: Set<string> }> {
  const view = packers[0];
  if (!view) throw new Error("no packer");
  await new Promise((r) => setTimeout(r, 1000));
  const months = await owner.api<{ months: { month: string; orders: number }[] }>("/archive");
  if (months.status !== 200)
    throw new Error(`GET /archive: HTTP ${months.status} ${JSON.stringify(months.body)}`);
  const archived: Order[] = [];
  for (const m of months.body.months) {
    const r = await owner.api<{ orders: Order[] }>(`/archive/${m.month}/documents`);
    if (r.status !== 200)
      throw new Error(`GET /archive/${m.month}/documents: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    archived.push(...r.body.orders);
  }
  return {
    orders: roomOrders(view.orders(), archived),
    archivedIds: new Set(archived.map((o) => o.orderId)),
  };
}

async function readLedger(
  room: { orders: Map<string, Order>; archivedIds: Set<string> },
  switches: Switches,
  printEdits: PrintEdit[],
): Promise<Ledger> {
  const courierPurchases = (
    await Promise.all((["royalmail", "dpd", "evri"] as const).map((c) => switches.purchases(c)))
  ).reduce((s, p) => s + p.purchases, 0);
  const confirmations = await switches.confirmations();
  const { outcomes } = await switches.outcomes();
  return countLedger(room.orders, room.archivedIds, printEdits, {
    courierPurchases,
    confirmations,
    outcomes,
  });
}

function explainLate(
  outcomes: AmazonOutcome[],
  orders: Order[],
  failures: Map<string, string>,
  batches: BatchLog[],
  corrections: AddressCorrectionLog[],
): RunResult["lateOrders"] {
  const corrected = new Map(corrections.map((c) => [c.orderId, c]));
  const at = (ms: number) => new Date(ms).toISOString().slice(5, 16).replace("T", " ");
  const byId = new Map(orders.map((o) => [o.orderId, o]));
  const printedAt = new Map<string, number>();
  for (const b of batches) for (const f of b.failed) failures.set(f.orderId, f.error);
  for (const o of orders) if (o.printedAt !== undefined) printedAt.set(o.orderId, o.printedAt);
  return outcomes
    .filter((o) => o.lateDispatch)
    .map((o) => {
      const order = byId.get(o.orderId);
      const p = printedAt.get(o.orderId);
      let why: string;
      const c = corrected.get(o.orderId);
      const flagged = c
        ? `its postcode was refused at ${at(c.flaggedAt)}; ${c.correctedAt === null ? c.outcome : `the owner corrected it at ${at(c.correctedAt)}`}`
        : "";
      if (c && (p === undefined || p > o.latestShipMs))
        why = `${flagged}${p === undefined ? "; never printed" : `; printed ${at(p)}, after its ship-by`}`;
      else if (order && order.state !== "cancelled" && failures.has(o.orderId) && p === undefined)
        why = `no label could be bought: ${failures.get(o.orderId)}`;
      else if (p === undefined)
        why = "still waiting in the queue when its ship-by passed (the team's capacity)";
      else if (p > o.latestShipMs) why = "printed after its ship-by date (the team reached it too late)";
      else if (o.confirmedMs === null) why = "printed in time but Amazon has no confirmation";
      else
        why = `printed in time, confirmed ${Math.round((o.confirmedMs - p) / 1000)} s later, after the ship-by date`;
      return {
        orderId: o.orderId,
        latestShip: new Date(o.latestShipMs).toISOString(),
        confirmed: o.confirmedMs === null ? null : new Date(o.confirmedMs).toISOString(),
        why,
      };
    });
}
