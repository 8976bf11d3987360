// The end of the courier day on the tablet: close it with Royal Mail (one Click & Drop manifest),
// print the manifest, and the owner's automatic close time. The settings are read live from the
// document (the room writes them; owners change them through PATCH /api/v1/settings/courier-day).
import { type CourierDay, type CourierDayPatch, courierDayOf } from "@consign/domain";
import { createSignal, getOwner, onCleanup } from "solid-js";
import type * as Y from "yjs";
import * as api from "./api.ts";
import { MAP, readSetting } from "./doc.ts";

export const COURIER_DAY = "courierDay";

export interface Manifest {
  id: string;
  manifestNumber: number | null;
  state: "closing" | "in_progress" | "completed" | "failed" | "refused" | "uncertain";
  requestedBy: string;
  requestedAt: string;
  automatic: boolean;
  labels: number;
  documentReady: boolean;
  error: string | null;
}

/** The end of day, failover and each courier's cut-off and collection, over the defaults. */
export function readCourierDay(doc: Y.Doc): CourierDay {
  return courierDayOf(readSetting<unknown>(doc, COURIER_DAY));
}

/** The settings as a signal that follows every device's change. */
export function courierDaySignal(doc: Y.Doc): () => CourierDay {
  const [value, setValue] = createSignal(readCourierDay(doc));
  const map = doc.getMap<unknown>(MAP.settings);
  const observe = () => setValue(readCourierDay(doc));
  map.observe(observe);
  if (getOwner()) onCleanup(() => map.unobserve(observe));
  return value;
}

export const closeDay = () => api.postOnce<Manifest>("/api/v1/manifests", crypto.randomUUID());
export const retryManifest = (id: string) =>
  api.postOnce<Manifest>(`/api/v1/manifests/${encodeURIComponent(id)}/retry`, crypto.randomUUID());
export const listManifests = () => api.getJson<{ manifests: Manifest[] }>("/api/v1/manifests");
export const patchCourierDay = (patch: CourierDayPatch) =>
  api.patchJson<CourierDay>("/api/v1/settings/courier-day", patch);

/** One line a packer reads: "Manifest 1001: 42 Royal Mail parcels, closed 18:30 by Sam". */
export function manifestWords(m: Manifest, time: (iso: string) => string): string {
  const who = m.automatic ? "automatically" : `by ${m.requestedBy}`;
  const parcels = `${m.labels} Royal Mail parcel${m.labels === 1 ? "" : "s"}`;
  switch (m.state) {
    case "completed":
      return `Manifest ${m.manifestNumber}: ${parcels}, closed ${time(m.requestedAt)} ${who}.`;
    case "in_progress":
      return `Manifest ${m.manifestNumber}: ${parcels}, closed ${time(m.requestedAt)} ${who}; Royal Mail is still making the paperwork.`;
    case "closing":
      return `Closing the day with Royal Mail (${parcels})…`;
    default:
      return m.error ?? "The day could not be closed with Royal Mail.";
  }
}

/** A courier collection as the edge answers it (GET/POST /api/v1/collections). */
export interface Collection {
  id: string;
  courier: string;
  courierCollectionId: string;
  date: string;
  readyAt: string;
  window: string;
  parcels: number;
  weightKg: number;
  state: "booked" | "collected" | "cancelled" | "unknown";
  bookedBy: string;
  bookedAt: string;
  cancelledAt: string | null;
}

/** The couriers whose driver Consign books through their API. */
export const COLLECTING_COURIERS = ["evri", "dpd"] as const;
export type CollectingCourier = (typeof COLLECTING_COURIERS)[number];

export const listCollections = (from: string) =>
  api.getJson<{ collections: Collection[] }>(`/api/v1/collections?from=${encodeURIComponent(from)}`);
export const bookCollection = (body: {
  courier: CollectingCourier;
  date: string;
  readyAt: string;
  parcels?: number;
}) => api.writeJson<Collection>("POST", "/api/v1/collections", { body, idempotencyKey: crypto.randomUUID() });
export const cancelCollection = (id: string) =>
  api.postOnce<Collection>(`/api/v1/collections/${encodeURIComponent(id)}/cancel`, crypto.randomUUID());

/** "Evri collects 2 parcels on 2026-12-07, 10:00–13:00 (booked by Sam)". */
export function collectionWords(c: Collection, name: (courier: string) => string): string {
  const parcels = `${c.parcels} parcel${c.parcels === 1 ? "" : "s"}`;
  if (c.state === "cancelled") return `${name(c.courier)} collection of ${parcels} on ${c.date}: cancelled.`;
  if (c.state === "collected") return `${name(c.courier)} collected ${parcels} on ${c.date}.`;
  return `${name(c.courier)} collects ${parcels} on ${c.date}, ${c.window} (booked by ${c.bookedBy}).`;
}
