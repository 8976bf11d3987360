// One simulated run: a seller's days on a running local stack (SIMULATED_CLOCK=true), the team
// taking orders by one policy, the faults on their schedule, and at the end of each day the
// metrics as Consign computes them beside the sandbox Amazon's own account-health figures.

import { type Order, orderHasValidTracking } from "@consign/domain";
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
  batchMax?: number;
  log?: (line: string) => void;
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

export interface RunResult {
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
  ledger: {
    labelsBought: number;
    labelsVoided: number;
    ordersWithTwoActiveLabels: string[];
    courierPurchases: number;
    editsMade: number;
    editsAcknowledged: number;
    editsLost: string[];
    confirmationsAccepted: number;
    confirmationsRefused: number;
    confirmationsDuplicated: string[];
    confirmationsMissing: string[];
    printToConfirmedMs: number[];
    /** The same for edits made online, and for those made offline counted from the tablet's return. */
    printToConfirmedOnlineMs: number[];
    backOnlineToConfirmedMs: number[];
    /** Each confirmed print: when (simulated time), how long until Amazon had it, and where it was made. */
    printToConfirmed: { at: number; ms: number; offline: boolean }[];
    validTrackingInRoom: { valid: number; of: number };
  };
  outcomes: AmazonOutcome[];
  /** Why each late order was late (the report lists them). */
  lateOrders: { orderId: string; latestShip: string; confirmed: string | null; why: string }[];
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
  const log = opts.log ?? (() => {});
  const stepMs = (opts.stepMinutes ?? 5) * MIN;
  const batchMax = opts.batchMax ?? 25;
  const started = Date.now();
  const seller = await newSeller(opts.edgeUrl, opts.sandboxUrl, opts.policy);
  const clock = new WorldClock(opts.edgeUrl, opts.sandboxUrl, seller.sellerId, seller.partnerId);
  const skuWeights: Record<string, number> = {};
  const accounts = await setUpShipping(seller, skuWeights);
  const switches = new Switches(opts.sandboxUrl, seller.partnerId, accounts);
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
  let totalPlanned = 0;
  const claimed = new Set<string>();
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
  const endFault = async (kind: FaultKind) => {
    active.delete(kind);
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
    const started = await p.device.write<{ runId: string }>("/labels/runs", { orderIds: ids });
    if (started.status !== 202) {
      logEntry.failed = ids.map((orderId) => ({
        orderId,
        error: `HTTP ${started.status}: ${JSON.stringify(started.body).slice(0, 200)}`,
      }));
      for (const id of ids) claimed.delete(id);
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
    for (const t0 = Date.now(); Date.now() - t0 < 180_000; await new Promise((r) => setTimeout(r, 150))) {
      const r = await p.device.api<Run>(`/labels/runs/${started.body.runId}`);
      if (r.status === 200 && r.body.state === "finished") {
        run = r.body;
        break;
      }
    }
    if (!run) throw new Error(`label run ${started.body.runId} did not finish in 3 minutes`);
    const bought = run.orders
      .filter((o) => o.status === "bought" || o.status === "already_bought")
      .map((o) => o.orderId);
    for (const f of run.orders.filter((o) => o.status === "failed")) {
      logEntry.failed.push({ orderId: f.orderId, error: f.error ?? "failed" });
      failures.set(f.orderId, f.error ?? "failed");
      claimed.delete(f.orderId);
    }
    logEntry.bought = bought.length;
    // The tablet sees its labels arrive in the live document, then prints them.
    for (const t0 = Date.now(); Date.now() - t0 < 30_000; await new Promise((r) => setTimeout(r, 50))) {
      if (bought.every((id) => p.order(id)?.state !== "new" && p.order(id)?.state !== "ready")) break;
    }
    if (pendingOffline !== null && !offlinePacker) {
      offlinePacker = { packer: p, until: pendingOffline };
      pendingOffline = null;
      p.goOffline();
      log(`  ${p.name}'s tablet offline until ${new Date(offlinePacker.until).toISOString().slice(11, 16)}`);
    }
    const at = clock.now();
    let minutes = 1;
    for (const id of bought) {
      if (p.print(id, at)) printEdits.push({ orderId: id, packer: p.name, at, offline: p.offline });
      // Its label has not reached this tablet yet: printed as soon as it shows (each step looks).
      else leftovers.set(id, p);
      minutes += packMinutes(itemsOf.get(id) ?? 1, pace);
    }
    return minutes;
  };

  for (let d = 0; d < opts.days; d++) {
    const dayStart = opts.startMs + d * DAY;
    const dayName = new Date(dayStart).toISOString().slice(0, 10);
    const plan = await switches.planDay({
      day: dayName,
      seed: opts.seed,
      averagePerDay: opts.averagePerDay,
      peak: opts.peakDay === d,
    });
    totalPlanned += plan.orders;
    const newSkus = plan.skus.filter((s) => skuWeights[s] === undefined);
    for (const s of newSkus) skuWeights[s] = weightOf(s);
    if (newSkus.length > 0) {
      const r = await seller.setup.write("/settings", { skuWeights }, "PATCH");
      if (r.status !== 200) throw new Error(`SKU weights: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    }
    const traits = Object.entries(plan.traits);
    for (const [id, t] of traits) itemsOf.set(id, t.items);
    if (pace === 0) {
      const meanFactor =
        traits.reduce((s, [, t]) => s + (1 + 0.4 * Math.max(0, t.items - 1)), 0) / Math.max(1, traits.length);
      pace = basePace(opts.averagePerDay, meanFactor);
      log(
        `  pace: ${pace.toFixed(2)} min for a one-item order; team capacity ${Math.round(opts.averagePerDay * 1.1)} orders a day`,
      );
    }
    log(
      `[${opts.policy}] ${dayName}: ${plan.orders} orders planned (${plan.prime} Prime, ${plan.cancelRequests} cancellation requests, ${plan.addressProblems} address problems)`,
    );
    let printedToday = 0;
    for (let t = dayStart; t < dayStart + DAY; t += stepMs) {
      for (const f of opts.faults) {
        const fStart = opts.startMs + f.day * DAY + hhmm(f.at);
        if (fStart >= t && fStart < t + stepMs) await startFault(f, fStart);
      }
      for (const [kind, until] of [...active]) if (until <= t) await endFault(kind);
      if (offlinePacker && offlinePacker.until <= t) {
        log(`  ${offlinePacker.packer.name}'s tablet back online`);
        await offlinePacker.packer.connect();
        const back = clock.now();
        for (const e of printEdits)
          if (e.offline && e.packer === offlinePacker.packer.name && e.backOnlineAt === undefined)
            e.backOnlineAt = back;
        offlinePacker = null;
      }
      await clock.advanceTo(t);
      if ((t - dayStart) % HOUR === 0 && process.env.SIM_DEBUG) {
        const st = await seller.setup.api<unknown>("/amazon/status");
        log(
          `  ${new Date(t).toISOString().slice(11, 16)} doc ${packers[0]?.orders().length} orders; status ${JSON.stringify(st.body).slice(0, 600)}`,
        );
      }
      // The owner answers buyers' cancellation requests every half hour while someone is in.
      if ((t - dayStart) % (30 * MIN) === 0 && packers.some((p) => p.workingAt(t))) {
        const doc = packers.find((p) => !p.offline) ?? packers[0];
        for (const o of doc ? openRequests(doc.orders()) : []) {
          await seller.setup.write(`/orders/${encodeURIComponent(o.orderId)}/accept-cancellation`, {});
        }
      }
      await Promise.all(packers.map((p) => p.ensureConnected()));
      for (const [id, p] of [...leftovers]) {
        if (p.offline) continue;
        const state = p.order(id)?.state;
        if (state === "label_bought" && p.print(id, clock.now()))
          printEdits.push({ orderId: id, packer: p.name, at: clock.now(), offline: false });
        if (state !== "new" && state !== "ready") leftovers.delete(id);
      }
      // Each packer free in this step starts a batch: the orders the policy puts first, as many as fit
      // before their next break (at most one batch's worth).
      const work: Promise<void>[] = [];
      for (const p of packers) {
        if (p.offline || p.busyUntil >= t + stepMs) continue;
        const startAt = Math.max(p.busyUntil, t);
        if (!p.workingAt(startAt)) {
          p.busyUntil = Math.max(p.busyUntil, Math.min(p.nextStartAfter(startAt), t + stepMs));
          continue;
        }
        const left = p.minutesLeftAt(startAt);
        const candidates = queue(p.orders(), startAt, opts.policy, skuWeights, claimed);
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
          p.busyUntil = t + stepMs;
          continue;
        }
        work.push(
          runBatch(p, batch, startAt).then((m) => {
            p.busyUntil = startAt + m * MIN;
          }),
        );
      }
      await Promise.all(work);
      // Simulated time runs at real speed while the product works: before the clock jumps again the
      // room gets up to 8 s (real and simulated alike) to confirm what reached it in the last half
      // hour. A confirmation waiting out a retry's backoff (Amazon refused it for now) is left to
      // the clock: its wait is simulated time.
      const viewer = packers.find((p) => !p.offline);
      const unconfirmed = () =>
        printEdits.filter((e) => {
          if ((e.offline && e.backOnlineAt === undefined) || (e.backOnlineAt ?? e.at) < t - 30 * MIN)
            return false;
          const c = viewer?.order(e.orderId)?.confirmation;
          return (
            !c || (c.state !== "confirmed" && c.state !== "failed" && !(c.state === "pending" && c.error))
          );
        }).length;
      for (const t0 = Date.now(); viewer && unconfirmed() > 0 && Date.now() - t0 < 8_000; )
        await new Promise((r) => setTimeout(r, 100));
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
    const pct = (r: RateFigure | undefined) => (r?.rate == null ? "–" : `${(r.rate * 100).toFixed(2)}%`);
    log(
      `  end of ${dayName}: printed ${printedToday}, backlog ${openNow}; late dispatch 10d Consign ${pct(consign.lateDispatchRate10)} / Amazon ${pct(amazon.lateDispatch10)}; valid tracking Consign ${pct(consign.validTrackingRate)} / Amazon ${pct(amazon.validTracking30)} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
  }

  for (const [kind] of [...active]) await endFault(kind);
  if (offlinePacker) await offlinePacker.packer.connect();
  // Let the room drain its confirmation queue (simulated minutes pass, up to 90 s of real time while
  // anything is still pending), then read the ledger.
  for (const t0 = Date.now(); Date.now() - t0 < 90_000; ) {
    await clock.advanceTo(clock.now() + 2 * MIN);
    await new Promise((r) => setTimeout(r, 1000));
    const st = await seller.setup.api<{ confirmations?: { pending: number } }>("/amazon/status");
    if (Date.now() - t0 > 10_000 && (st.body.confirmations?.pending ?? 0) === 0) break;
  }
  const ledger = await readLedger(packers, switches, printEdits);
  const { outcomes } = await switches.outcomes();
  const lateOrders = explainLate(outcomes, packers[0]?.orders() ?? [], failures, batches);
  for (const p of packers) p.close();
  return {
    policy: opts.policy,
    sellerId: seller.sellerId,
    partnerId: seller.partnerId,
    startMs: opts.startMs,
    days,
    wallMs: Date.now() - started,
    pace: {
      baseMinutes: pace,
      capacityPerDay: Math.round(opts.averagePerDay * 1.1),
      averageDemand: Math.round(totalPlanned / opts.days),
    },
    faultsApplied,
    batches,
    printEdits,
    ledger,
    outcomes,
    lateOrders,
  };
}

async function readLedger(
  packers: Packer[],
  switches: Switches,
  printEdits: PrintEdit[],
): Promise<RunResult["ledger"]> {
  // A fresh look at the room: a packer's tablet after everything synced.
  const view = packers[0];
  if (!view) throw new Error("no packer");
  await new Promise((r) => setTimeout(r, 1000));
  const orders = new Map(view.orders().map((o) => [o.orderId, o]));
  let labelsBought = 0;
  let labelsVoided = 0;
  const twoActive: string[] = [];
  let valid = 0;
  let shipped = 0;
  for (const o of orders.values()) {
    labelsBought += o.shipments.length;
    labelsVoided += o.shipments.filter((s) => s.voidedAt !== undefined).length;
    if (o.shipments.filter((s) => s.voidedAt === undefined).length > 1) twoActive.push(o.orderId);
    if (["printed", "dispatched", "confirmed"].includes(o.state)) {
      shipped++;
      if (orderHasValidTracking(o)) valid++;
    }
  }
  const courierPurchases = (
    await Promise.all((["royalmail", "dpd", "evri"] as const).map((c) => switches.purchases(c)))
  ).reduce((s, p) => s + p.purchases, 0);
  const lost = printEdits.filter((e) => {
    const o = orders.get(e.orderId);
    return !o || !(o.printedAt !== undefined || ["printed", "dispatched", "confirmed"].includes(o.state));
  });
  const conf = await switches.confirmations();
  const { outcomes } = await switches.outcomes();
  const byId = new Map(outcomes.map((o) => [o.orderId, o]));
  const missing = printEdits
    .filter((e) => {
      const o = orders.get(e.orderId);
      return o && o.state !== "cancelled" && (byId.get(e.orderId)?.confirmationsAccepted ?? 0) === 0;
    })
    .map((e) => e.orderId);
  const printToConfirmed: number[] = [];
  const online: number[] = [];
  const backOnline: number[] = [];
  const detail: { at: number; ms: number; offline: boolean }[] = [];
  for (const e of printEdits) {
    const c = byId.get(e.orderId)?.confirmedMs;
    if (c == null) continue;
    printToConfirmed.push(c - e.at);
    detail.push({ at: e.at, ms: c - e.at, offline: e.offline });
    if (!e.offline) online.push(c - e.at);
    else if (e.backOnlineAt !== undefined) backOnline.push(c - e.backOnlineAt);
  }
  return {
    labelsBought,
    labelsVoided,
    ordersWithTwoActiveLabels: twoActive,
    courierPurchases,
    editsMade: printEdits.length,
    editsAcknowledged: printEdits.length - lost.length,
    editsLost: lost.map((e) => e.orderId),
    confirmationsAccepted: conf.accepted,
    confirmationsRefused: conf.refused,
    confirmationsDuplicated: conf.acceptedTwice,
    confirmationsMissing: [...new Set(missing)],
    printToConfirmedMs: printToConfirmed,
    printToConfirmedOnlineMs: online,
    backOnlineToConfirmedMs: backOnline,
    printToConfirmed: detail,
    validTrackingInRoom: { valid, of: shipped },
  };
}

function explainLate(
  outcomes: AmazonOutcome[],
  orders: Order[],
  failures: Map<string, string>,
  batches: BatchLog[],
): RunResult["lateOrders"] {
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
      if (order && order.state !== "cancelled" && failures.has(o.orderId) && p === undefined)
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
