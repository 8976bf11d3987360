// Bulk label runs: one command from a tablet (or the API) buys labels for hundreds of orders.
// A run is recorded in SQLite first, then driven by the room's alarm, so it survives a restart;
// each purchase goes through the ledger (exactly once per order and label revision); progress is
// written into the live document, so every device sees it, and a failure names its reason while
// the rest go on.
import type { ShipmentRequest } from "@consign/couriers";
import {
  type ActionContext,
  activeShipment,
  activeShipmentOf,
  addressProblems,
  ConsignError,
  compileRules,
  customsFor,
  deliveryAddress,
  ErrorCode,
  type LabelInputs,
  labelEligibility,
  type Order,
  type RuleEngine,
  workOut,
} from "@consign/domain";
import {
  applyOrderAction,
  type LabelRunProgress,
  readOrder,
  readRun,
  writeOrder,
  writeRun,
} from "@consign/sync";
import type * as Y from "yjs";
import type { Identity } from "../auth/identity.ts";
import { type BulkProgress, buyLabelsInBulk } from "../labels/bulk.ts";
import { type LabelLedger, type LabelRequest, shipmentOf } from "../labels/ledger.ts";
import { everyParcelLabelled, isSplit, parcelKey, parcelRequest, parseParcelKey } from "../labels/parcels.ts";
import type { RunFailover } from "./failover-runs.ts";
import { readRules, readSender } from "./settings.ts";
import { readWeightInputs } from "./worked-out.ts";

export interface RoomDoc {
  readonly doc: Y.Doc;
  transact(fn: (doc: Y.Doc) => void, origin?: unknown): void;
}

interface RunRow extends Record<string, SqlStorageValue> {
  run_id: string;
  started_by: string;
  started_at: number;
  order_ids: string;
  state: string;
}

export class LabelRuns {
  constructor(
    private readonly sql: SqlStorage,
    private readonly room: RoomDoc,
    private readonly ledger: () => Promise<LabelLedger>,
    private readonly now: () => number = Date.now,
    /** Courier failover (./failover-runs.ts): down couriers' orders go with the next service the rules allow. */
    private readonly failover?: RunFailover,
  ) {
    sql.exec(`CREATE TABLE IF NOT EXISTS label_runs (
      run_id TEXT PRIMARY KEY, idempotency_key TEXT UNIQUE, started_by TEXT NOT NULL,
      started_at INTEGER NOT NULL, order_ids TEXT NOT NULL, state TEXT NOT NULL)`);
  }

  /** Records a run (once per idempotency key) and returns it; the alarm does the buying. */
  start(
    identity: Identity,
    orderIds: string[],
    idempotencyKey: string,
  ): { runId: string; orderIds: string[] } {
    const existing = this.sql
      .exec<RunRow>("SELECT * FROM label_runs WHERE idempotency_key = ?", idempotencyKey)
      .toArray()[0];
    if (existing) return { runId: existing.run_id, orderIds: JSON.parse(existing.order_ids) as string[] };
    const unique = [...new Set(orderIds)];
    // The same rules the app's batch check uses (the domain's labelEligibility): an order already
    // labelled is welcome (the run counts it as already bought, never buys again); any other reason
    // refuses the run, naming each order and what to fix, and nothing is bought.
    const inputs = readWeightInputs(this.room.doc);
    const fields: { path: string; message: string }[] = [];
    let missing = false;
    unique.forEach((id, i) => {
      const order = readOrder(this.room.doc, id);
      if (!order) {
        missing = true;
        fields.push({ path: `orderIds.${i}`, message: `order ${id} is not in the live list` });
        return;
      }
      const verdict = labelEligibility(order, inputs);
      if (!verdict.eligible && verdict.block !== "already_labelled") {
        fields.push({ path: `orderIds.${i}`, message: verdict.message });
      }
    });
    if (fields.length) {
      throw new ConsignError(
        missing ? ErrorCode.NotFound : ErrorCode.IllegalTransition,
        `${fields.length} of ${unique.length} orders cannot take a label now; nothing was bought.`,
        fields,
      );
    }
    const runId = `run_${crypto.randomUUID()}`;
    const startedAt = this.now();
    this.sql.exec(
      "INSERT INTO label_runs VALUES (?, ?, ?, ?, ?, 'running')",
      runId,
      idempotencyKey,
      identity.name,
      startedAt,
      JSON.stringify(unique),
    );
    const progress: LabelRunProgress = {
      runId,
      startedAt,
      startedBy: identity.name,
      total: unique.length,
      done: 0,
      failed: 0,
    };
    this.room.transact((doc) => writeRun(doc, progress, "server"), "server");
    return { runId, orderIds: unique };
  }

  pending(): boolean {
    return this.sql.exec("SELECT 1 FROM label_runs WHERE state = 'running' LIMIT 1").toArray().length > 0;
  }

  view(runId: string) {
    const row = this.sql.exec<RunRow>("SELECT * FROM label_runs WHERE run_id = ?", runId).toArray()[0];
    if (!row) return null;
    const progress = readRun(this.room.doc, runId);
    const ids = JSON.parse(row.order_ids) as string[];
    return {
      runId,
      state: row.state === "running" ? ("running" as const) : ("finished" as const),
      startedAt: row.started_at,
      orders: ids.map((orderId) => {
        const failure = progress?.failures?.[orderId];
        const order = readOrder(this.room.doc, orderId);
        const shipment = order ? activeShipment(order) : undefined;
        if (failure) return { orderId, status: "failed" as const, error: failure };
        if (shipment) {
          // Bought before this run started (by another run, the API or another tablet): not bought now.
          const status =
            shipment.boughtAt < row.started_at ? ("already_bought" as const) : ("bought" as const);
          return {
            orderId,
            status,
            trackingNumber: shipment.trackingNumber,
            ...(shipment.cost ? { cost: shipment.cost } : {}),
          };
        }
        return { orderId, status: row.state === "running" ? ("buying" as const) : ("queued" as const) };
      }),
    };
  }

  /** The orders of a run, in the order it was started with; null for an unknown run. */
  orderIds(runId: string): string[] | null {
    const row = this.sql.exec<RunRow>("SELECT * FROM label_runs WHERE run_id = ?", runId).toArray()[0];
    return row ? (JSON.parse(row.order_ids) as string[]) : null;
  }

  /** Works through every running run. Called from the room's alarm. */
  async process(): Promise<void> {
    const runs = this.sql
      .exec<RunRow>("SELECT * FROM label_runs WHERE state = 'running' ORDER BY started_at")
      .toArray();
    for (const run of runs) await this.processRun(run);
  }

  private async processRun(run: RunRow): Promise<void> {
    const ids = JSON.parse(run.order_ids) as string[];
    const actor: ActionContext = { at: this.now(), by: run.started_by };
    const progress: LabelRunProgress = readRun(this.room.doc, run.run_id) ?? {
      runId: run.run_id,
      startedAt: run.started_at,
      startedBy: run.started_by,
      total: ids.length,
      done: 0,
      failed: 0,
    };
    const failures: Record<string, string> = { ...(progress.failures ?? {}) };
    const requests: LabelRequest[] = [];
    let done = 0;
    const doc = this.room.doc;
    const sender = readSender(doc);
    const engine = compileRules(readRules(doc));
    const inputs = readWeightInputs(doc);
    for (const orderId of ids) {
      const order = readOrder(doc, orderId);
      if (!order) {
        failures[orderId] = "The order left the live list (archived or unknown).";
        continue;
      }
      if (activeShipment(order) && (order.state === "label_bought" || order.state === "printed")) {
        done++; // reprint never buys again
        continue;
      }
      try {
        const request = this.requestFor(order, engine, inputs, sender, actor);
        if (isSplit(order)) {
          // One label per parcel (its own key in the ledger); parcels already labelled are kept.
          for (const p of order.packages) {
            if (activeShipmentOf(p.shipments)) continue;
            requests.push({
              orderId: parcelKey(orderId, p.packageReferenceId),
              courier: request.courier,
              shipment: parcelRequest(order, p, request.shipment, inputs),
            });
          }
        } else requests.push(request);
      } catch (e) {
        failures[orderId] = e instanceof ConsignError ? e.message : String(e);
      }
    }
    const write = () =>
      this.room.transact((d) => {
        const failed = Object.keys(failures).length;
        writeRun(
          d,
          { ...progress, done, failed, ...(failed ? { failures: { ...failures } } : {}) },
          "server",
        );
      }, "server");
    write();

    let ledger: LabelLedger | undefined;
    try {
      ledger = await this.ledger();
    } catch (e) {
      const reason = e instanceof ConsignError ? e.message : "Couriers could not be set up.";
      for (const r of requests) failures[r.orderId] = reason;
      requests.length = 0;
    }
    if (ledger && requests.length) {
      this.failover?.reroute(requests);
      const requestOf = new Map(requests.map((r) => [r.orderId, r]));
      const onProgress = (key: string, result: BulkProgress) => {
        const sent = requestOf.get(key);
        if (sent) this.failover?.observe(sent, result);
        const parcel = parseParcelKey(key);
        if (parcel.packageReferenceId !== null) {
          this.parcelBought(parcel.orderId, parcel.packageReferenceId, key, result, ledger!, failures, actor);
          if (result.state !== "failed" && everyParcelLabelled(readOrder(this.room.doc, parcel.orderId)!))
            done++;
          write();
          return;
        }
        const orderId = key;
        if (result.state === "failed") {
          failures[orderId] = result.error ?? "The courier refused the label.";
        } else {
          delete failures[orderId];
          done++;
          const record = ledger.current(orderId);
          const shipment = record ? shipmentOf(record) : undefined;
          if (shipment) {
            this.room.transact((d) => {
              const current = readOrder(d, orderId);
              if (!current || activeShipment(current)?.id === shipment.id) return;
              writeOrder(d, { orderId, labelRevision: record!.revision });
              applyOrderAction(d, orderId, { type: "labelBought", shipment }, actor, "server");
            }, "server");
          }
        }
        write();
      };
      await buyLabelsInBulk(requests, { ledger, onProgress });
      // Orders that failed because their courier went down during the run: the fallback, once.
      const again = this.failover?.secondPass(requests, new Set(Object.keys(failures))) ?? [];
      for (const r of again) requestOf.set(r.orderId, r);
      if (again.length) await buyLabelsInBulk(again, { ledger, onProgress });
    }
    this.room.transact((d) => {
      const failed = Object.keys(failures).length;
      writeRun(
        d,
        {
          ...progress,
          done,
          failed,
          finishedAt: this.now(),
          ...(failed ? { failures: { ...failures } } : {}),
        },
        "server",
      );
    }, "server");
    this.sql.exec("UPDATE label_runs SET state = 'finished' WHERE run_id = ?", run.run_id);
  }

  /**
   * One parcel of a split order bought (or refused): its label goes on the parcel; once every parcel
   * has one, the order has its labels (label_bought, its shipments the parcels' ones). A refused
   * parcel names itself in the run's failures; the others' labels are kept for the next try.
   */
  private parcelBought(
    orderId: string,
    ref: string,
    key: string,
    result: BulkProgress,
    ledger: LabelLedger,
    failures: Record<string, string>,
    actor: ActionContext,
  ): void {
    if (result.state === "failed") {
      failures[orderId] = `Parcel ${ref}: ${result.error ?? "The courier refused the label."}`;
      return;
    }
    const record = ledger.current(key);
    const bought = record ? shipmentOf(record) : undefined;
    if (!bought) return;
    const shipment = bought;
    this.room.transact((d) => {
      const current = readOrder(d, orderId);
      if (!current || !isSplit(current)) return;
      const packages = current.packages.map((p) =>
        p.packageReferenceId === ref && activeShipmentOf(p.shipments)?.id !== shipment.id
          ? { ...p, shipments: [...p.shipments, shipment] }
          : p,
      );
      writeOrder(d, { orderId, packages });
      const after = readOrder(d, orderId)!;
      if (!everyParcelLabelled(after) || after.state === "label_bought" || after.state === "printed") return;
      delete failures[orderId];
      const labels = packages.map((p) => activeShipmentOf(p.shipments)!);
      writeOrder(d, { orderId, shipments: labels.slice(0, -1) });
      applyOrderAction(d, orderId, { type: "labelBought", shipment: labels.at(-1)! }, actor, "server");
    }, "server");
  }

  /** The courier request for one order: its parcel and service worked out now (rules, SKU weights, overrides). */
  private requestFor(
    order: Order,
    engine: RuleEngine,
    inputs: LabelInputs,
    sender: ReturnType<typeof readSender>,
    actor: ActionContext,
  ): LabelRequest {
    if (!sender)
      throw new ConsignError(ErrorCode.Conflict, "Add your dispatch address in Settings → Sender.");
    const verdict = labelEligibility(order, inputs);
    if (!verdict.eligible) throw new ConsignError(ErrorCode.Conflict, verdict.message);
    const recipient = deliveryAddress(order);
    if (!recipient) throw new ConsignError(ErrorCode.Conflict, "Amazon has not released the address yet.");
    const pkg = verdict.package;
    const worked = workOut(order, inputs, engine);
    if (!worked.service) {
      const assigned = engine.assign({ ...order, package: pkg });
      const why = assigned.matched ? "" : ` ${assigned.reason}`;
      throw new ConsignError(ErrorCode.Conflict, `No shipping rule chose a service for this order.${why}`);
    }
    const chosen = worked.service;
    const problems = addressProblems(recipient, [chosen.courier], "recipient");
    if (problems.length) {
      throw new ConsignError(
        ErrorCode.Conflict,
        `The delivery address does not suit ${chosen.courier}: ${problems.map((p) => `${p.path.replace("recipient.", "")}: ${p.message}`).join("; ")}. Choose another service for this order.`,
      );
    }
    this.room.transact((d) => {
      writeOrder(d, { orderId: order.orderId, package: pkg, service: chosen });
      if (order.state === "new") applyOrderAction(d, order.orderId, { type: "markReady" }, actor, "server");
    }, "server");
    const shipment: ShipmentRequest = {
      orderId: order.orderId,
      serviceCode: chosen.serviceCode,
      recipient,
      sender,
      package: { ...pkg, ...(chosen.format ? { format: chosen.format } : {}) },
      contents: order.items.map((i) => ({
        sku: i.sku,
        description: i.title,
        quantity: i.quantityOrdered,
        unitValue: Number(i.unitPrice?.amount ?? 0),
      })),
      orderDate: order.purchaseDate,
      goodsValue: Number(order.orderTotal?.amount ?? 0),
    };
    // Parcels leaving the domestic post carry their customs declaration (the check above made sure it is whole).
    const customs = customsFor(order, inputs, pkg.weightGrams);
    if (customs.needed && "declaration" in customs) shipment.customs = customs.declaration;
    return { orderId: order.orderId, courier: chosen.courier, shipment };
  }
}
