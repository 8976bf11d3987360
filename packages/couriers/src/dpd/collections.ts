// DPD collections. DPD UK publishes no model; like ./adapter.ts this is ASSUMED, in DPD's envelope
// ({ error: null | [...], data }) and with its GeoSession sign-in:
//   - POST /shipping/collection { collectionDate (YYYY-MM-DD), readyTime and closeTime (HH:MM),
//     numberOfParcels, totalWeight (kg), collectionDetails { contactDetails, address },
//     collectionRef } answers data { collectionId, collectionDate, readyTime, closeTime }.
//   - GET /shipping/collection/{collectionId} answers data { ..., status: BOOKED | COLLECTED | CANCELLED }.
//   - DELETE /shipping/collection/{collectionId} cancels one not yet collected.
// DPD collects until 18:00 (closeTime), from the ready time on.
import { ConsignError, ErrorCode } from "@consign/domain";
import { z } from "zod";
import type {
  BookedCollection,
  CollectionRequest,
  CollectionState,
  CollectionsAdapter,
} from "../collections.ts";
import { joinUrl, readJson, send, statusError } from "../http.ts";
import { normalisePostcode } from "../postcode.ts";
import type { AdapterContext } from "../types.ts";
import { type DpdConfig, signInToDpd } from "./adapter.ts";

const COURIER = "DPD";
const CLOSE = "18:00";
const dpdError = z
  .array(
    z.object({
      errorCode: z.union([z.string(), z.number()]).optional(),
      errorMessage: z.string(),
      obj: z.string().optional(),
    }),
  )
  .nullable();
const collection = z.object({
  collectionId: z.union([z.string(), z.number()]).transform(String),
  collectionDate: z.string(),
  readyTime: z.string(),
  closeTime: z.string(),
  status: z.string().optional(),
});
const envelope = z.object({ error: dpdError, data: collection.nullable() });

function state(status: string | undefined): CollectionState {
  const s = (status ?? "").toUpperCase();
  if (s === "CANCELLED") return "cancelled";
  if (s === "COLLECTED") return "collected";
  return s ? "booked" : "unknown";
}

function refused(error: z.infer<typeof dpdError>, doing: string): ConsignError {
  const e = error?.[0];
  const fields = e?.obj ? [{ path: e.obj, message: e.errorMessage }] : [];
  return new ConsignError(
    ErrorCode.UpstreamRejected,
    `DPD refused ${doing}: ${e?.errorMessage ?? "no reason given"}`,
    fields,
  );
}

export function createDpdCollections(config: DpdConfig, ctx: AdapterContext): CollectionsAdapter {
  const url = (path: string) => joinUrl(config.baseUrl, path);
  const geoClient = `account/${config.accountNumber}`;
  let session: Promise<string> | undefined;

  const signIn = () => signInToDpd(config, ctx);

  async function call(path: string, init: RequestInit, doing: string) {
    session ??= signIn().catch((e: unknown) => {
      session = undefined;
      throw e;
    });
    const c = { courier: COURIER, doing };
    const res = await send(ctx, c, url(path), {
      ...init,
      headers: {
        ...(init.headers ?? {}),
        GeoSession: await session,
        GeoClient: geoClient,
        Accept: "application/json",
      },
    });
    if (res.status === 404) return null;
    if (!res.ok && res.status !== 400) throw statusError(res, c);
    const body = await readJson(res, envelope, c);
    if (body.error?.length) throw refused(body.error, doing);
    return body.data;
  }

  const present = (d: z.infer<typeof collection>): BookedCollection => ({
    courier: "dpd",
    collectionId: d.collectionId,
    date: d.collectionDate.slice(0, 10),
    window: `${d.readyTime}–${d.closeTime}`,
    state: state(d.status ?? "BOOKED"),
  });

  return {
    courier: "dpd",
    displayName: COURIER,
    async book(request: CollectionRequest): Promise<BookedCollection> {
      if (request.readyAt >= CLOSE) {
        throw new ConsignError(
          ErrorCode.BadRequest,
          `DPD collects until ${CLOSE}: have the parcels ready before then.`,
          [{ path: "readyAt", message: `before ${CLOSE}` }],
        );
      }
      const a = request.address;
      const data = await call(
        "/shipping/collection",
        {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            collectionDate: request.date,
            readyTime: request.readyAt,
            closeTime: CLOSE,
            numberOfParcels: request.parcels,
            totalWeight: Math.max(0.01, request.weightKg),
            collectionRef: request.reference.slice(0, 25),
            collectionDetails: {
              contactDetails: { contactName: a.name, telephone: a.phone ?? "" },
              address: {
                organisation: a.companyName ?? "",
                countryCode: a.countryCode,
                postcode: normalisePostcode(a.postcode),
                street: a.line1,
                locality: a.line2 ?? "",
                town: a.city,
                county: a.county ?? "",
              },
            },
          }),
        },
        `booking a collection for ${request.date}`,
      );
      if (!data) throw new ConsignError(ErrorCode.UpstreamMalformed, "DPD answered without the collection");
      return present(data);
    },
    async get(collectionId: string): Promise<BookedCollection | null> {
      const data = await call(
        `/shipping/collection/${encodeURIComponent(collectionId)}`,
        {},
        `looking up collection ${collectionId}`,
      );
      return data ? present(data) : null;
    },
    async cancel(collectionId: string): Promise<void> {
      await call(
        `/shipping/collection/${encodeURIComponent(collectionId)}`,
        { method: "DELETE" },
        `cancelling collection ${collectionId}`,
      );
    },
  };
}
