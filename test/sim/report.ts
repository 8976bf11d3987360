// The simulation's report: Markdown with SVG charts, both runs (Consign's queue and first in first
// out) side by side, written to test-output/sim/.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import type { RunResult } from "./run.ts";
import type { RateFigure } from "./world.ts";

export interface Goals {
  lateDispatchMax: number;
  fifoLateDispatchMin: number;
  confirmWithinMs: number;
  confirmShare: number;
}

export const GOALS: Goals = {
  lateDispatchMax: 0.005,
  fifoLateDispatchMin: 0.04,
  confirmWithinMs: 60_000,
  confirmShare: 0.95,
};

const pct = (r: number | null | undefined, digits = 2) => (r == null ? "–" : `${(r * 100).toFixed(digits)}%`);
const fig = (f: RateFigure | undefined) => (f ? `${pct(f.rate)} (${f.numerator}/${f.denominator})` : "–");

export function quantile(xs: readonly number[], q: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] ?? null;
}

/** Where the driver's real time went and whether it ever moved time on with work outstanding. */
/** The owner's address corrections: how many the label runs flagged, how many she mended and how soon. */
export function addressLine(r: RunResult): string {
  const c = r.corrections;
  if (c.length === 0) return "no order was refused for its address";
  const fixed = c.filter((x) => x.correctedAt !== null);
  const waits = fixed.map((x) => ((x.correctedAt ?? 0) - x.flaggedAt) / 3_600_000).sort((a, b) => a - b);
  const other = c.filter((x) => x.correctedAt === null);
  return `${c.length} orders refused for their postcode by a label run (Consign names it), ${fixed.length} corrected by the owner at her looks (PUT /orders/{id}/address-correction)${waits.length ? `, ${waits[Math.floor(waits.length / 2)]?.toFixed(1)} h after being flagged at the median, ${waits[waits.length - 1]?.toFixed(1)} h at most` : ""}${other.length ? `; not corrected: ${other.map((x) => `${x.orderId} (${x.outcome})`).join(", ")}` : ""}`;
}

/** The stock shortfall: the SKU, the orders the app flagged "no stock", what the team did with them, and the cost. */
export function stockLine(r: RunResult): string {
  const s = r.stock;
  if (!s) return "no stock shortfall in this run";
  const hm = (ms: number) => new Date(ms).toISOString().slice(5, 16).replace("T", " ");
  const restock = s.restockedAt === null ? Number.POSITIVE_INFINITY : Date.parse(s.restockedAt);
  const labelled = s.flagged.filter((f) => f.labelAt !== null);
  const waits = labelled.map((f) => ((f.labelAt ?? 0) - f.flaggedAt) / 3_600_000).sort((a, b) => a - b);
  const afterRestock = labelled.filter((f) => (f.labelAt ?? 0) >= restock).length;
  const flaggedIds = new Set(s.flagged.map((f) => f.orderId));
  const late = r.lateOrders.filter((o) => flaggedIds.has(o.orderId)).length;
  const withdrawn = r.withdrawn.filter((w) => w.sku === s.sku);
  const unsold = `; Amazon's listing followed the quantity Consign pushed: ${withdrawn.length} order(s) for ${s.sku} the world planned were never placed (the offer was unavailable${withdrawn.length ? `, ${hm(withdrawn[0]?.createdMs ?? 0)} to ${hm(withdrawn.at(-1)?.createdMs ?? 0)}` : ""})${r.withdrawn.length > withdrawn.length ? `, ${r.withdrawn.length - withdrawn.length} for other SKUs` : ""}`;
  return `${s.sku}: the count at ${s.countedAt.slice(5, 16).replace("T", " ")} found ${s.counted} units where open orders needed ${s.neededAtCount}; ${s.flagged.length} orders flagged "no stock" by the app (first ${s.flagged.length ? hm(Math.min(...s.flagged.map((f) => f.flaggedAt))) : "–"}), ${s.boughtWhileShort.length} bought while flagged; restock of ${s.restocked} at ${s.restockedAt?.slice(5, 16).replace("T", " ") ?? "never"}; ${labelled.length} of the flagged had a label at the end, ${afterRestock} of them after the restock${waits.length ? `, ${waits[Math.floor(waits.length / 2)]?.toFixed(1)} h from flagged to label at the median, ${waits[waits.length - 1]?.toFixed(1)} h at most` : ""}; ${late} of them dispatched late${unsold}`;
}

export function driverLine(r: RunResult): string {
  const d = r.driver;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const renewed = r.renewals.reduce((n, x) => n + x.length, 0);
  return [
    `${d.steps} steps in ${s(d.realMs.total)}: moving the clock ${s(d.realMs.clock)}, waiting for Amazon's new orders to reach the tablets ${s(d.realMs.arrivals)}, label runs ${s(d.realMs.labelRuns)}, labels reaching the tablet ${s(d.realMs.labelsOnTablet)}, confirmations ${s(d.realMs.confirmations)}, the owner's cancellations ${s(d.realMs.owner)}`,
    `simulated time ran past the next step in ${d.overrun.steps} step(s), by ${s(d.overrun.totalMs)} in all (at most ${s(d.overrun.maxMs)})`,
    `simulated time moved on while the product waited on its clock: ${s(d.nudgedMs)} in all (label runs: ${d.nudgesToWake} move(s) to the end of a wait the room named, ${d.blindNudges} with none named)`,
    d.gaveUp.length === 0
      ? "no wait given up on (time never moved on with the product's work outstanding)"
      : `**${d.gaveUp.length} wait(s) given up on** (the product made no progress): ${d.gaveUp
          .slice(0, 5)
          .map((g) => `${g.at} ${g.waitingFor}: ${g.what}`)
          .join("; ")}`,
    d.runsLeftOrders.length === 0
      ? "every label run bought or failed each of its orders"
      : `**${d.runsLeftOrders.length} label run(s) finished without buying or failing ${d.runsLeftOrders.reduce((n, x) => n + x.orderIds.length, 0)} order(s)** (status still "queued"; taken again later): ${d.runsLeftOrders
          .slice(0, 5)
          .map((x) => `${x.runId}: ${x.orderIds.slice(0, 3).join(", ")}`)
          .join("; ")}`,
    `document renewed by the room ${renewed} time(s) across the tablets (each carried its unsynced edits across: ${
      r.renewals
        .flat()
        .map((x) => x.carried)
        .join(", ") || "none"
    })`,
  ].join("; ");
}

/** The month's verdicts, one per goal of the issue. */
export function verdicts(runs: RunResult[]) {
  const consign = runs.find((r) => r.policy === "consign");
  const fifo = runs.find((r) => r.policy === "fifo");
  const worst = (r: RunResult | undefined, key: "lateDispatch10" | "lateDispatch30") =>
    r ? Math.max(0, ...r.days.map((d) => d.amazon[key].rate ?? 0)) : null;
  const within = (r: RunResult | undefined) => {
    const xs = r?.ledger.printToConfirmedMs ?? [];
    return xs.length === 0 ? null : xs.filter((x) => x <= GOALS.confirmWithinMs).length / xs.length;
  };
  const validTracking = (r: RunResult | undefined) =>
    r ? Math.min(1, ...r.days.map((d) => d.amazon.validTracking30.rate ?? 1)) : null;
  return {
    consignWorstLate30: worst(consign, "lateDispatch30"),
    consignWorstLate10: worst(consign, "lateDispatch10"),
    fifoWorstLate30: worst(fifo, "lateDispatch30"),
    consignValidTracking: validTracking(consign),
    boughtTwice: runs.reduce((s, r) => s + r.ledger.ordersWithTwoActiveLabels.length, 0),
    editsLost: runs.reduce((s, r) => s + r.ledger.editsLost.length, 0),
    confirmationsMissing: runs.reduce((s, r) => s + r.ledger.confirmationsMissing.length, 0),
    confirmationsDuplicated: runs.reduce((s, r) => s + r.ledger.confirmationsDuplicated.length, 0),
    consignWithin60: within(consign),
    fifoWithin60: within(fifo),
  };
}

interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: (number | null)[];
}

/** A small line chart: one x per day, y as a percentage (or a count when `percent` is false). */
export function lineChart(
  title: string,
  labels: string[],
  series: Series[],
  percent = true,
  target?: number,
): string {
  const W = 720;
  const H = 300;
  const left = 56;
  const right = 16;
  const top = 36;
  const bottom = 48;
  const all = series.flatMap((s) => s.points.filter((p): p is number => p !== null));
  const max = Math.max(target ?? 0, ...all, percent ? 0.01 : 1) * 1.15;
  const x = (i: number) =>
    left + (labels.length <= 1 ? (W - left - right) / 2 : (i * (W - left - right)) / (labels.length - 1));
  const y = (v: number) => top + (H - top - bottom) * (1 - v / max);
  const fmt = (v: number) => (percent ? `${(v * 100).toFixed(v * 100 < 1 ? 2 : 1)}%` : String(Math.round(v)));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">${xmlText(title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    out.push(`<line x1="${left}" x2="${W - right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${fmt(v)}</text>`);
  }
  if (target !== undefined) {
    out.push(
      `<line x1="${left}" x2="${W - right}" y1="${y(target)}" y2="${y(target)}" stroke="#c00" stroke-dasharray="2 3"/>`,
    );
    out.push(
      `<text x="${W - right}" y="${y(target) - 4}" text-anchor="end" fill="#c00">goal ${fmt(target)}</text>`,
    );
  }
  const every = Math.max(1, Math.ceil(labels.length / 10));
  labels.forEach((l, i) => {
    if (i % every === 0)
      out.push(`<text x="${x(i)}" y="${H - bottom + 16}" text-anchor="middle">${xmlText(l)}</text>`);
  });
  series.forEach((s, k) => {
    const pts = s.points
      .map((p, i) => (p === null ? null : `${x(i).toFixed(1)},${y(p).toFixed(1)}`))
      .filter(Boolean);
    if (pts.length > 1)
      out.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="2" ${s.dashed ? 'stroke-dasharray="6 4"' : ""} points="${pts.join(" ")}"/>`,
      );
    for (const p of pts) {
      const [px, py] = (p as string).split(",");
      out.push(`<circle cx="${px}" cy="${py}" r="2.5" fill="${s.color}"/>`);
    }
    out.push(`<rect x="${left + k * 170}" y="${H - 18}" width="12" height="3" fill="${s.color}"/>`);
    out.push(`<text x="${left + k * 170 + 16}" y="${H - 14}">${xmlText(s.name)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n");
}

const share60 = (xs: readonly number[]) =>
  xs.length === 0 ? "–" : pct(xs.filter((x) => x <= 60_000).length / xs.length, 1);

const xmlText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Writes `<name>.md` and its charts into `dir`; returns the Markdown. */
export function writeReport(
  dir: string,
  name: string,
  runs: RunResult[],
  meta: { command: string; wallMs: number },
): string {
  mkdirSync(dir, { recursive: true });
  const v = verdicts(runs);
  const labels = runs[0]?.days.map((d) => d.day.slice(5)) ?? [];
  const colors: Record<string, string> = { consign: "#1b6ec2", fifo: "#d9822b" };
  const charts: [string, string][] = [
    [
      `${name}-late-dispatch.svg`,
      lineChart(
        "Late dispatch, 10-day window (Amazon's figure solid, Consign's dashed)",
        labels,
        runs.flatMap((r) => [
          {
            name: `${r.policy}: Amazon`,
            color: colors[r.policy] ?? "#555",
            points: r.days.map((d) => d.amazon.lateDispatch10.rate),
          },
          {
            name: `${r.policy}: Consign`,
            color: colors[r.policy] ?? "#555",
            dashed: true,
            points: r.days.map((d) => d.consign.lateDispatchRate10?.rate ?? null),
          },
        ]),
        true,
        GOALS.lateDispatchMax,
      ),
    ],
    [
      `${name}-backlog.svg`,
      lineChart(
        "Orders arriving per day and left waiting at 23:59",
        labels,
        [
          { name: "orders", color: "#777", points: runs[0]?.days.map((d) => d.orders) ?? [] },
          ...runs.map((r) => ({
            name: `${r.policy}: waiting`,
            color: colors[r.policy] ?? "#555",
            points: r.days.map((d) => d.backlogAtEnd),
          })),
        ],
        false,
      ),
    ],
    [
      `${name}-print-to-confirmed.svg`,
      lineChart(
        "Print → confirmed on Amazon: share within N seconds",
        ["5 s", "10 s", "30 s", "60 s", "2 min", "5 min", "15 min", "1 h"],
        runs.map((r) => ({
          name: r.policy,
          color: colors[r.policy] ?? "#555",
          points: [5, 10, 30, 60, 120, 300, 900, 3600].map((s) => {
            const xs = r.ledger.printToConfirmedMs;
            return xs.length === 0 ? null : xs.filter((x) => x <= s * 1000).length / xs.length;
          }),
        })),
        true,
        GOALS.confirmShare,
      ),
    ],
  ];
  for (const [file, svg] of charts) writeFileSync(join(dir, file), svg);

  const md: string[] = [];
  const first = runs[0];
  md.push(`# A seller's ${first?.days.length ?? 0} simulated day(s)`);
  md.push("");
  md.push(
    `Run with \`${meta.command}\` on ${new Date().toISOString().slice(0, 16)}Z: ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}. Wall time ${(meta.wallMs / 1000).toFixed(0)} s for ${runs.length} run(s).`,
  );
  md.push("");
  md.push(
    "Real: both Workers in workerd (the seller's room, label ledger, confirmation queue, rules, sync and metrics are the product's code), the sandboxes of Amazon and the couriers on the wire. Simulated: the clock (one offset shared by the room and the sandbox's Amazon), the buyers, and the three packers (tablets holding the live document and calling /api/v1 as the PWA does). See test/sim/README.md.",
  );
  md.push("");
  md.push("## Goals");
  md.push("");
  md.push("| goal | result | met |");
  md.push("| --- | --- | --- |");
  const row = (goal: string, result: string, met: boolean | null) =>
    md.push(`| ${goal} | ${result} | ${met === null ? "not measured" : met ? "yes" : "**no**"} |`);
  row(
    "Consign's queue: late dispatch ≤ 0.5% in every window (Amazon's figure, 30-day and 10-day)",
    `worst 30-day ${pct(v.consignWorstLate30)}, worst 10-day ${pct(v.consignWorstLate10)}`,
    v.consignWorstLate30 === null
      ? null
      : v.consignWorstLate30 <= GOALS.lateDispatchMax && (v.consignWorstLate10 ?? 0) <= GOALS.lateDispatchMax,
  );
  row(
    "Consign's queue: valid tracking 100%",
    pct(v.consignValidTracking),
    v.consignValidTracking === null ? null : v.consignValidTracking >= 1,
  );
  row(
    "First in first out exceeds 4% on the same orders, faults and team",
    `worst 30-day ${pct(v.fifoWorstLate30)}`,
    v.fifoWorstLate30 === null ? null : v.fifoWorstLate30 > GOALS.fifoLateDispatchMin,
  );
  row("0 labels bought twice", String(v.boughtTwice), v.boughtTwice === 0);
  row("0 acknowledged edits lost", String(v.editsLost), v.editsLost === 0);
  row(
    "0 confirmations missing or sent twice",
    `${v.confirmationsMissing} missing, ${v.confirmationsDuplicated} twice`,
    v.confirmationsMissing === 0 && v.confirmationsDuplicated === 0,
  );
  row(
    "95% of confirmations on Amazon within 60 s of printing",
    `Consign ${pct(v.consignWithin60, 1)}${v.fifoWithin60 === null ? "" : `, FIFO ${pct(v.fifoWithin60, 1)}`} (all prints, the offline tablet's included; connected tablets only: ${runs.map((r) => `${r.policy} ${share60(r.ledger.printToConfirmedOnlineMs)}`).join(", ")})`,
    v.consignWithin60 === null ? null : v.consignWithin60 >= GOALS.confirmShare,
  );
  md.push("");
  for (const [file] of charts) md.push(`![${file}](${file})`, "");

  for (const r of runs) {
    md.push(
      `## ${r.policy === "consign" ? "Consign's queue (Due today, at-risk first)" : "First in, first out"}`,
    );
    md.push("");
    md.push(
      `Seller ${r.sellerId}, sandbox Amazon ${r.partnerId}; ${r.days.length} day(s) in ${(r.wallMs / 1000).toFixed(0)} s. Team: three packers, ${r.pace.baseMinutes.toFixed(2)} min for a one-item order (40% more per further item), capacity ${r.pace.capacityPerDay} orders a day against ${r.pace.averageDemand} arriving on average.`,
    );
    md.push("");
    md.push(
      "| day | orders | Prime | printed | waiting at 23:59 | late dispatch 10d Consign / Amazon | 30d Consign / Amazon | pre-fulfilment cancel Consign / Amazon | valid tracking Consign / Amazon | on-time delivery Consign / Amazon | ODR Consign / Amazon |",
    );
    md.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const d of r.days) {
      const c = d.consign;
      const a = d.amazon;
      md.push(
        `| ${d.day} | ${d.orders} | ${d.prime} | ${d.printed} | ${d.backlogAtEnd} | ${fig(c.lateDispatchRate10)} / ${fig(a.lateDispatch10)} | ${fig(c.lateDispatchRate30)} / ${fig(a.lateDispatch30)} | ${fig(c.preFulfilmentCancellationRate)} / ${fig(a.preFulfilmentCancellation7)} | ${fig(c.validTrackingRate)} / ${fig(a.validTracking30)} | ${fig(c.onTimeDeliveryRate)} / ${fig(a.onTimeDelivery14)} | ${fig(c.orderDefectRate)} / ${fig(a.orderDefect60)} |`,
      );
    }
    md.push("");
    const l = r.ledger;
    const q = (p: number) => {
      const x = quantile(l.printToConfirmedMs, p);
      return x === null ? "–" : `${(x / 1000).toFixed(1)} s`;
    };
    const last = r.days[r.days.length - 1]?.amazon;
    md.push(
      `- Counted over ${l.orders.counted} orders the room holds at the end: the live document's and ${l.orders.archived} archived (dispatched orders leave the live list after a few days).`,
      `- Labels: ${l.labelsBought} bought (${l.courierPurchases} purchases at the couriers' sandboxes), ${l.labelsVoided} voided, ${l.ordersWithTwoActiveLabels.length} orders holding two live labels${l.ordersWithTwoActiveLabels.length ? `: ${l.ordersWithTwoActiveLabels.slice(0, 10).join(", ")}` : ""}.`,
      `- Edits: ${l.editsMade} "printed" edits made on the tablets, ${l.editsAcknowledged} in the room at the end, ${l.editsLost.length} lost${l.editsLost.length ? `: ${l.editsLost.slice(0, 10).join(", ")}` : ""}.`,
      `- Confirmations: ${l.confirmationsAccepted} accepted by Amazon, ${l.confirmationsRefused} refused, ${l.confirmationsDuplicated.length} packages accepted twice, ${l.confirmationsMissing.length} printed orders never confirmed${l.confirmationsMissing.length ? `: ${l.confirmationsMissing.slice(0, 10).join(", ")}` : ""}.`,
      `- Order defects (negative feedback, A-to-z claims) by the end: ${l.defects.amazon} orders at Amazon, ${l.defects.inRoom} of them carried as defects in Consign's copies${
        l.defects.notInRoom.length
          ? `; not yet in Consign: ${l.defects.notInRoom
              .slice(0, 10)
              .map(
                (x) =>
                  `${x.orderId} (${x.kind} ${new Date(x.at).toISOString().slice(5, 16).replace("T", " ")})`,
              )
              .join(", ")}`
          : ""
      }.`,
      `- Print → confirmed on Amazon: median ${q(0.5)}, p95 ${q(0.95)}, max ${q(1)} over ${l.printToConfirmedMs.length} orders; ${share60(l.printToConfirmedMs)} within 60 s. Printed on a connected tablet: ${share60(l.printToConfirmedOnlineMs)} within 60 s (${l.printToConfirmedOnlineMs.length} orders). Printed on the offline tablet (${l.backOnlineToConfirmedMs.length} orders): Amazon heard of them only once it was back, ${l.backOnlineToConfirmedMs.length ? `the last ${((quantile(l.backOnlineToConfirmedMs, 1) ?? 0) / 1000).toFixed(1)} s after it reconnected` : "none"}.`,
      `- Addresses: ${addressLine(r)}.`,
      `- Stock shortfall: ${stockLine(r)}.`,
      `- The buyers (Amazon's side at the end): ${last?.negativeFeedback ?? 0} negative feedback, ${last?.claims ?? 0} A-to-z claims, ${last?.refunds ?? 0} refunds.`,
      `- The driver (what the simulation itself cost, real time): ${driverLine(r)}.`,
      `- Faults: ${r.faultsApplied.length ? r.faultsApplied.map((f) => `${f.kind} ${f.from.slice(5, 16)}–${f.to.slice(11, 16)} (${f.note})`).join("; ") : "none"}.`,
    );
    const failedBatches = r.batches.flatMap((b) => b.failed);
    if (failedBatches.length) {
      const byError = new Map<string, number>();
      for (const f of failedBatches)
        byError.set(f.error.slice(0, 120), (byError.get(f.error.slice(0, 120)) ?? 0) + 1);
      md.push(
        `- Labels a run could not buy (tried again later): ${[...byError].map(([e, n]) => `${n} × “${e}”`).join("; ")}.`,
      );
    }
    md.push("");
    if (r.lateOrders.length) {
      const reasons = new Map<string, number>();
      for (const o of r.lateOrders)
        reasons.set(
          o.why.replace(/\d+ s later/, "N s later"),
          (reasons.get(o.why.replace(/\d+ s later/, "N s later")) ?? 0) + 1,
        );
      md.push(`### Late orders (${r.lateOrders.length}) and why`);
      md.push("");
      for (const [why, n] of reasons) md.push(`- ${n} × ${why}`);
      md.push("");
      md.push("| order | latest ship | confirmed on Amazon | why |");
      md.push("| --- | --- | --- | --- |");
      // Every late order, named (a goal missed is a finding: the report says which orders and why).
      for (const o of r.lateOrders)
        md.push(
          `| ${o.orderId} | ${o.latestShip.slice(0, 16)} | ${o.confirmed?.slice(0, 16) ?? "not yet"} | ${o.why} |`,
        );
      md.push("");
    }
  }
  const text = md.join("\n");
  writeFileSync(join(dir, `${name}.md`), text);
  writeFileSync(
    join(dir, `${name}.json`),
    JSON.stringify(
      runs.map((r) => ({
        ...r,
        outcomes: undefined,
        printEdits: r.printEdits.length,
        batches: r.batches.length,
      })),
      null,
      1,
    ),
  );
  return text;
}
