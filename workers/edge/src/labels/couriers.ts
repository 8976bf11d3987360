// Builds the seller's courier adapters from the edge env (base URLs) and their stored credentials,
// each behind its own rate limiter. A SellerRoom keeps one set for its lifetime so that every bulk
// run and every device shares the same limits.
import {
  AMAZON_SHIPPING_RATE_LIMIT,
  type CollectionsAdapter,
  type CourierAdapter,
  createAmazonShippingAdapter,
  createDpdAdapter,
  createDpdCollections,
  createDpdReturns,
  createEvriAdapter,
  createEvriCollections,
  createEvriReturns,
  createProShippingAdapter,
  createRoyalMailAdapter,
  createRoyalMailManifests,
  createRoyalMailReturns,
  DPD_RATE_LIMIT,
  EVRI_RATE_LIMIT,
  type FetchFunction,
  PRO_SHIPPING_RATE_LIMIT,
  type RateLimit,
  type ReturnsAdapter,
  ROYAL_MAIL_RATE_LIMIT,
  type RoyalMailManifests,
  type SenderAddress,
  signInToProShipping,
} from "@consign/couriers";
import { ConsignError, type CourierId, ErrorCode } from "@consign/domain";
import { type Clock, createRateLimiter, rateLimitedFetch, realClock } from "./rate-limit.ts";

/** The base URLs from Env (sandbox locally, the couriers in production). */
export interface CourierBaseUrls {
  ROYAL_MAIL_BASE_URL: string;
  /** Royal Mail Tracking API v2 host; defaults to the Click & Drop host's sandbox sibling. */
  ROYAL_MAIL_TRACKING_BASE_URL?: string;
  /**
   * Royal Mail Pro Shipping (Shipping API v3) for contract accounts, e.g.
   * https://api.royalmail.net/shipping/v3; defaults to the sandbox's, beside Click & Drop's.
   */
  ROYAL_MAIL_PRO_BASE_URL?: string;
  AMAZON_SHIPPING_BASE_URL: string;
  DPD_BASE_URL: string;
  EVRI_BASE_URL: string;
}

/** Decrypted credentials for the couriers this seller has connected. */
export interface CourierCredentials {
  royalMail?: { apiKey: string; tracking?: { clientId: string; clientSecret: string } };
  /** Royal Mail through Pro Shipping instead of Click & Drop (one or the other). */
  royalMailPro?: {
    clientId: string;
    clientSecret: string;
    username: string;
    password: string;
    postingLocation: string;
  };
  amazonShipping?: { accessToken: () => Promise<string> | string; shipFrom?: SenderAddress };
  dpd?: { username: string; password: string; accountNumber: string };
  evri?: { username: string; password: string; clientId: string; clientName: string };
}

export interface CourierOptions {
  fetch?: FetchFunction;
  /** How long to wait for a courier before treating the outcome as unknown (default 20 s). */
  timeoutMs?: number;
  /** Overrides each courier's own rate limit (tests, or a contract with a higher limit). */
  rateLimits?: Partial<Record<CourierId, RateLimit>>;
  clock?: Clock;
}

export interface CourierSet {
  adapterFor(courier: CourierId): CourierAdapter;
  /** Click & Drop manifests, sharing the Royal Mail adapter's rate limit. */
  royalMailManifests(): RoyalMailManifests;
  /** Returns labels from a courier that offers them (Royal Mail, DPD, Evri), sharing its rate limit. */
  returnsFor(courier: CourierId): ReturnsAdapter;
  /** Collections from a courier that books them through its API (Evri), sharing its rate limit. */
  collectionsFor(courier: CourierId): CollectionsAdapter;
}

/** Where Pro Shipping lives: the env's, or the sandbox's beside Click & Drop's. */
export function proShippingBaseUrl(urls: CourierBaseUrls): string {
  return (
    urls.ROYAL_MAIL_PRO_BASE_URL ??
    new URL("../../../royalmail-pro/shipping/v3", `${urls.ROYAL_MAIL_BASE_URL}/`).href
  );
}

/**
 * Tries the credentials a seller is connecting before they are kept, where the courier's API has a
 * sign-in of its own (Royal Mail Pro Shipping's /token): wrong ones are said at once, in the
 * courier's words, not on the first label run. Others are kept as given.
 */
export async function testCourierConnection(
  urls: CourierBaseUrls,
  credentials: { api?: unknown } & Record<string, unknown>,
  options: Pick<CourierOptions, "fetch" | "timeoutMs"> = {},
): Promise<void> {
  if (credentials.api !== "pro-shipping") return;
  const baseFetch: FetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 20_000;
  await signInToProShipping(
    {
      baseUrl: proShippingBaseUrl(urls),
      clientId: String(credentials.clientId),
      clientSecret: String(credentials.clientSecret),
      username: String(credentials.username),
      password: String(credentials.password),
    },
    { fetch: baseFetch, timeout: () => AbortSignal.timeout(timeoutMs) },
  );
}

export function createCourierSet(
  urls: CourierBaseUrls,
  credentials: CourierCredentials,
  options: CourierOptions = {},
): CourierSet {
  const baseFetch: FetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 20_000;
  const built = new Map<CourierId, CourierAdapter>();
  const contexts = new Map<CourierId, ReturnType<typeof newContext>>();

  function newContext(courier: CourierId, defaultLimit: RateLimit) {
    const limiter = createRateLimiter(
      options.rateLimits?.[courier] ?? defaultLimit,
      options.clock ?? realClock,
    );
    // The timeout is set when the call leaves the limiter (rate-limit.ts), not when it joins the queue.
    return { fetch: rateLimitedFetch(baseFetch, limiter, timeoutMs, options.clock ?? realClock) };
  }

  /** One rate limiter per courier, whatever calls it (labels, manifests). */
  function context(courier: CourierId, defaultLimit: RateLimit) {
    let ctx = contexts.get(courier);
    if (!ctx) {
      ctx = newContext(courier, defaultLimit);
      contexts.set(courier, ctx);
    }
    return ctx;
  }

  function notConnected(name: string): never {
    throw new ConsignError(
      ErrorCode.CourierNotConnected,
      `${name} is not connected: add the account in Settings → Couriers`,
    );
  }

  const trackingBase = () =>
    urls.ROYAL_MAIL_TRACKING_BASE_URL ?? new URL("../../", `${urls.ROYAL_MAIL_BASE_URL}/`).href;

  /** Click & Drop's credentials, or words saying the Royal Mail account is connected through Pro Shipping. */
  function clickAndDrop(what: string) {
    if (credentials.royalMail) return credentials.royalMail;
    if (credentials.royalMailPro) {
      throw new ConsignError(
        ErrorCode.BadRequest,
        `${what} go through Royal Mail Click & Drop, and this Royal Mail account is connected through Pro Shipping: use Pro Shipping for them, or connect Royal Mail with a Click & Drop API key instead.`,
      );
    }
    return notConnected("Royal Mail");
  }

  function build(courier: CourierId): CourierAdapter {
    switch (courier) {
      case "royal-mail": {
        const pro = credentials.royalMailPro;
        if (pro) {
          return createProShippingAdapter(
            {
              baseUrl: proShippingBaseUrl(urls),
              ...pro,
              trackingBaseUrl: trackingBase(),
            },
            context(courier, PRO_SHIPPING_RATE_LIMIT),
          );
        }
        const c = credentials.royalMail ?? notConnected("Royal Mail");
        return createRoyalMailAdapter(
          {
            baseUrl: urls.ROYAL_MAIL_BASE_URL,
            apiKey: c.apiKey,
            tracking: {
              baseUrl: trackingBase(),
              clientId: c.tracking?.clientId ?? c.apiKey,
              clientSecret: c.tracking?.clientSecret ?? "-",
            },
          },
          context(courier, ROYAL_MAIL_RATE_LIMIT),
        );
      }
      case "amazon-shipping": {
        const c = credentials.amazonShipping ?? notConnected("Amazon Shipping");
        return createAmazonShippingAdapter(
          {
            baseUrl: urls.AMAZON_SHIPPING_BASE_URL,
            accessToken: c.accessToken,
            ...(c.shipFrom ? { shipFrom: c.shipFrom } : {}),
          },
          context(courier, AMAZON_SHIPPING_RATE_LIMIT),
        );
      }
      case "dpd": {
        const c = credentials.dpd ?? notConnected("DPD");
        return createDpdAdapter({ baseUrl: urls.DPD_BASE_URL, ...c }, context(courier, DPD_RATE_LIMIT));
      }
      case "evri": {
        const c = credentials.evri ?? notConnected("Evri");
        return createEvriAdapter({ baseUrl: urls.EVRI_BASE_URL, ...c }, context(courier, EVRI_RATE_LIMIT));
      }
    }
  }

  return {
    collectionsFor(courier) {
      if (courier === "dpd") {
        const d = credentials.dpd ?? notConnected("DPD");
        return createDpdCollections({ baseUrl: urls.DPD_BASE_URL, ...d }, context("dpd", DPD_RATE_LIMIT));
      }
      if (courier !== "evri") {
        throw new ConsignError(
          ErrorCode.BadRequest,
          `Consign books collections with Evri and DPD; ${courier === "royal-mail" ? "Royal Mail collects with your manifest" : `book ${courier} with them directly`}.`,
          [{ path: "courier", message: "use evri or dpd" }],
        );
      }
      const c = credentials.evri ?? notConnected("Evri");
      return createEvriCollections({ baseUrl: urls.EVRI_BASE_URL, ...c }, context("evri", EVRI_RATE_LIMIT));
    },
    returnsFor(courier) {
      switch (courier) {
        case "royal-mail": {
          const c = clickAndDrop("Royal Mail Tracked Returns labels");
          return createRoyalMailReturns(
            { baseUrl: urls.ROYAL_MAIL_BASE_URL, apiKey: c.apiKey },
            context("royal-mail", ROYAL_MAIL_RATE_LIMIT),
          );
        }
        case "dpd": {
          const c = credentials.dpd ?? notConnected("DPD");
          return createDpdReturns({ baseUrl: urls.DPD_BASE_URL, ...c }, context("dpd", DPD_RATE_LIMIT));
        }
        case "evri": {
          const c = credentials.evri ?? notConnected("Evri");
          return createEvriReturns({ baseUrl: urls.EVRI_BASE_URL, ...c }, context("evri", EVRI_RATE_LIMIT));
        }
        default:
          throw new ConsignError(
            ErrorCode.BadRequest,
            `Amazon Shipping makes no returns labels through Consign: choose Royal Mail, DPD or Evri.`,
            [{ path: "courier", message: "use royal-mail, dpd or evri" }],
          );
      }
    },
    royalMailManifests() {
      const c = clickAndDrop("Consign's Royal Mail end-of-day manifests");
      return createRoyalMailManifests(
        { baseUrl: urls.ROYAL_MAIL_BASE_URL, apiKey: c.apiKey },
        context("royal-mail", ROYAL_MAIL_RATE_LIMIT),
      );
    },
    adapterFor(courier) {
      let adapter = built.get(courier);
      if (!adapter) {
        adapter = build(courier);
        built.set(courier, adapter);
      }
      return adapter;
    },
  };
}
