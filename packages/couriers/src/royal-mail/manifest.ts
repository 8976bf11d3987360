// Royal Mail Click & Drop manifests (specs/couriers/royalmail/click-and-drop-api-v1.yaml, tag
// Manifests): the end of the day's hand-over to Royal Mail.
//   POST /manifests                        manifest every order in "Label Generated" or "Despatched"
//   POST /manifests/retry/{manifestNumber} retry one whose orders were not all processed
//   GET  /manifests/{manifestNumber}       its status and the printable PDF when it is ready
// 201 means the PDF came with the answer; 202 means the manifest exists but its PDF comes later
// (ask GET /manifests/{n}). Errors come as {errors: [{code, description}]}.
import { ConsignError, ErrorCode } from "@consign/domain";
import { z } from "zod";
import { base64ToBytes, type CourierCall, isPdf, joinUrl, readJson, send, statusError } from "../http.ts";
import type { AdapterContext } from "../types.ts";

const COURIER = "Royal Mail";

export const manifestOrdersResponseSchema = z.object({
  manifestNumber: z.number().int().positive(),
  documentPdf: z.string().optional(),
});

export const manifestDetailsResponseSchema = z.object({
  manifestNumber: z.number().int().positive(),
  status: z.enum(["In Progress", "Completed", "Failed"]).optional(),
  documentPdf: z.string().optional(),
});

export const manifestErrorsResponseSchema = z.object({
  errors: z.array(z.object({ code: z.string().optional(), description: z.string().optional() })).optional(),
});

export type ManifestStatus = "in_progress" | "completed" | "failed";

export interface RoyalMailManifest {
  manifestNumber: number;
  /** Completed with its PDF, created but PDF not ready yet, or failed (retry it). */
  status: ManifestStatus;
  /** The printable manifest, when Royal Mail has made it. */
  documentPdf?: Uint8Array;
}

export interface RoyalMailManifestConfig {
  /** Click & Drop base, e.g. https://api.parcel.royalmail.com/api/v1 */
  baseUrl: string;
  apiKey: string;
  /** Needed when the account has several carriers or posting locations ("Royal Mail OBA"). */
  carrierName?: string;
}

export interface RoyalMailManifests {
  /** Manifests every eligible order of the account. */
  manifestEligible(): Promise<RoyalMailManifest>;
  /** Tries again a manifest whose orders were not all processed. */
  retry(manifestNumber: number): Promise<RoyalMailManifest>;
  /** The manifest's status and PDF (the PDF may come later than the manifest). */
  get(manifestNumber: number): Promise<RoyalMailManifest>;
}

export function createRoyalMailManifests(
  config: RoyalMailManifestConfig,
  ctx: AdapterContext,
): RoyalMailManifests {
  const headers = {
    Authorization: `Bearer ${config.apiKey}`,
    Accept: "application/json",
    "Content-Type": "application/json",
  };
  const url = (path: string) => joinUrl(config.baseUrl, path);

  async function fail(res: Response, call: CourierCall): Promise<never> {
    const detail = await manifestErrorDetail(res);
    if (res.status === 403) {
      throw new ConsignError(
        ErrorCode.UpstreamRejected,
        `Royal Mail does not offer manifests on this Click & Drop account${detail ? `: ${detail}` : ""}`,
      );
    }
    throw statusError(res, call, detail);
  }

  async function created(res: Response, call: CourierCall): Promise<RoyalMailManifest> {
    if (res.status !== 201 && res.status !== 202) return fail(res, call);
    const body = await readJson(res, manifestOrdersResponseSchema, call);
    const pdf = body.documentPdf ? pdfOf(body.documentPdf, call) : undefined;
    return {
      manifestNumber: body.manifestNumber,
      status: pdf ? "completed" : "in_progress",
      ...(pdf ? { documentPdf: pdf } : {}),
    };
  }

  return {
    async manifestEligible() {
      const call = { courier: COURIER, doing: "closing the day's manifest" };
      const res = await send(ctx, call, url("/manifests"), {
        method: "POST",
        headers,
        body: JSON.stringify(config.carrierName ? { carrierName: config.carrierName } : {}),
      });
      return created(res, call);
    },

    async retry(manifestNumber) {
      const call = { courier: COURIER, doing: `retrying manifest ${manifestNumber}` };
      const res = await send(ctx, call, url(`/manifests/retry/${manifestNumber}`), {
        method: "POST",
        headers,
      });
      return created(res, call);
    },

    async get(manifestNumber) {
      const call = { courier: COURIER, doing: `fetching manifest ${manifestNumber}` };
      const res = await send(ctx, call, url(`/manifests/${manifestNumber}`), {
        headers: { Authorization: headers.Authorization, Accept: "application/json" },
      });
      if (res.status !== 200) return fail(res, call);
      const body = await readJson(res, manifestDetailsResponseSchema, call);
      const pdf = body.documentPdf ? pdfOf(body.documentPdf, call) : undefined;
      // "Completed" without its PDF is still in progress for us: there is nothing to print yet.
      const status: ManifestStatus = body.status === "Failed" ? "failed" : pdf ? "completed" : "in_progress";
      return { manifestNumber: body.manifestNumber, status, ...(pdf ? { documentPdf: pdf } : {}) };
    },
  };
}

function pdfOf(base64: string, call: CourierCall): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(base64);
  } catch {
    throw new ConsignError(
      ErrorCode.UpstreamMalformed,
      `${call.courier} sent a manifest document that is not base64 while ${call.doing}`,
    );
  }
  if (!isPdf(bytes)) {
    throw new ConsignError(
      ErrorCode.UpstreamMalformed,
      `${call.courier} sent a manifest document that is not a PDF while ${call.doing}`,
    );
  }
  return bytes;
}

async function manifestErrorDetail(res: Response): Promise<string | undefined> {
  try {
    const parsed = manifestErrorsResponseSchema.safeParse(await res.clone().json());
    if (!parsed.success) return undefined;
    const words = (parsed.data.errors ?? [])
      .map((e) => e.description ?? e.code)
      .filter((w): w is string => Boolean(w));
    return words.length ? words.join("; ") : undefined;
  } catch {
    return undefined;
  }
}
