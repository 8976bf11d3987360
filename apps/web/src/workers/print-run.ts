// A print run, composed in the labels worker: each part's labels fetched from the edge as one file
// (GET /api/v1/documents/labels.pdf, merged there; with retry and backoff inside the device's rate
// limit), an order the file leaves out fetched on its own (so it is drawn where the courier sent no
// document, or named with why it cannot be had), in print-ready parts in the order given (the
// first part small, so printing starts at once). The progress counts what the print file HOLDS: a
// label that could not be fetched is named with its reason and is in no part, so the app never
// counts it printed or dispatched. No DOM; fetch, timers and randomness are injected.

import { retryAfterMs } from "../lib/retry-after.ts";

export interface LabelFetchPolicy {
  /** Labels fetched at once when they are fetched one a request (default 4). */
  concurrency: number;
  /** Parts whose files are asked for at once (default 2: the next is on its way while one is made). */
  partsInFlight: number;
  /** Tries for a 5xx answer or a dropped connection (default 5). */
  attempts: number;
  /** Longest the run keeps waiting on "too many requests" for one label, in ms (default 120 s). */
  rateLimitedForMs: number;
  /** First backoff in ms (default 250), doubled each try up to `maxDelayMs` (default 8 s), with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_FETCH_POLICY: LabelFetchPolicy = {
  concurrency: 4,
  partsInFlight: 2,
  attempts: 5,
  rateLimitedForMs: 120_000,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
};

export interface FetchDeps {
  fetch: typeof fetch;
  sleep(ms: number): Promise<void>;
  now(): number;
  random(): number;
}

export const realDeps: FetchDeps = {
  fetch: (input, init) => fetch(input, init),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  now: () => Date.now(),
  random: Math.random,
};

/** Why a label could not be had, in words for the order's row. */
export class LabelFetchError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export { retryAfterMs };

/**
 * Shares one pause between every fetch of a run: when the edge says "too many requests", no fetch
 * of the run goes out until the time it gave has passed (so a burst of refusals does not follow).
 */
export class RateGate {
  private until = 0;
  constructor(private readonly deps: FetchDeps) {}
  pause(ms: number): void {
    this.until = Math.max(this.until, this.deps.now() + ms);
  }
  async wait(): Promise<void> {
    for (;;) {
      const left = this.until - this.deps.now();
      if (left <= 0) return;
      await this.deps.sleep(left);
    }
  }
}

async function errorMessage(res: Response): Promise<string> {
  try {
    return ((await res.json()) as { error?: { message?: string } }).error?.message ?? `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

/**
 * GET with retries: 429 waits as long as the answer says (Retry-After) and tries again, for up to
 * `rateLimitedForMs`; 500/502/503/504 and dropped connections back off exponentially (with jitter)
 * for up to `attempts` tries. Any other answer is returned as it is.
 */
export async function fetchWithRetry(
  url: string,
  init: () => Promise<RequestInit>,
  deps: FetchDeps,
  policy: LabelFetchPolicy,
  gate: RateGate,
): Promise<Response> {
  const started = deps.now();
  let failures = 0;
  let lastError = "";
  for (;;) {
    await gate.wait();
    let res: Response | null = null;
    try {
      res = await deps.fetch(url, await init());
    } catch (err) {
      lastError = `the connection dropped (${(err as Error).message})`;
    }
    if (res && res.status === 429) {
      const wait = retryAfterMs(res.headers.get("retry-after"), deps.now()) ?? 1000;
      if (deps.now() + wait - started > policy.rateLimitedForMs) {
        throw new LabelFetchError(
          `${await errorMessage(res)} (still refused after ${Math.round(policy.rateLimitedForMs / 1000)} s)`,
          429,
        );
      }
      gate.pause(wait + deps.random() * 100);
      continue;
    }
    if (res && ![500, 502, 503, 504].includes(res.status)) return res;
    if (res) lastError = await errorMessage(res);
    failures++;
    if (failures >= policy.attempts) {
      throw new LabelFetchError(`${lastError}: tried ${failures} times`, res?.status);
    }
    const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
    await deps.sleep(backoff / 2 + deps.random() * (backoff / 2));
  }
}

/**
 * Runs `work` over `items` with at most `width` in flight, handing each result to `onResult` in
 * the items' order (so parts hold labels in the order the run lists them).
 */
export async function inOrder<T, R>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<R>,
  onResult: (item: T, result: PromiseSettledResult<R>) => Promise<boolean | undefined> | boolean | undefined,
): Promise<boolean> {
  const pending: Promise<PromiseSettledResult<R>>[] = [];
  const settle = (item: T) =>
    work(item).then(
      (value): PromiseSettledResult<R> => ({ status: "fulfilled", value }),
      (reason: unknown): PromiseSettledResult<R> => ({ status: "rejected", reason }),
    );
  let next = 0;
  const fill = () => {
    while (next < items.length && pending.length < Math.max(1, width)) pending.push(settle(items[next++]!));
  };
  fill();
  for (let i = 0; i < items.length; i++) {
    const result = await pending.shift()!;
    if ((await onResult(items[i]!, result)) === false) return false;
    fill();
  }
  return true;
}

/** Most orders the edge puts in one labels file (LABELS_FILE_MAX_ORDERS in workers/edge). */
export const LABELS_FILE_MAX = 100;

/** A part's labels as the edge's one file, and the orders it left out with why. */
export interface LabelsFile {
  /** The labels in the order asked, or null when none of them had one. */
  pdf: Uint8Array | null;
  included: string[];
  /** orderId → why the file does not hold its label. */
  missing: Record<string, string>;
  /**
   * Orders the room said have no active label (none bought, or voided: code "no_label"). Asking
   * for them again, alone, would get the same answer from the same room, so they are not asked for.
   */
  noLabel: string[];
}

/**
 * The labels of `orderIds` (at most LABELS_FILE_MAX) in one 4x6 file from the edge, through the
 * same retries as one label. Throws LabelFetchError when the file cannot be had at all (the caller
 * then fetches the labels one by one); a 404 is "none of them has a label", not a failure.
 */
export async function fetchLabelsFile(
  orderIds: readonly string[],
  init: () => Promise<RequestInit>,
  deps: FetchDeps,
  policy: LabelFetchPolicy,
  gate: RateGate,
): Promise<LabelsFile> {
  const url = `/api/v1/documents/labels.pdf?orderIds=${orderIds.map(encodeURIComponent).join(",")}`;
  const res = await fetchWithRetry(url, init, deps, policy, gate);
  if (res.status === 404) {
    let fields: { path?: string; message?: string }[] = [];
    let message = "no label to download";
    try {
      const body = (await res.json()) as { error?: { message?: string; fields?: typeof fields } };
      fields = body.error?.fields ?? [];
      message = body.error?.message ?? message;
    } catch {
      // keep the words above
    }
    const missing: Record<string, string> = {};
    for (const id of orderIds) missing[id] = fields.find((f) => f.path === id)?.message ?? message;
    return { pdf: null, included: [], missing, noLabel: [] };
  }
  if (!res.ok) throw new LabelFetchError(await errorMessage(res), res.status);
  const missing: Record<string, string> = {};
  const noLabel: string[] = [];
  const reasons = res.headers.get("consign-labels-missing-reasons");
  if (reasons) {
    try {
      for (const m of JSON.parse(reasons) as { orderId: string; reason: string; code?: string }[]) {
        missing[m.orderId] = m.reason;
        if (m.code === "no_label") noLabel.push(m.orderId);
      }
    } catch {
      throw new LabelFetchError("the labels file did not say which orders it leaves out");
    }
  }
  const included = orderIds.filter((id) => missing[id] === undefined);
  // The file must hold exactly what it says, or no order is counted in it.
  if (Number(res.headers.get("consign-labels-included")) !== included.length) {
    throw new LabelFetchError("the labels file did not say which orders it holds");
  }
  return { pdf: new Uint8Array(await res.arrayBuffer()), included, missing, noLabel };
}

/**
 * One order's label as a 4x6 PDF: the courier's document, or where none is stored, the label the
 * room draws from its own copy of the shipment, and only while the order still has an active label.
 * Never drawn from this device's copy of the order, which may not have heard yet that another tablet
 * voided the label: that would print a cancelled tracking number on a parcel.
 */
export async function fetchOneLabel(
  orderId: string,
  init: () => Promise<RequestInit>,
  deps: FetchDeps,
  policy: LabelFetchPolicy,
  gate: RateGate,
): Promise<Uint8Array> {
  const res = await fetchWithRetry(
    `/api/v1/orders/${encodeURIComponent(orderId)}/label`,
    init,
    deps,
    policy,
    gate,
  );
  if (res.ok) return new Uint8Array(await res.arrayBuffer());
  if (res.status !== 404) throw new LabelFetchError(await errorMessage(res), res.status);
  const file = await fetchLabelsFile([orderId], init, deps, policy, gate);
  if (file.pdf && file.included.length === 1) return file.pdf;
  throw new Error(file.missing[orderId] ?? "no label to print: buy one first");
}

/** Where each part starts and ends: `first` labels, then parts of `chunk`. */
export function planParts(count: number, first: number, chunk: number): { from: number; to: number }[] {
  const parts: { from: number; to: number }[] = [];
  for (let from = 0, size = Math.max(1, first); from < count; from += size, size = Math.max(1, chunk)) {
    parts.push({ from, to: Math.min(count, from + size) });
  }
  return parts;
}

/**
 * A part's items as the requests that fetch them, in order: runs of orders asked for as one file
 * (at most `max`), and each order that needs a page of its own after its label (a CN22/CN23) alone.
 */
export function segmentsOf<T>(
  items: readonly T[],
  alone: (item: T) => boolean,
  max = LABELS_FILE_MAX,
): { file: boolean; items: T[] }[] {
  const out: { file: boolean; items: T[] }[] = [];
  for (const item of items) {
    const last = out[out.length - 1];
    if (alone(item)) out.push({ file: false, items: [item] });
    else if (last?.file && last.items.length < max) last.items.push(item);
    else out.push({ file: true, items: [item] });
  }
  return out;
}

/** How a part's labels are had: the edge's file, one label alone, and the merge of the pieces. */
export interface PartSource<T extends { orderId: string }> {
  file(orderIds: string[]): Promise<LabelsFile>;
  /** One order's label on its own (with any page that follows it), or an Error saying why not. */
  one(item: T): Promise<Uint8Array>;
  merge(documents: Uint8Array[]): Promise<Uint8Array>;
  /** An order printed with a page of its own after its label: fetched alone, in its place. */
  alone(item: T): boolean;
}

export interface AssembledPart {
  /** The part's labels in page order (4x6), or null when none could be had. */
  pdf: Uint8Array | null;
  /** The orders whose labels the pdf holds, in page order. */
  orderIds: string[];
  /** orderId → why its label is in no part. */
  errors: Record<string, string>;
}

/**
 * One part: its orders asked for as one file from the edge; each order the file leaves out (unless
 * the room said it has no active label), or every order of a file that could not be had, fetched
 * alone (one a request, within the limit), so each says why it cannot be printed. Labels had
 * alone follow the file's in the part; `orderIds` is always the pages' order.
 */
export async function assemblePart<T extends { orderId: string }>(
  items: readonly T[],
  source: PartSource<T>,
  concurrency: number,
): Promise<AssembledPart> {
  const pieces: { pdf: Uint8Array; ids: string[] }[] = [];
  const errors: Record<string, string> = {};
  const oneByOne = async (rest: readonly T[]) => {
    await inOrder(rest, concurrency, source.one, (item, result) => {
      if (result.status === "fulfilled") pieces.push({ pdf: result.value, ids: [item.orderId] });
      else errors[item.orderId] = (result.reason as Error).message;
      return true;
    });
  };
  for (const segment of segmentsOf(items, source.alone)) {
    if (!segment.file) {
      await oneByOne(segment.items);
      continue;
    }
    let file: LabelsFile;
    try {
      file = await source.file(segment.items.map((i) => i.orderId));
    } catch {
      await oneByOne(segment.items);
      continue;
    }
    if (file.pdf && file.included.length) pieces.push({ pdf: file.pdf, ids: file.included });
    const noLabel = new Set(file.noLabel);
    for (const id of noLabel) errors[id] = file.missing[id] ?? "no label bought (or it was voided)";
    await oneByOne(
      segment.items.filter((i) => file.missing[i.orderId] !== undefined && !noLabel.has(i.orderId)),
    );
  }
  if (pieces.length === 0) return { pdf: null, orderIds: [], errors };
  const pdf = pieces.length === 1 ? pieces[0]!.pdf : await source.merge(pieces.map((p) => p.pdf));
  return { pdf, orderIds: pieces.flatMap((p) => p.ids), errors };
}
