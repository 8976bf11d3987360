import type { AmazonNotifications } from "./amazon/notifications.ts";
import type { Directory } from "./directory/Directory.ts";
import type { MailEnv } from "./mail/postmark.ts";
import type { SellerRoom } from "./room/SellerRoom.ts";

/** Every binding, variable and secret of the edge Worker. `env` is passed down, never global. */
export interface Env extends MailEnv {
  SELLER_ROOM: DurableObjectNamespace<SellerRoom>;
  DIRECTORY: DurableObjectNamespace<Directory>;
  SYNC_TEST_ROOM: DurableObjectNamespace;
  /** The one poller of the ORDER_CHANGE queue (amazon/notifications.ts). */
  AMAZON_NOTIFICATIONS: DurableObjectNamespace<AmazonNotifications>;
  LABELS: R2Bucket;
  ASSETS?: Fetcher;

  // Where the outside services live: sandboxes locally, Amazon and the couriers in production.
  LWA_TOKEN_URL: string;
  SELLER_CENTRAL_URL: string;
  SPAPI_BASE_URL: string;
  ROYAL_MAIL_BASE_URL: string;
  /** Royal Mail Pro Shipping (Shipping API v3), for sellers with a Royal Mail contract account. */
  ROYAL_MAIL_PRO_BASE_URL?: string;
  AMAZON_SHIPPING_BASE_URL: string;
  DPD_BASE_URL: string;
  EVRI_BASE_URL: string;
  PUBLIC_URL: string;
  /** Local stacks only: where the sandbox shows the mail it was given (sign-up codes), named in
   * sign-up's answer so a newcomer on `npm start` can find their code. Never set in production. */
  MAIL_SANDBOX_INBOX_URL?: string;
  SPAPI_APP_ID: string;
  SEED_DEMO?: string;
  /** "true" only in the local stack of the month simulation (test/sim): rooms read a clock the
   * simulation moves through POST /_dev/clock (room/clock.ts). Never set in production. */
  SIMULATED_CLOCK?: string;
  /** Seconds from a parcel's dispatch to the room's first look at its tracking (default 60: the
   * dispatches of a few minutes share one poll). The browser journeys shorten it. */
  TRACKING_FIRST_CHECK_SECONDS?: string;
  /** The devices' API limit, "burst/perSecond" (default "240/20"); tests force it low. */
  DEVICE_RATE_LIMIT?: string;
  /** The Directory's budget for wrong sign-in guesses from unknown devices, "burst/perSecond"
   * (default "20/0.25", directory/hash-budget.ts); the workerd tests raise it. */
  SIGNIN_GUESS_BUDGET?: string;
  /** Parsed order records a seller's room keeps (default 5,000: @consign/sync `ROOM_RECORD_CACHE`);
   * benchmarks set another to weigh the cap (test/bench/room-import.bench.ts). */
  ROOM_RECORD_CACHE?: string;
  /** DNS over HTTPS endpoint (JSON) that webhook targets are looked up with; default Cloudflare's. */
  WEBHOOK_DNS_URL?: string;
  /** Fixed webhook DNS answers as JSON {host: [addresses]}, for local stacks and tests without DNS. */
  WEBHOOK_DNS_STATIC?: string;
  /** Local stacks only: JSON {host: base URL}; a webhook for https://host/path is delivered to
   * base/path (the sandbox's stand-in receiver). The address check still runs on the name.
   * Never set in production: there a webhook goes to the URL the owner registered. */
  WEBHOOK_DELIVER_VIA?: string;
  /** The SQS queue Amazon sends ORDER_CHANGE to (URL and ARN); unset: the backup poll only. */
  SQS_QUEUE_URL?: string;
  SQS_QUEUE_ARN?: string;
  AWS_REGION?: string;
  /** Long-poll wait (0-20 s, default 20). */
  SQS_WAIT_SECONDS?: string;
  /** "manual": the poller does not run on its alarm (tests drive it). */
  SQS_POLL?: string;
  /** Long polls the poller keeps in flight at once (1-10, default 4). */
  SQS_PARALLEL?: string;

  // Secrets (wrangler secret put …; locally .dev.vars written by `npm start`).
  /** HMAC key for the short-lived access tokens. */
  TOKEN_SECRET: string;
  /** AES-GCM key (base64, 32 bytes) that encrypts stored Amazon and courier credentials. */
  CREDENTIALS_KEY: string;
  /** Our SP-API application's LWA client id and secret. */
  SPAPI_CLIENT_ID: string;
  SPAPI_CLIENT_SECRET: string;
  /** AWS credentials that may read and delete on the ORDER_CHANGE queue (never in a room's document). */
  AWS_ACCESS_KEY_ID?: string;
  AWS_SECRET_ACCESS_KEY?: string;
}
