// A Durable Object that is nothing but a RoomSync, for the sync tests (binding SYNC_TEST_ROOM).
// It is wired exactly as SellerRoom should be; its extra methods are test hooks over RPC.

import { DurableObject } from "cloudflare:workers";
import type { Order } from "@consign/domain";
import { LAYOUT_KEY, listOrders, upsertOrders } from "@consign/sync";
import * as Y from "yjs";
import type { Env } from "../../env.ts";
import { PrintClaims } from "../print-claims.ts";
import { RoomSync } from "./RoomSync.ts";

export class SyncTestRoom extends DurableObject<Env> {
  readonly sync: RoomSync;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sync = new RoomSync(ctx, { maxMessageBytes: 64_000, compactAfterRows: 50 });
    const printClaims = new PrintClaims(this.sync);
    this.sync.onLoad((doc) => printClaims.attach(doc));
  }

  override fetch(request: Request): Response {
    return this.sync.fetch(request);
  }

  override webSocketMessage(ws: WebSocket, message: ArrayBuffer | string): void {
    this.sync.webSocketMessage(ws, message);
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string, wasClean: boolean): void {
    this.sync.webSocketClose(ws, code, reason, wasClean);
  }

  override webSocketError(ws: WebSocket, error: unknown): void {
    this.sync.webSocketError(ws, error);
  }

  // ── test hooks ──
  state(): Uint8Array {
    return Y.encodeStateAsUpdate(this.sync.doc);
  }

  importOrders(orders: Order[]): number {
    let added = 0;
    this.sync.transact((doc) => {
      added = upsertOrders(doc, orders, "import").added.length;
    }, "import");
    return added;
  }

  orderIds(): string[] {
    return listOrders(this.sync.doc).map((o) => o.orderId);
  }

  lastDeviceWriteAt(): number {
    return this.sync.lastDeviceWriteAt;
  }

  connectionCount(): number {
    return this.sync.connections().length;
  }

  /** Forgets the in-memory document, as an eviction would: the next use reloads from SQLite. */
  forget(): void {
    (this.sync as unknown as { current: Y.Doc | null }).current = null;
  }

  failingTransact(): void {
    this.sync.transact((doc) => {
      doc.getMap("settings").set("half", "written");
      throw new Error("import failed half way");
    });
  }

  /** A server write of one value `chars` long; returns the error's message, or "" when it was written. */
  serverWriteOfSize(chars: number): string {
    try {
      this.sync.transact((doc) => doc.getMap("settings").set("big", "x".repeat(chars)));
      return "";
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  rebase(): string {
    this.sync.rebase();
    return this.sync.generation;
  }

  /**
   * Makes this (new) room's document one of layout 1, as rooms made before layout 2 are stored:
   * no layout stamped, each record an object and each order an empty notes text made at import.
   */
  importInLayout1(orders: Order[]): number {
    let added = 0;
    this.sync.transact((doc) => {
      doc.getMap("meta").delete(LAYOUT_KEY);
      added = upsertOrders(doc, orders, "import").added.length;
    }, "import");
    return added;
  }

  /** The nightly renewal at a quiet time (`rebaseIfNeeded` without a tombstone threshold). */
  renewIfDue(): boolean {
    return this.sync.rebaseIfNeeded();
  }

  /**
   * Fills a second RoomSync on this (fresh) object's storage with `orders` in batches, as an import
   * does, compacting past `compactAfterBytes`; returns how many times it wrote a snapshot, and how many
   * orders the stored document holds when loaded again.
   */
  fillCountingCompactions(
    orders: Order[],
    perBatch: number,
    compactAfterBytes: number,
  ): { snapshots: number; reloaded: number } {
    const options = { compactAfterBytes, compactAfterRows: 1_000_000, maxMessageBytes: 4_000_000 };
    const filling = new RoomSync(this.ctx, options);
    const store = (filling as unknown as { store: { writeSnapshot: (s: Uint8Array) => void } }).store;
    const write = store.writeSnapshot.bind(store);
    let snapshots = 0;
    store.writeSnapshot = (state) => {
      snapshots++;
      write(state);
    };
    for (let i = 0; i < orders.length; i += perBatch)
      filling.transact((doc) => upsertOrders(doc, orders.slice(i, i + perBatch), "import"), "import");
    return { snapshots, reloaded: listOrders(new RoomSync(this.ctx, options).doc).length };
  }

  closeSessionsOf(userId: string): number {
    return this.sync.closeSessions((id) => id.userId === userId, 4401, "session revoked");
  }
}
