// The seller's Amazon connection inside the room: the encrypted refresh token, the importer that
// brings orders into the live document, and the durable queue of dispatch confirmations.
import { ConsignError, ErrorCode, type Order } from "@consign/domain";
import {
  ensureOrderChangeSubscription,
  findOrderChangeSubscription,
  type HealthClientOptions,
  type OrderChange,
  type SpApiClient,
  toOrder,
} from "@consign/sp-api";
import {
  buildConsentUrl,
  ConfirmationQueue,
  type ConfirmationResult,
  CredentialVault,
  clientSettingsFromEnv,
  completeConnection,
  Importer,
  type ImportStatus,
  INCLUDED,
} from "../amazon/index.ts";
import { confirmationsFor, singlePackageReference } from "../amazon/package-confirmations.ts";
import type { Env } from "../env.ts";
import { type Clock, systemClock } from "./clock.ts";

/** How long the other sections' clients wait for Amazon's answer (as the orders client does). */
const SECTION_TIMEOUT_MS = 30_000;

export interface AmazonStatus {
  connected: boolean;
  sellingPartnerId?: string;
  connectedAt?: number;
  import: ImportStatus | null;
  confirmations: { pending: number; confirmed: number; failed: number };
  /** Why confirmations stopped, in words a seller can act on. */
  confirmationsStopped?: string;
  /** The last successful import, and the error to show on the sync chip (both for the PWA). */
  lastSyncAt?: number;
  error?: string;
}

/** What a disconnect leaves to tell Amazon: whose ORDER_CHANGE subscription to delete. */
export interface AmazonDisconnected {
  sellingPartnerId?: string;
  subscriptionId?: string;
}

export class AmazonLink {
  readonly vault: CredentialVault;
  private client: Promise<SpApiClient> | null = null;
  private importer: Importer | null = null;
  private queue: ConfirmationQueue | null = null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly env: Env,
    private readonly hooks: {
      onOrders(orders: Order[]): Promise<void>;
      onConfirmation(
        orderId: string,
        result: ConfirmationResult,
        packageReferenceId: string,
      ): Promise<void> | void;
    },
    /** The room's clock (./clock.ts): token expiry, Amazon's rate limits and confirmation times. */
    private readonly clock: Clock = systemClock,
  ) {
    this.vault = new CredentialVault(sql, env.CREDENTIALS_KEY);
    sql.exec(`CREATE TABLE IF NOT EXISTS amazon_subscription (
      id INTEGER PRIMARY KEY CHECK (id = 1), subscription_id TEXT NOT NULL, destination_id TEXT NOT NULL,
      at INTEGER NOT NULL)`);
  }

  connected(): boolean {
    return this.vault.connection() !== undefined;
  }

  consentUrl(sellerId: string, now: number): Promise<string> {
    return buildConsentUrl(this.env, sellerId, now);
  }

  async finishConnect(code: string, sellingPartnerId: string, now: number): Promise<void> {
    await completeConnection(this.env, this.vault, { code, sellingPartnerId, now });
    this.client = null;
    this.importer = null;
    this.queue = null;
    (await this.importerOrNull())?.start(now);
  }

  /**
   * Forgets the seller's Amazon credentials. Returns the selling partner and the ORDER_CHANGE
   * subscription Amazon must be told to delete (the one stored at subscribe time, or, for a
   * connection made before that was stored, the one Amazon names for this seller's token).
   */
  async disconnect(): Promise<AmazonDisconnected> {
    const connection = this.vault.connection();
    if (!connection) return {};
    let subscriptionId = this.subscriptionId();
    if (!subscriptionId) {
      try {
        const client = await this.spApi();
        subscriptionId = (
          await findOrderChangeSubscription({
            fetch: (input, init) => fetch(input, init),
            baseUrl: this.env.SPAPI_BASE_URL,
            token: await client.accessToken(),
            timeoutMs: 15_000,
          })
        )?.subscriptionId;
      } catch (e) {
        // Amazon refused the seller's token (consent withdrawn) or did not answer: nothing to delete
        // that we know of; the poller ignores this seller's notifications from now on.
        console.warn(`[amazon] ORDER_CHANGE subscription not found at disconnect: ${(e as Error).message}`);
      }
    }
    this.vault.forget();
    this.sql.exec("DELETE FROM amazon_subscription");
    this.client = null;
    this.importer = null;
    this.queue = null;
    return {
      sellingPartnerId: connection.sellingPartnerId,
      ...(subscriptionId ? { subscriptionId } : {}),
    };
  }

  /** The seller's ORDER_CHANGE subscription as Amazon numbered it, once subscribed. */
  subscriptionId(): string | undefined {
    return this.sql
      .exec<{ subscription_id: string }>("SELECT subscription_id FROM amazon_subscription WHERE id = 1")
      .toArray()[0]?.subscription_id;
  }

  private spApi(): Promise<SpApiClient> {
    this.client ??= this.vault
      .client(
        clientSettingsFromEnv(this.env, {
          clock: () => this.clock.now(),
          sleep: (ms) => this.clock.sleep(ms),
        }),
      )
      .catch((e) => {
        this.client = null;
        throw e;
      });
    return this.client;
  }

  /**
   * What the clients of Amazon's other sections (Reports, Finances, Listings, Solicitations, Feeds)
   * share with the orders client: the seller's access token, the room's clock for their rate limits,
   * retries and backoff (a simulated month's room waits in its own time), and the same answer timeout
   * (an answer that never comes is given up on and retried, not waited on for ever).
   */
  sectionOptions(): HealthClientOptions {
    return {
      fetch: (input, init) => fetch(input, init),
      baseUrl: this.env.SPAPI_BASE_URL,
      accessToken: (refused) => this.accessToken(refused),
      clock: () => this.clock.now(),
      sleep: (ms) => this.clock.sleep(ms),
      timeoutMs: SECTION_TIMEOUT_MS,
    };
  }

  /** An LWA access token for Amazon Buy Shipping and the health APIs; `refused`: the one Amazon just refused. */
  async accessToken(refused?: string): Promise<string> {
    if (!this.connected()) {
      throw new ConsignError(
        ErrorCode.AmazonNotConnected,
        "Amazon Buy Shipping needs Amazon connected: Settings → Amazon.",
      );
    }
    return (await this.spApi()).accessToken(refused);
  }

  private async importerOrNull(): Promise<Importer | null> {
    if (!this.connected()) return null;
    this.importer ??= new Importer({
      sql: this.sql,
      client: await this.spApi(),
      onOrders: this.hooks.onOrders,
    });
    return this.importer;
  }

  private async queueOrNull(): Promise<ConfirmationQueue | null> {
    if (!this.connected()) return null;
    this.queue ??= new ConfirmationQueue({
      sql: this.sql,
      client: await this.spApi(),
      clock: () => this.clock.now(),
      onResult: (orderId, result, packageReferenceId) =>
        this.hooks.onConfirmation(orderId, result, packageReferenceId),
    });
    return this.queue;
  }

  /**
   * This seller's ORDER_CHANGE subscription to the application's destination (the seller's token).
   * Returns the subscription id; the backup poll keeps running whatever happens here.
   */
  async subscribeOrderChange(destinationId: string): Promise<string> {
    const client = await this.spApi();
    const subscriptionId = await ensureOrderChangeSubscription({
      fetch: (input, init) => fetch(input, init),
      baseUrl: this.env.SPAPI_BASE_URL,
      token: await client.accessToken(),
      destinationId,
      timeoutMs: 30_000,
    });
    // Kept so that disconnecting can delete it at Amazon.
    this.sql.exec(
      `INSERT INTO amazon_subscription (id, subscription_id, destination_id, at) VALUES (1, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET subscription_id = excluded.subscription_id,
       destination_id = excluded.destination_id, at = excluded.at`,
      subscriptionId,
      destinationId,
      this.clock.now(),
    );
    return subscriptionId;
  }

  /**
   * An ORDER_CHANGE notification for this seller: the order is read again (getOrder, the same datasets
   * as the import) and stored in the document before this returns, so the poller deletes the
   * message only once the change is kept. A buyer's cancellation request arrives on the order itself.
   */
  async applyChange(change: OrderChange): Promise<{ orderId: string; cancellationRequested: boolean }> {
    if (!this.connected()) {
      throw new ConsignError(ErrorCode.AmazonNotConnected, "Amazon is not connected for this seller.");
    }
    const client = await this.spApi();
    const order = toOrder(await client.getOrder(change.amazonOrderId, INCLUDED));
    if (change.buyerRequestedCancel && order.items.every((i) => !i.cancellationRequested)) {
      // Amazon's notification can come before the order shows it: the flag goes up at once.
      for (const item of order.items) item.cancellationRequested = true;
    }
    await this.hooks.onOrders([order]);
    return {
      orderId: order.orderId,
      cancellationRequested: order.items.some((i) => i.cancellationRequested),
    };
  }

  /** Confirmations waiting to be sent (read from storage, without loading the document). */
  hasQueuedConfirmations(): boolean {
    try {
      return (
        this.sql
          .exec<{ n: number }>(
            "SELECT count(*) AS n FROM amazon_confirmations WHERE state IN ('pending','sending')",
          )
          .one().n > 0
      );
    } catch {
      return false; // no confirmation queued yet: the table does not exist
    }
  }

  /** One import step; returns when to run again. */
  async runImport(now: number): Promise<number | null> {
    const importer = await this.importerOrNull();
    if (!importer) return null;
    return (await importer.runOnce(now)).nextRunAt;
  }

  /** The package reference Amazon sees for an unsplit order's current label. */
  static packageReference(order: Order): string {
    return singlePackageReference(order);
  }

  /** Every parcel of the order that has a label is queued (or confirmed) already. */
  async isQueued(order: Order): Promise<boolean> {
    const queue = await this.queueOrNull();
    if (!queue) return false;
    return confirmationsFor(order, 0).every((d) => queue.get(d.orderId, d.packageReferenceId) !== undefined);
  }

  /** Queues one confirmation per labelled parcel (exactly once each: the queue is keyed by parcel). */
  async enqueue(order: Order, now: number): Promise<boolean> {
    const queue = await this.queueOrNull();
    if (!queue) return false;
    for (const d of confirmationsFor(order, now)) queue.enqueue(d, now);
    return true;
  }

  async drainConfirmations(now: number): Promise<number | null> {
    const queue = await this.queueOrNull();
    return queue ? queue.drain(now) : null;
  }

  async status(): Promise<AmazonStatus> {
    const connection = this.vault.connection();
    const counts = { pending: 0, confirmed: 0, failed: 0 };
    if (!connection) return { connected: false, import: null, confirmations: counts };
    let importer: Importer | null = null;
    let queue: ConfirmationQueue | null = null;
    let error: string | undefined;
    try {
      importer = await this.importerOrNull();
      queue = await this.queueOrNull();
    } catch (e) {
      error = e instanceof ConsignError ? e.message : "Amazon could not be reached.";
    }
    const stopped = queue?.stopped() ?? error;
    const status = importer?.status();
    const problem = status?.lastError ?? stopped;
    return {
      ...(status?.lastSyncAt ? { lastSyncAt: status.lastSyncAt } : {}),
      ...(problem ? { error: problem } : {}),
      connected: true,
      sellingPartnerId: connection.sellingPartnerId,
      connectedAt: connection.connectedAt,
      import: importer?.status() ?? null,
      confirmations: queue?.counts() ?? counts,
      ...(stopped ? { confirmationsStopped: stopped } : {}),
    };
  }
}
