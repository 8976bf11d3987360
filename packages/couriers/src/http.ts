// One way to call a courier: timeout, transport errors and response parsing become ConsignErrors.
import { ConsignError, ErrorCode } from "@consign/domain";
import type { z } from "zod";
import type { AdapterContext } from "./types.ts";

export interface CourierCall {
  /** The courier's name for messages, e.g. "Royal Mail". */
  courier: string;
  /** What we were doing, for messages, e.g. "buying the label". */
  doing: string;
}

/** Sends one request. Never throws anything but ConsignError. Non-2xx responses are returned. */
export async function send(
  ctx: AdapterContext,
  call: CourierCall,
  url: string,
  init: RequestInit = {},
): Promise<Response> {
  const signal = ctx.timeout?.();
  try {
    return await ctx.fetch(url, signal ? { ...init, signal } : init);
  } catch (error) {
    const timedOut =
      signal?.aborted === true ||
      (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"));
    throw new ConsignError(
      ErrorCode.UpstreamUnavailable,
      timedOut
        ? `${call.courier} did not answer in time while ${call.doing}; the outcome is not known yet`
        : `${call.courier} could not be reached while ${call.doing}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Reads a JSON body and checks it against the courier's schema. */
export async function readJson<T extends z.ZodType>(
  response: Response,
  schema: T,
  call: CourierCall,
): Promise<z.output<T>> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ConsignError(
      ErrorCode.UpstreamMalformed,
      `${call.courier} sent something that is not JSON while ${call.doing} (HTTP ${response.status})`,
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? `${first.path.join(".") || "(body)"}: ${first.message}` : "unknown";
    throw new ConsignError(
      ErrorCode.UpstreamMalformed,
      `${call.courier} sent an answer we do not understand while ${call.doing} (${where})`,
      parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  return parsed.data;
}

/** Reads a PDF body, refusing anything that does not start like a PDF. */
export async function readPdf(response: Response, call: CourierCall): Promise<Uint8Array> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!isPdf(bytes)) {
    throw new ConsignError(ErrorCode.UpstreamMalformed, `${call.courier} sent a label that is not a PDF`);
  }
  return bytes;
}

export function isPdf(bytes: Uint8Array): boolean {
  return bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46; // %PDF
}

/** Maps a failed status to the error a person can act on. `detail` is the courier's own reason. */
export function statusError(response: Response, call: CourierCall, detail?: string): ConsignError {
  const reason = detail ? `: ${detail}` : "";
  const s = response.status;
  if (s === 401 || s === 403) {
    return new ConsignError(
      ErrorCode.CourierNotConnected,
      `${call.courier} refused our credentials while ${call.doing}; reconnect the ${call.courier} account${reason}`,
    );
  }
  if (s === 429) {
    const retry = Number(response.headers.get("retry-after") ?? "");
    return new ConsignError(
      ErrorCode.RateLimited,
      `${call.courier} asked us to slow down while ${call.doing}`,
      [],
      Number.isFinite(retry) && retry > 0 ? retry : 1,
    );
  }
  if (s >= 500) {
    return new ConsignError(
      ErrorCode.UpstreamUnavailable,
      `${call.courier} had a fault (HTTP ${s}) while ${call.doing}; the outcome is not known yet${reason}`,
    );
  }
  if (s === 404) return new ConsignError(ErrorCode.NotFound, `${call.courier} has no such shipment${reason}`);
  return new ConsignError(ErrorCode.UpstreamRejected, `${call.courier} refused ${call.doing}${reason}`);
}

/**
 * True when a purchase may or may not have happened (timeout, transport error, 5xx): the caller
 * must ask the courier (findShipment) before deciding, never simply buy again.
 */
export function isOutcomeUncertain(error: unknown): boolean {
  return error instanceof ConsignError && error.code === ErrorCode.UpstreamUnavailable;
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, "") + path;
}
