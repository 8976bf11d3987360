// Evri collections, as Hermes' shipping API models pickup orders
// (specs/couriers/karrio/hermes/openapi.yaml): POST /pickuporders (PickupOrder: pickupDate,
// pickupTimeSlot BETWEEN_10_AND_13 | BETWEEN_12_AND_15 | BETWEEN_14_AND_17, pickupAddress with
// street, houseNumber, zipCode, town, countryCode, pickupName, parcelCount) answers a pickupOrderID;
// GET /pickuporders lists them (listOfPickupOrders with actualOrderState); DELETE
// /pickuporders/{pickupOrderID} cancels. Evri takes no weight for a pickup: parcels are counted
// as medium (pickupParcelCountM).
import { ConsignError, ErrorCode } from "@consign/domain";
import { z } from "zod";
import type {
  BookedCollection,
  CollectionRequest,
  CollectionState,
  CollectionsAdapter,
} from "../collections.ts";
import { splitHouseNumber } from "../collections.ts";
import { joinUrl, readJson, send, statusError } from "../http.ts";
import { normalisePostcode } from "../postcode.ts";
import type { AdapterContext } from "../types.ts";
import type { EvriConfig } from "./adapter.ts";

const COURIER = "Evri";
const resultCodes = z.array(z.object({ code: z.string(), message: z.string() })).optional();
const created = z.object({ listOfResultCodes: resultCodes, pickupOrderID: z.string() });
const listed = z.object({
  listOfResultCodes: resultCodes,
  listOfPickupOrders: z
    .array(
      z.object({
        pickupOrderID: z.string().optional(),
        actualOrderState: z.string().optional(),
        pickupDate: z.string().optional(),
        pickupTimeSlot: z.string().optional(),
      }),
    )
    .optional(),
});

const SLOTS = [
  { slot: "BETWEEN_10_AND_13", from: 10, words: "10:00–13:00" },
  { slot: "BETWEEN_12_AND_15", from: 12, words: "12:00–15:00" },
  { slot: "BETWEEN_14_AND_17", from: 14, words: "14:00–17:00" },
] as const;

/** The first window that starts once the parcels are ready. */
function slotFor(readyAt: string) {
  const [h = 0, m = 0] = readyAt.split(":").map(Number);
  const ready = h + m / 60;
  const slot = SLOTS.find((s) => s.from >= ready);
  if (!slot) {
    throw new ConsignError(
      ErrorCode.BadRequest,
      `Evri's last collection window starts at 14:00: have the parcels ready by then (not ${readyAt}), or book tomorrow.`,
      [{ path: "readyAt", message: "Evri collects 10:00–17:00: ready by 14:00" }],
    );
  }
  return slot;
}

function state(actual: string | undefined): CollectionState {
  const s = (actual ?? "").toUpperCase();
  if (/CANCEL|STORN/.test(s)) return "cancelled";
  if (/DONE|COLLECTED|EXECUTED|PICKED/.test(s)) return "collected";
  if (s) return "booked";
  return "unknown";
}

async function errorText(res: Response): Promise<string | undefined> {
  try {
    const body = z.object({ listOfResultCodes: resultCodes }).parse(await res.clone().json());
    return body.listOfResultCodes?.map((r) => `${r.code}: ${r.message}`).join("; ");
  } catch {
    return undefined;
  }
}

export function createEvriCollections(config: EvriConfig, ctx: AdapterContext): CollectionsAdapter {
  const headers = {
    Authorization: `Basic ${btoa(`${config.username}:${config.password}`)}`,
    Accept: "application/json",
    "Accept-Language": "EN",
  };
  const url = (path: string) => joinUrl(config.baseUrl, path);
  const slotWords = (slot: string | undefined) => SLOTS.find((s) => s.slot === slot)?.words ?? slot ?? "";

  return {
    courier: "evri",
    displayName: COURIER,
    async book(request: CollectionRequest): Promise<BookedCollection> {
      const slot = slotFor(request.readyAt);
      const a = request.address;
      const { number, street } = splitHouseNumber(a.line1);
      const call = { courier: COURIER, doing: `booking a collection for ${request.date}` };
      const res = await send(ctx, call, url("/pickuporders"), {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify({
          pickupDate: request.date,
          pickupTimeSlot: slot.slot,
          pickupAddress: {
            street,
            houseNumber: number,
            zipCode: normalisePostcode(a.postcode),
            town: a.city,
            countryCode: a.countryCode,
            ...(a.line2 ? { addressAddition: a.line2 } : {}),
          },
          pickupName: { lastname: (a.companyName ?? a.name).slice(0, 50) },
          ...(a.phone ? { phone: a.phone.slice(0, 20) } : {}),
          parcelCount: { pickupParcelCountM: request.parcels },
        }),
      });
      if (!res.ok) throw statusError(res, call, await errorText(res));
      const body = await readJson(res, created, call);
      return {
        courier: "evri",
        collectionId: body.pickupOrderID,
        date: request.date,
        window: slot.words,
        state: "booked",
      };
    },
    async get(collectionId: string): Promise<BookedCollection | null> {
      const call = { courier: COURIER, doing: `looking up collection ${collectionId}` };
      const res = await send(ctx, call, url("/pickuporders"), { headers });
      if (!res.ok) throw statusError(res, call, await errorText(res));
      const found = (await readJson(res, listed, call)).listOfPickupOrders?.find(
        (p) => p.pickupOrderID === collectionId,
      );
      if (!found) return null;
      return {
        courier: "evri",
        collectionId,
        date: found.pickupDate ?? "",
        window: slotWords(found.pickupTimeSlot),
        state: state(found.actualOrderState),
      };
    },
    async cancel(collectionId: string): Promise<void> {
      const call = { courier: COURIER, doing: `cancelling collection ${collectionId}` };
      const res = await send(ctx, call, url(`/pickuporders/${encodeURIComponent(collectionId)}`), {
        method: "DELETE",
        headers,
      });
      if (!res.ok) throw statusError(res, call, await errorText(res));
    },
  };
}
