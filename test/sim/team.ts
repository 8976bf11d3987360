// The simulated team: three packers on shifts with breaks, each on a tablet holding the live
// document (y-websocket to /sync, as the PWA) and calling /api/v1 (label runs, cancellations), as
// the PWA does. They take orders in the order the product shows them (ranked by time left to the
// dispatch deadline: "Due today", overdue and at-risk first) or, in the comparison run, first in
// first out as a plain order list would; they buy labels for a batch, print it (the "printed" edit
// in the live document, which with auto-confirm on print makes the room tell Amazon), then pack it.

import {
  labelEligibility,
  type Order,
  openCancellationRequest,
  rankUnshipped,
  stockShortfalls,
} from "@consign/domain";
import {
  applyOrderAction,
  CURRENT_LAYOUT,
  carryUnsyncedEdits,
  documentGeneration,
  listOrders,
  readOrder,
  stockLevels,
} from "@consign/sync";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { Device } from "./world.ts";

export type Policy = "consign" | "fifo";

const MIN = 60_000;

/** Working minutes of the UTC day (breaks are the gaps), per packer. */
export const SHIFTS: readonly (readonly [number, number])[][] = [
  [
    [6 * 60, 10 * 60],
    [10 * 60 + 15, 12 * 60],
    [12 * 60 + 30, 15 * 60],
  ],
  [
    [10 * 60, 13 * 60 + 30],
    [14 * 60, 16 * 60],
    [16 * 60 + 15, 19 * 60],
  ],
  [
    [14 * 60, 17 * 60],
    [17 * 60 + 30, 20 * 60],
    [20 * 60 + 15, 23 * 60],
  ],
];

export const WORKING_MINUTES_PER_DAY = SHIFTS.flat().reduce((s, [a, b]) => s + (b - a), 0);

/** Minutes to pick and pack an order at `base` minutes for one item, 40% more for each further item. */
export function packMinutes(items: number, base: number): number {
  return base * (1 + 0.4 * Math.max(0, items - 1));
}

/**
 * The pace that makes the team's capacity `headroom` (1.1: 10% above) the average day's demand,
 * given the mean of (1 + 0.4 × extra items) over the orders (measured from the first day's plan).
 */
export function basePace(averagePerDay: number, meanItemFactor: number, headroom = 1.1): number {
  return WORKING_MINUTES_PER_DAY / (headroom * averagePerDay * meanItemFactor);
}

export interface PrintEdit {
  orderId: string;
  packer: string;
  at: number;
  offline: boolean;
  /** For an edit made offline: when its tablet was back online (its edits could reach the room). */
  backOnlineAt?: number;
}

export interface BatchLog {
  packer: string;
  at: number;
  orders: number;
  bought: number;
  failed: { orderId: string; error: string }[];
}

/** The room's close code for a copy of an older generation of the document (see RoomSync). */
const GENERATION_CHANGED = 4409;

export class Packer {
  /** The tablet's copy of the live document (replaced by the new generation when the room renews it). */
  doc = new Y.Doc();
  private provider: WebsocketProvider | null = null;
  private renewing: Promise<void> | null = null;
  busyUntil = 0;
  offline = false;
  /** Each time the room renewed the document: when (real time) and how many unsynced edits were carried. */
  readonly renewals: { carried: number; skipped?: string }[] = [];

  constructor(
    readonly name: string,
    readonly shift: readonly (readonly [number, number])[],
    readonly device: Device,
    private readonly wsUrl: string,
    private readonly sellerId: string,
  ) {}

  async connect(): Promise<void> {
    const token = await this.device.accessToken();
    this.provider?.destroy();
    // The tablet says which generation of the document it holds, as the PWA does: the room answers
    // 4409 when it has renewed the document since (after archiving, in the night's quiet hours).
    this.provider = new WebsocketProvider(this.wsUrl, this.sellerId, this.doc, {
      WebSocketPolyfill: WebSocket as never,
      disableBc: true,
      params: { token, gen: documentGeneration(this.doc) ?? "", layout: String(CURRENT_LAYOUT) },
    });
    const p = this.provider;
    const renewed = new Promise<"renewed">((resolve) => {
      p.on("connection-close", (e: { code?: number } | null) => {
        if (e?.code !== GENERATION_CHANGED || this.provider !== p) return;
        this.renewing ??= this.moveToNewGeneration().finally(() => {
          this.renewing = null;
        });
        resolve("renewed");
      });
    });
    const outcome = await new Promise<"synced" | "renewed">((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${this.name}'s tablet did not sync within 60 s`)), 60_000);
      const done = (how: "synced" | "renewed") => {
        clearTimeout(t);
        resolve(how);
      };
      if (p.synced) done("synced");
      else p.once("sync", () => done("synced"));
      void renewed.then(done);
    });
    if (outcome === "renewed") await this.renewing;
    this.offline = false;
  }

  /**
   * What the PWA does on 4409 (apps/web/src/lib/live.ts): fetch the room's new generation, write into
   * it what this copy holds that the room never saw (prints made offline or in flight), and carry on
   * with it. The carried edits reach the room as this tablet's own.
   */
  private async moveToNewGeneration(): Promise<void> {
    const old = this.doc;
    this.provider?.destroy();
    this.provider = null;
    this.doc = new Y.Doc();
    await this.connect();
    this.renewals.push(carryUnsyncedEdits(old, this.doc));
  }

  /**
   * A tablet whose socket dropped (the Worker reloaded, the room restarted) reconnects, with a fresh
   * access token as the PWA does: the provider's own retries reuse the token it was made with, which
   * expires after 10 minutes.
   */
  async ensureConnected(): Promise<void> {
    if (this.renewing) await this.renewing;
    if (this.offline || this.provider?.wsconnected) return;
    await this.connect();
  }

  connected(): boolean {
    return !!this.provider?.wsconnected;
  }

  /** The tablet loses its connection: edits stay in its copy until it is back. */
  goOffline(): void {
    this.provider?.destroy();
    this.provider = null;
    this.offline = true;
  }

  /** Working at `at` (ms): inside one of the shift's working spans. */
  workingAt(at: number): boolean {
    const minute = Math.floor((at % 86_400_000) / MIN);
    return this.shift.some(([a, b]) => minute >= a && minute < b);
  }

  /** Minutes left in the working span at `at` (0 when on a break or off shift). */
  minutesLeftAt(at: number): number {
    const minute = (at % 86_400_000) / MIN;
    const span = this.shift.find(([a, b]) => minute >= a && minute < b);
    return span ? span[1] - minute : 0;
  }

  /** The next start of a working span after `at` (ms). */
  nextStartAfter(at: number): number {
    const day = at - (at % 86_400_000);
    for (const d of [0, 1]) {
      for (const [a] of this.shift) {
        const t = day + d * 86_400_000 + a * MIN;
        if (t > at) return t;
      }
    }
    return at + 86_400_000;
  }

  /**
   * Every order in the tablet's copy. Read again only after the copy changed (the driver looks many
   * times a step; decoding a few thousand orders each time was its own cost at full volume).
   */
  orders(): readonly Order[] {
    if (this.listed?.doc !== this.doc || this.listed.stale) {
      const doc = this.doc;
      const entry = { doc, stale: false, orders: listOrders(doc) };
      if (this.listed?.doc !== doc) doc.on("update", () => this.markStale(doc));
      this.listed = entry;
    }
    return this.listed.orders;
  }

  /**
   * The orders the app flags "no stock" on this tablet: stock on hand cannot fill them (the same
   * rule and levels the PWA's list reads, from this copy of the live document).
   */
  shortOrders(): ReadonlySet<string> {
    return new Set(stockShortfalls(this.orders(), stockLevels(this.doc)).keys());
  }

  private listed: { doc: Y.Doc; stale: boolean; orders: Order[] } | null = null;
  private markStale(doc: Y.Doc): void {
    if (this.listed?.doc === doc) this.listed.stale = true;
  }

  order(orderId: string): Order | undefined {
    return readOrder(this.doc, orderId);
  }

  /** The "printed" edit, as the PWA's print does after the label went to the printer. */
  print(orderId: string, at: number): boolean {
    const o = readOrder(this.doc, orderId);
    if (o?.state !== "label_bought") return false;
    applyOrderAction(this.doc, orderId, { type: "printed" }, { at, by: this.name }, "local");
    return true;
  }

  close(): void {
    this.provider?.destroy();
    this.provider = null;
  }
}

/**
 * Orders a packer can buy a label for now, in the order the policy takes them: never one the app
 * flags "no stock" (`short`), which waits for a restock in either policy.
 */
export function queue(
  orders: readonly Order[],
  now: number,
  policy: Policy,
  skuWeights: Record<string, number>,
  skip: ReadonlySet<string>,
  short: ReadonlySet<string> = new Set(),
): Order[] {
  const buyable = orders.filter(
    (o) =>
      !skip.has(o.orderId) &&
      !short.has(o.orderId) &&
      (o.state === "new" || o.state === "ready") &&
      labelEligibility(o, { skuWeights, packagingGrams: 0 } as Parameters<typeof labelEligibility>[1])
        .eligible,
  );
  if (policy === "consign") {
    const ids = new Set(buyable.map((o) => o.orderId));
    return rankUnshipped(buyable, now)
      .map((r) => r.order)
      .filter((o) => ids.has(o.orderId));
  }
  return [...buyable].sort((a, b) => a.purchaseDate - b.purchaseDate || (a.orderId < b.orderId ? -1 : 1));
}

/** Open cancellation requests the owner answers (accepts) before the next batch. */
export function openRequests(orders: readonly Order[]): Order[] {
  return orders.filter((o) => (o.state === "new" || o.state === "ready") && openCancellationRequest(o));
}
