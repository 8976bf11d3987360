// Bulk label runs: one command from a tablet (or the API) buys labels for hundreds of orders.
// A run is recorded in SQLite first, then driven by the room's alarm, so it survives a restart;
// each purchase goes through the ledger (exactly once per order and label revision); progress is
// written into the live document, so every device sees it, and a failure names its reason while
// the rest go on.
import type { ShipmentRequest } from "@consign/couriers";
import {
  type ActionContext,
  activeShipment,
  ConsignError,
  compileRules,
  ErrorCode,
  type Order,
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
import { buyLabelsInBulk } from "../labels/bulk.ts";
import { type LabelLedger, type LabelRequest, shipmentOf } from "../labels/ledger.ts";
import { packageFor, readRules, readSender } from "./settings.ts";

const LABELLABLE = new Set(["new", "ready", "label_bought", "printed"]);

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
    const fields: { path: string; message: string }[] = [];
    unique.forEach((id, i) => {
      const order = readOrder(this.room.doc, id);
      if (!order) fields.push({ path: `orderIds.${i}`, message: `order ${id} is not in the live list` });
      else if (!LABELLABLE.has(order.state)) {
        fields.push({
          path: `orderIds.${i}`,
          message: `order ${id} is ${order.state.replace("_", " ")}: no label now`,
        });
      }
    });
    if (fields.length) {
      const code = fields.some((f) => f.message.includes("not in the live list"))
        ? ErrorCode.NotFound
        : ErrorCode.IllegalTransition;
      throw new ConsignError(code, "Some orders cannot take a label now; nothing was bought.", fields);
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
        if (shipment) return { orderId, status: "bought" as const, trackingNumber: shipment.trackingNumber };
        return { orderId, status: row.state === "running" ? ("buying" as const) : ("queued" as const) };
      }),
    };
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
        requests.push(this.requestFor(order, engine, sender, actor));
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
      await buyLabelsInBulk(requests, {
        ledger,
        onProgress: (orderId, result) => {
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
        },
      });
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

  /** The courier request for one order: rules choose the service, the package must have a weight. */
  private requestFor(
    order: Order,
    engine: ReturnType<typeof compileRules>,
    sender: ReturnType<typeof readSender>,
    actor: ActionContext,
  ): LabelRequest {
    if (!sender)
      throw new ConsignError(ErrorCode.Conflict, "Add your dispatch address in Settings → Sender.");
    if (!order.recipient)
      throw new ConsignError(ErrorCode.Conflict, "Amazon has not released the address yet.");
    const pkg = packageFor(order, this.room.doc);
    if (!pkg)
      throw new ConsignError(ErrorCode.BadRequest, "Missing weight: enter the parcel weight on the order.");
    let service = order.service;
    if (!service) {
      const assigned = engine.assign({ ...order, package: pkg });
      if (!assigned.matched)
        throw new ConsignError(ErrorCode.Conflict, `No shipping rule matched: ${assigned.reason}`);
      service = assigned.service;
    }
    const chosen = service;
    this.room.transact((d) => {
      writeOrder(d, { orderId: order.orderId, package: pkg, service: chosen });
      if (order.state === "new") applyOrderAction(d, order.orderId, { type: "markReady" }, actor, "server");
    }, "server");
    const shipment: ShipmentRequest = {
      orderId: order.orderId,
      serviceCode: chosen.serviceCode,
      recipient: order.recipient,
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
    return { orderId: order.orderId, courier: chosen.courier, shipment };
  }
}
