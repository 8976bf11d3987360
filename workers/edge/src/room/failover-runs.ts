// Failover inside a label run: before buying, orders whose courier is down go to the next service
// the seller's rules allow (the order says why); each purchase tells the courier's health how it
// went; after the run, orders that failed because their courier went down meanwhile are sent again
// with the fallback. An uncertain purchase left with the down courier is kept for reconciling
// (see CourierFailover.probe), so nothing is paid for twice.
import {
  type ChosenService,
  type CourierId,
  compileRules,
  failoverReason,
  fallbackService,
} from "@consign/domain";
import { readOrder, writeOrder } from "@consign/sync";
import type { BulkProgress } from "../labels/bulk.ts";
import type { LabelRequest } from "../labels/ledger.ts";
import type { CourierFailover, PurchaseOutcome } from "./failover.ts";
import type { RoomDoc } from "./label-runs.ts";
import { readRules } from "./settings.ts";

export interface RunFailoverDeps {
  sql: SqlStorage;
  room: RoomDoc;
  failover: CourierFailover;
  /** The owner's switch (Settings → End of day: failover). */
  enabled: () => boolean;
  /** A courier was just marked down: ask the alarm to probe it. */
  onDown: (courier: CourierId) => void;
}

export class RunFailover {
  constructor(private readonly deps: RunFailoverDeps) {}

  /** Requests whose courier is down, sent with the fallback instead (in place). Returns how many moved. */
  reroute(requests: LabelRequest[]): number {
    if (!this.deps.enabled()) return 0;
    const engine = compileRules(readRules(this.deps.room.doc));
    let moved = 0;
    for (let i = 0; i < requests.length; i++) {
      const request = requests[i]!;
      if (!this.deps.failover.isDown(request.courier)) continue;
      const order = readOrder(this.deps.room.doc, request.orderId);
      if (!order) continue;
      const chosen = fallbackService(engine, { ...order, package: request.shipment.package }, (c) =>
        this.deps.failover.isDown(c),
      );
      if (!chosen) continue; // no other service allowed: it fails with the courier's own reason
      requests[i] = this.moved(request, chosen);
      moved++;
    }
    return moved;
  }

  /** How one purchase went: feeds the courier's health. */
  observe(request: LabelRequest, progress: BulkProgress): void {
    const outcome: PurchaseOutcome =
      progress.state === "bought" ? "bought" : this.wasUncertain(request.orderId) ? "unanswered" : "refused";
    if (this.deps.failover.record(request.courier, outcome)) this.deps.onDown(request.courier);
  }

  /** After the run: failed orders whose courier is now down, rerouted for a second pass. */
  secondPass(requests: LabelRequest[], failed: ReadonlySet<string>): LabelRequest[] {
    const again = requests.filter((r) => failed.has(r.orderId) && this.deps.failover.isDown(r.courier));
    return this.reroute(again) > 0 ? again.filter((r) => !this.deps.failover.isDown(r.courier)) : [];
  }

  private moved(request: LabelRequest, chosen: ChosenService): LabelRequest {
    const reason = failoverReason(request.courier, chosen);
    const last = this.latestLedgerRow(request.orderId);
    // The down courier may have bought it without telling us: check when it is back.
    if (
      last &&
      String(last.state) === "failed" &&
      Number(last.uncertain) === 1 &&
      last.courier === request.courier
    ) {
      this.deps.failover.keepForReconcile(
        String(last.key),
        request.courier,
        request.orderId,
        request.shipment,
      );
    }
    this.deps.room.transact((d) => {
      writeOrder(d, { orderId: request.orderId, service: { ...chosen, reason } });
    }, "server");
    const { format: _old, ...pkg } = request.shipment.package;
    return {
      orderId: request.orderId,
      courier: chosen.courier,
      shipment: {
        ...request.shipment,
        serviceCode: chosen.serviceCode,
        package: { ...pkg, ...(chosen.format ? { format: chosen.format } : {}) },
      },
    };
  }

  private wasUncertain(orderId: string): boolean {
    const row = this.latestLedgerRow(orderId);
    return row !== undefined && Number(row.uncertain) === 1;
  }

  private latestLedgerRow(orderId: string) {
    return this.deps.sql
      .exec(
        "SELECT key, state, uncertain, courier FROM label_ledger WHERE order_id = ? ORDER BY revision DESC LIMIT 1",
        orderId,
      )
      .toArray()[0];
  }
}
